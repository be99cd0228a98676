// glibc's log and log1p, with glibc's bits (see glibc_math.hpp).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "random/glibc_math.hpp"

#if defined(__EMSCRIPTEN__)
// The C library of the WebAssembly build (musl) has the same log as glibc, Arm's
// optimized-routines log, and with it the table that both use. Its build has no FMA, so its
// log rounds differently from glibc's FMA build about once in 10^4 calls; glibc_log below
// runs the FMA build's arithmetic on that table, which the linker resolves from libc.
extern "C" {
struct gradlab_musl_log_data {
  double ln2hi, ln2lo;
  double poly[5];    // A: log1p(r) - r for |r| < 1/256
  double poly1[11];  // B: log(x) for x near 1
  struct {
    double invc, logc;
  } tab[128];
  struct {
    double chi, clo;
  } tab2[128];
};
extern const gradlab_musl_log_data __log_data;
}
#endif

namespace gradlab::random::detail {

namespace {

std::uint64_t bits(double d) {
  std::uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return u;
}
double from_bits(std::uint64_t u) {
  double d;
  std::memcpy(&d, &u, sizeof d);
  return d;
}
std::int32_t high_word(double x) { return static_cast<std::int32_t>(bits(x) >> 32); }
double with_high_word(double x, std::int32_t hi) {
  return from_bits((std::uint64_t{static_cast<std::uint32_t>(hi)} << 32) | (bits(x) & 0xffffffffu));
}

}  // namespace

double glibc_log1p(double x) {
  // fdlibm: 1 + x = 2^k (1 + f) with sqrt(2)/2 < 1 + f < sqrt(2); log(1 + f) = f - (hfsq -
  // s (hfsq + R(s^2))) with s = f / (2 + f), R a degree-14 fit; plus k ln2 and c / u, the
  // rounding error of u = 1 + x.
  constexpr double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10,
                   Lp1 = 6.666666666666735130e-01, Lp2 = 3.999999999940941908e-01,
                   Lp3 = 2.857142874366239149e-01, Lp4 = 2.222219843214978396e-01,
                   Lp5 = 1.818357216161805012e-01, Lp6 = 1.531383769920937332e-01,
                   Lp7 = 1.479819860511658591e-01;
  const std::int32_t hx = high_word(x);
  const std::int32_t ax = hx & 0x7fffffff;
  int k = 1;
  double f = 0, c = 0;
  std::int32_t hu = 0;
  if (hx < 0x3fda827a) {     // x < 0.41422
    if (ax >= 0x3ff00000) {  // x <= -1
      if (x == -1.0) return -std::numeric_limits<double>::infinity();
      return from_bits(0xfff8000000000000ull);  // glibc's (x - x) / (x - x) on x86-64
    }
    if (ax < 0x3e200000) {  // |x| < 2^-29
      if (ax < 0x3c900000) return x;
      return std::fma(-(x * x), 0.5, x);
    }
    if (hx > 0 || hx <= static_cast<std::int32_t>(0xbfd2bec3u)) {  // -0.2929 < x < 0.41422
      k = 0;
      f = x;
      hu = 1;
    }
  } else if (hx >= 0x7ff00000) {
    return x + x;
  }
  if (k != 0) {
    double u;
    if (hx < 0x43400000) {
      u = 1.0 + x;
      hu = high_word(u);
      k = (hu >> 20) - 1023;
      c = (k > 0) ? 1.0 - (u - x) : x - (u - 1.0);
      c /= u;
    } else {
      u = x;
      hu = high_word(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u = with_high_word(u, hu | 0x3ff00000);  // u in [1, sqrt 2)
    } else {
      k += 1;
      u = with_high_word(u, hu | 0x3fe00000);  // u / 2
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  const double kd = k;
  const double hfsq = (0.5 * f) * f;
  if (hu == 0) {  // |f| < 2^-20
    if (f == 0.0) {
      if (k == 0) return 0.0;
      return std::fma(kd, ln2_hi, std::fma(kd, ln2_lo, c));
    }
    const double R = std::fma(-f, 0.66666666666666666, 1.0) * hfsq;
    if (k == 0) return f - R;
    return std::fma(kd, ln2_hi, -((R - std::fma(kd, ln2_lo, c)) - f));
  }
  const double s = f / (2.0 + f);
  const double z = s * s;
  const double z2 = z * z, z4 = z2 * z2, z6 = z2 * z4;
  const double R2 = std::fma(z, Lp3, Lp2);
  const double R3 = std::fma(z, Lp5, Lp4);
  const double R4 = std::fma(z, Lp7, Lp6);
  const double R = std::fma(z6, R4, std::fma(z4, R3, std::fma(z, Lp1, z2 * R2)));
  const double sr = s * (hfsq + R);
  if (k == 0) return f - (hfsq - sr);
  return std::fma(kd, ln2_hi, -((hfsq - (std::fma(kd, ln2_lo, c) + sr)) - f));
}

#if !defined(__EMSCRIPTEN__)

// Natively the C library is glibc (Linux, x86-64): its log is the reference itself.
double glibc_log(double x) { return std::log(x); }

#else

double glibc_log(double x) {
  const auto& d = __log_data;
  const std::uint64_t ix = bits(x);
  const auto top = static_cast<std::uint32_t>(ix >> 48);
  constexpr std::uint64_t lo1 = 0x3fee000000000000ull;  // bits of 1 - 2^-4
  constexpr std::uint64_t hi1 = 0x3ff1090000000000ull;  // bits of 1 + 0x1.09p-4
  if (ix - lo1 < hi1 - lo1) {
    // near 1: a degree-11 polynomial in r = x - 1, its leading terms in extra precision
    if (ix == 0x3ff0000000000000ull) return 0;
    const double* B = d.poly1;
    const double r = x - 1.0;
    const double r2 = r * r;
    const double r3 = r * r2;
    const double p =
        std::fma(std::fma(std::fma(B[10], r3, std::fma(B[9], r2, std::fma(B[8], r, B[7]))), r3,
                          std::fma(B[6], r2, std::fma(B[5], r, B[4]))),
                 r3, std::fma(B[3], r2, std::fma(B[2], r, B[1])));
    // rhi = r + w - w with w = r 2^27, as the FMA build fuses it
    const double rhi = std::fma(-r, 0x1p27, std::fma(r, 0x1p27, r));
    const double rlo = r - rhi;
    const double ww = rhi * rhi;  // times B[0] = -0.5 in both fused uses below
    const double hi = std::fma(ww, B[0], r);
    double lo = std::fma(ww, B[0], r - hi);
    lo = std::fma(B[0] * rlo, r + rhi, lo);
    const double y = std::fma(p, r3, lo);
    return hi + y;
  }
  if (top - 0x0010 >= 0x7ff0 - 0x0010) return std::log(x);  // 0, subnormal, negative, inf, nan
  // x = 2^k z, z in [0x1.6p-1, 0x1.6p0); log x = k ln2 + log c + log1p(z/c - 1)
  const std::uint64_t tmp = ix - 0x3fe6000000000000ull;
  const int i = static_cast<int>((tmp >> 45) % 128);
  const int k = static_cast<int>(static_cast<std::int64_t>(tmp) >> 52);
  const double z = from_bits(ix - (tmp & (0xfffull << 52)));
  const double invc = d.tab[i].invc, logc = d.tab[i].logc;
  const double r = std::fma(invc, z, -1.0);
  const double kd = k;
  const double w = std::fma(d.ln2hi, kd, logc);
  const double hi = r + w;
  const double lo = std::fma(d.ln2lo, kd, (w - hi) + r);
  const double* A = d.poly;
  const double r2 = r * r;
  const double q = std::fma(A[0], r2, lo);
  const double p = std::fma(std::fma(A[4], r, A[3]), r2, std::fma(A[2], r, A[1]));
  return std::fma(r * r2, p, q) + hi;
}

#endif

}  // namespace gradlab::random::detail
