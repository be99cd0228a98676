#pragma once
// exp and log written with plain IEEE arithmetic, so that float32 results are the same bits in
// every build: glibc (native) and WebAssembly's libm differ in the last bit of exp/log/log1p,
// and a training run amplifies one bit into a different trajectory. Accurate to about 1e-16
// relative, so a float32 result rounded from them is correctly rounded but for rare near-ties.
// float64 kernels keep the platform libm (the golden float64 checks want its last bits).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "util/inline.hpp"

namespace gradlab::portable {

double exp(double x);
double log(double x);
/// log(1 + x) for x > -1, without cancellation near 0.
double log1p(double x);

inline std::uint64_t bits_of(double d) {
  std::uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return u;
}
inline double from_bits(std::uint64_t u) {
  double d;
  std::memcpy(&d, &u, sizeof d);
  return d;
}

/// float32 tanh, evaluated in double and rounded once: correctly rounded but for rare
/// near-ties, so at least as close as libm's tanhf (PyTorch's CPU kernel is SLEEF's, not
/// libm's, so neither is bit-identical to it), and the same bits in every build. Written
/// without branches or tables, so that the elementwise loop vectorises (two doubles per
/// SSE2 or wasm f64x2 vector): tanh was 40% of a small tanh MLP's training time.
GRADLAB_INLINE float tanh_f32(float xf) {
  const double x = xf;
  double a = std::fabs(x);
  a = a < 9.1 ? a : 9.1;  // beyond 9.01, 1 - tanh < 2^-25 and the float rounds to +-1
  const double y = 2.0 * a;
  // y = n ln2 + r with |r| <= ln2/2 and n in [0, 27], rounded by the 1.5 * 2^52 trick; the
  // low bits of `shifted` are then n itself, and moved into the exponent field they make 2^n
  const double shifted = y * 1.4426950408889634 + 0x1.8p52;
  const double n = shifted - 0x1.8p52;
  const double r = (y - n * 0x1.62e42ffp-1) - n * -0x1.718432a1b0e26p-35;  // ln2, split
  const double two_n = from_bits((bits_of(shifted) << 52) + (std::uint64_t{1023} << 52));
  // e^r - 1 to r^13/13! (the next term is below 5e-18 relative)
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  const double q = p * r;
  // tanh a = (e^2a - 1) / (e^2a + 1); for n = 0, e^2a - 1 is q itself (no cancellation)
  const double em1 = (two_n - 1.0) + two_n * q;
  const float t = static_cast<float>(std::copysign(em1 / (em1 + 2.0), x));
  return xf == xf ? t : xf;  // NaN (clamped to 9.1 above) flows through
}

/// exp for a float32 argument, evaluated in double and rounded once by the caller: the same
/// value as exp() above to ~1e-16, but without branches or tables, so that an elementwise loop
/// over floats vectorises (f64x2 in WebAssembly). Beyond [-104, 89] the float result is 0 or
/// inf, so the argument is clamped there and 2^n stays a normal double.
GRADLAB_INLINE double exp_of_float(float xf) {
  double x = xf;
  x = x < -104.0 ? -104.0 : x;
  x = x > 89.0 ? 89.0 : x;
  // x = n ln2 + r, |r| <= ln2/2, n by the 1.5 * 2^52 rounding trick (its low bits are n)
  const double shifted = x * 1.4426950408889634 + 0x1.8p52;
  const double n = shifted - 0x1.8p52;
  const double r = (x - n * 0x1.62e42fefa0000p-1) - n * 0x1.cf79abc9e3b3ap-40;  // ln2, split
  const double two_n = from_bits((bits_of(shifted) << 52) + (std::uint64_t{1023} << 52));
  // e^r - 1 to r^13/13! (the next term is below 5e-18 relative)
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  const double y = two_n + two_n * (p * r);
  return xf == xf ? y : static_cast<double>(xf);  // NaN flows through
}

/// ln u for a positive, finite, normal double u, without branches or tables: u = 2^e m with
/// m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(t), t = (m - 1)/(m + 1), |t| < 0.1716. The
/// exponent is read as a double through the 1.5 * 2^52 trick (no int64 -> double convert,
/// which WebAssembly SIMD lacks).
GRADLAB_INLINE double log_positive(double u) {
  const std::uint64_t b = bits_of(u);
  double m = from_bits((b & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);  // [1, 2)
  double e = from_bits((b >> 52) | 0x4338000000000000ULL) - (0x1.8p52 + 1023.0);
  const bool high = m > 1.4142135623730951;
  m = high ? 0.5 * m : m;
  e = high ? e + 1.0 : e;
  const double t = (m - 1.0) / (m + 1.0), t2 = t * t;
  // 2 atanh t = 2 t (1 + t^2/3 + ... + t^22/23) (t^24/25 < 1e-20)
  double p = 1.0 / 23;
  p = p * t2 + 1.0 / 21;
  p = p * t2 + 1.0 / 19;
  p = p * t2 + 1.0 / 17;
  p = p * t2 + 1.0 / 15;
  p = p * t2 + 1.0 / 13;
  p = p * t2 + 1.0 / 11;
  p = p * t2 + 1.0 / 9;
  p = p * t2 + 1.0 / 7;
  p = p * t2 + 1.0 / 5;
  p = p * t2 + 1.0 / 3;
  p = p * t2 + 1.0;
  return 2.0 * (t * p) + e * 0.69314718055994530942;
}

/// ln x for a float32 x, in double (every float, subnormals too, is a normal double).
GRADLAB_INLINE double log_of_float(float xf) {
  const double x = xf;
  const bool ok = x > 0 && x < 0x1p128;  // finite and positive
  const double y = log_positive(ok ? x : 1.0);
  const double special = x == 0 ? -HUGE_VAL : x > 0 ? x : std::numeric_limits<double>::quiet_NaN();
  return ok ? y : special;  // 0 -> -inf, inf -> inf, negative or NaN -> NaN
}

/// ln(1 + x) for a float32 x: u = 1 + x rounds, and x / (u - 1) puts back what it lost.
GRADLAB_INLINE double log1p_of_float(float xf) {
  const double x = xf;
  const double u = 1.0 + x;
  const bool ok = (u > 0) & (u < 0x1p128) & (u != 1.0);
  // plain selects, computed on every lane (a nested ?: becomes control flow, not a vector op)
  const double y = log_positive(ok ? u : 2.0) * (x / (ok ? u - 1.0 : 1.0));
  double special = u > 0 ? u : std::numeric_limits<double>::quiet_NaN();  // inf; < -1 or NaN
  special = u == 0 ? -HUGE_VAL : special;
  special = u == 1.0 ? x : special;  // |x| below 2^-53: log1p x = x
  return ok ? y : special;
}

/// The elementwise kernels' exp/log/log1p: portable for float32, libm for float64.
template <class T>
GRADLAB_INLINE T exp_of(T x) {
  if constexpr (std::is_same_v<T, float>)
    return static_cast<float>(exp_of_float(x));
  else
    return std::exp(x);
}
template <class T>
GRADLAB_INLINE T log_of(T x) {
  if constexpr (std::is_same_v<T, float>)
    return static_cast<float>(log_of_float(x));
  else
    return std::log(x);
}
template <class T>
GRADLAB_INLINE T log1p_of(T x) {
  if constexpr (std::is_same_v<T, float>)
    return static_cast<float>(log1p_of_float(x));
  else
    return std::log1p(x);
}

}  // namespace gradlab::portable
