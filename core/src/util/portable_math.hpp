#pragma once
// exp, log, log1p and tanh written with plain IEEE arithmetic, so that float32 results are the
// same bits in every build: glibc (native) and WebAssembly's libm differ in the last bit of
// exp/log/log1p, and a training run amplifies one bit into a different trajectory. exp, log and
// log1p are accurate to about 1e-16 relative, so a float32 result rounded from them is
// correctly rounded but for rare near-ties. float64 kernels keep the platform libm, but for tanh
// (tanh_f64: PyTorch's float64 tanh is SLEEF's or MKL's, never the libm's).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "util/inline.hpp"

namespace gradlab::portable {

/// ln x for a double: the seeded randn's Box-Muller transform (model/rng.cpp) draws through it,
/// so initial values are the same bits in every build.
double log(double x);

inline std::uint64_t bits_of(double d) {
  std::uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return u;
}
inline std::uint32_t f32_bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
inline float f32_from_bits(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}
inline double from_bits(std::uint64_t u) {
  double d;
  std::memcpy(&d, &u, sizeof d);
  return d;
}

// tanh_f32's two forms (described with it, below), as templates over F: float, and a vector
// of four floats (clang's vector extensions, where a float constant is splat to every lane)
// in the tanh op's SIMD loop, tanh_loop.cpp. One text serves both, so the loop cannot drift
// from the function.

/// The form for a < 0.5625: odd polynomial. a^2 is exact for denormal a (it is 0), so tiny a
/// gives a.
template <class F>
GRADLAB_INLINE F tanh_small_form(F a) {
  const F s = a * a;
  F p = s * -0x1.94a92ep-8f + 0x1.581e7ep-6f;
  p = p * s + -0x1.b906eap-5f;
  p = p * s + 0x1.110c62p-3f;
  p = p * s + -0x1.555548p-2f;
  return a + a * (s * p);
}

/// The form for a >= 0.5625, from e^2a, given ac = a clamped at 9.0625 (tanh rounds to 1
/// from 9.0109 on: the clamp keeps n <= 26, and inf and NaN harmless) and pow2 mapping the
/// shifted value `sh` below to 2^(n-1), by moving its low bits into the exponent field.
template <class F, class Pow2>
GRADLAB_INLINE F tanh_large_form(F ac, Pow2 pow2) {
  const F y = ac + ac;
  // n = round(y / ln2) by the 1.5 * 2^23 trick. The low bits of `sh` are then n.
  const F sh = y * 0x1.715476p+0f + 0x1.8p23f;
  const F n = sh - 0x1.8p23f;
  // r = y - n ln2 with ln2 = L1 + L2. L1 has 15 significant bits, so n * L1 and y - n * L1 are
  // exact. The one rounding is r's own (at most 2^-26).
  const F r = (y - n * 0x1.62e4p-1f) - n * 0x1.7f7d1cp-20f;
  const F half_n = pow2(sh);  // 2^(n-1)
  F q = r * 0x1.6a4f28p-10f + 0x1.12398p-7f;
  q = q * r + 0x1.5558aep-5f;
  q = q * r + 0x1.555492p-3f;
  q = q * r + 0x1.fffffcp-2f;
  const F m = r + (r * r) * q;  // e^r - 1
  // D' = (e^y + 1)/2 = (2^(n-1) + 1/2) + 2^(n-1) m = A + B. B is exact, and so is A for
  // n <= 23. For larger n, A's rounding moves 1/D' (< 2^-22) by less than 2^-46. Fast2Sum
  // (|A| >= |B|, as |m| < 0.42) splits A + B exactly into Dh + Dl.
  const F A = half_n + 0.5f, B = half_n * m;
  const F Dh = A + B;
  const F Dl = B - (Dh - A);
  const F q0 = 1.0f / Dh;  // 1/D' = q0 - q0^2 Dl, to second order in Dl/Dh < 2^-24
  // 1 - q0 = h + l exactly (Fast2Sum: 1 >= q0), so the only rounding left is the last add
  const F h = 1.0f - q0;
  const F l = (1.0f - h) - q0;
  return h + (l + (q0 * q0) * Dl);
}

/// float32 tanh in float32 arithmetic only, four lanes per vector (the previous kernel, a
/// double evaluation rounded once, ran two lanes and was a quarter of a tanh MLP's training
/// time). Error at most 0.887 ulp over every float input (tests/exhaustive/tanh_exhaustive.cpp;
/// the worst case is x = 0x1.c6bf6ep-1), where PyTorch's own CPU kernel (SLEEF's tanhf)
/// promises 1 ulp; 98.4% of results in [2^-12, 9.02] are correctly rounded. It is odd, so
/// tanh(-x) == -tanh(x) exactly, and tanh(+-0) = +-0. Denormals and other tiny x return x,
/// |x| >= 9.0109 returns exactly +-1 (as do +-inf), and a quiet NaN comes back with the same
/// bits. Selects are bit masks, not ?: on computed floats, so the loop vectorises under any
/// trapping-math setting; no FMA contraction (-ffp-contract=off) keeps the error-free steps
/// exact and the bits the same in every build.
///
/// On a = |x| it computes two results and keeps one per lane, both in plain float32 ops:
///  - a < 0.5625: a + a^3 P(a^2). P has 5 terms, a minimax fit for error relative to tanh
///    (tests/exhaustive/fit_tanh.py, |error| < 2^-29.4). Worst error 0.78 ulp.
///  - a >= 0.5625: 1 - 1/D' with D' = (e^2a + 1)/2. There tanh >= 0.51, so 1/D' <= 0.49 and
///    the subtraction scales down the errors in 1/D'. e^2a = 2^n e^r, with
///    r = 2a - n ln2 in [-ln2/2, ln2/2]. e^r = 1 + r + r^2 Q(r), where Q has 5 terms fitted for
///    error relative to e^r (fit_tanh.py, < 2^-28.3). The rounding of D' and of 1 - 1/D' is
///    carried exactly with Fast2Sum, so the error bound works out as
///    0.5 (final rounding) + 0.25 (rounding of 1/D') + about 0.2 (from e^r). Worst error
///    0.887 ulp.
/// Why the branch point is 0.5625: below tanh = 0.5 the second form's errors are worth twice
/// as many ulps, and above it the polynomial needs more terms (and its own rounding grows).
GRADLAB_INLINE float tanh_f32(float x) {
  const std::uint32_t xb = f32_bits(x);
  const std::int32_t ab = static_cast<std::int32_t>(xb & 0x7fffffffu);
  const float a = f32_from_bits(static_cast<std::uint32_t>(ab));
  const float t_small = tanh_small_form(a);
  // The clamp is a min on the bits, as integers: non-negative floats order like their bit
  // patterns, and an integer min is no ?: on floats.
  const float ac = f32_from_bits(static_cast<std::uint32_t>(ab < 0x41110000 ? ab : 0x41110000));
  const float t_large = tanh_large_form(ac, [](float sh) GRADLAB_INLINE_LAMBDA {
    return f32_from_bits((f32_bits(sh) << 23) + (126u << 23));
  });
  // Per-lane choice as a mask. A NaN compares false and takes t_small, which is the NaN itself
  // carried through the arithmetic (every NaN there comes from a, so a quiet NaN keeps its bits).
  const std::uint32_t large = 0u - static_cast<std::uint32_t>(a >= 0.5625f);
  const std::uint32_t t = (f32_bits(t_large) & large) | (f32_bits(t_small) & ~large);
  return f32_from_bits(t | (xb & 0x80000000u));  // odd: put x's sign back
}

/// tanh of a double with the bits of SLEEF's Sleef_tanhd4_u10 (PyTorch's float64 tanh in builds
/// without MKL) in every build; a NaN comes back as it is. tanh_f64.cpp.
double tanh_f64(double x);

/// r[i] = tanh_f32(a[i]) for i < n, the same bits; the tanh op's float32 loop (the first
/// argument, a functor pointer in kernels::map_fn, is unused). tanh_loop.cpp.
void tanh_f32_loop(const void*, const float* __restrict a, float* __restrict r, std::size_t n);

/// c[0] x^(N-1) + ... + c[N-1] by Horner's rule, in that order (N is a constant: the loop
/// unrolls into the same multiply-adds as writing them out).
template <std::size_t N>
GRADLAB_INLINE double horner(double x, const double (&c)[N]) {
  double p = c[0];
  for (std::size_t i = 1; i < N; ++i) p = p * x + c[i];
  return p;
}

/// exp for a float32 argument, evaluated in double (to ~1e-16 relative) and rounded once by the
/// caller, without branches or tables, so that an elementwise loop over floats vectorises
/// (f64x2 in WebAssembly). Beyond [-104, 89] the float result is 0 or
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
  // e^r - 1 = r (1 + r/2 + ... + r^12/13!) (the next term is below 5e-18 relative)
  static constexpr double kExpm1[] = {1.0 / 6227020800.0,
                                      1.0 / 479001600.0,
                                      1.0 / 39916800.0,
                                      1.0 / 3628800.0,
                                      1.0 / 362880.0,
                                      1.0 / 40320.0,
                                      1.0 / 5040.0,
                                      1.0 / 720.0,
                                      1.0 / 120.0,
                                      1.0 / 24.0,
                                      1.0 / 6.0,
                                      0.5,
                                      1.0};
  const double y = two_n + two_n * (horner(r, kExpm1) * r);
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
  static constexpr double kAtanh[] = {1.0 / 23, 1.0 / 21, 1.0 / 19, 1.0 / 17, 1.0 / 15, 1.0 / 13,
                                      1.0 / 11, 1.0 / 9,  1.0 / 7,  1.0 / 5,  1.0 / 3,  1.0};
  return 2.0 * (t * horner(t2, kAtanh)) + e * 0.69314718055994530942;
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
