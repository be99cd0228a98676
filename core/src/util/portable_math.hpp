#pragma once
// exp and log written with plain IEEE arithmetic, so that float32 results are the same bits in
// every build: glibc (native) and WebAssembly's libm differ in the last bit of exp/log/log1p,
// and a training run amplifies one bit into a different trajectory. Accurate to about 1e-16
// relative, so a float32 result rounded from them is correctly rounded but for rare near-ties.
// float64 kernels keep the platform libm (the golden float64 checks want its last bits).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

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
inline float tanh_f32(float xf) {
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

/// The elementwise kernels' exp/log/log1p: portable for float32, libm for float64.
template <class T>
T exp_of(T x) {
  if constexpr (std::is_same_v<T, float>)
    return static_cast<float>(exp(x));
  else
    return std::exp(x);
}
template <class T>
T log_of(T x) {
  if constexpr (std::is_same_v<T, float>)
    return static_cast<float>(log(x));
  else
    return std::log(x);
}
template <class T>
T log1p_of(T x) {
  if constexpr (std::is_same_v<T, float>)
    return static_cast<float>(log1p(x));
  else
    return std::log1p(x);
}

}  // namespace gradlab::portable
