#pragma once
// exp and log written with plain IEEE arithmetic, so that float32 results are the same bits in
// every build: glibc (native) and WebAssembly's libm differ in the last bit of exp/log/log1p,
// and a training run amplifies one bit into a different trajectory. Accurate to about 1e-16
// relative, so a float32 result rounded from them is correctly rounded but for rare near-ties.
// float64 kernels keep the platform libm (the golden float64 checks want its last bits).
#include <cmath>
#include <type_traits>

namespace gradlab::portable {

double exp(double x);

/// 2^(j/32) for j = 0..31 (exp's table), and what each double leaves out of the exact value.
extern const double kTwoToJ32[32];
extern const double kTwoToJ32Lo[32];

namespace detail {
/// x = k ln2/32 + r with |r| <= ln2/64; returns k. k rounds to nearest by the 1.5 * 2^52
/// trick (plain IEEE adds: the same in every build); ln2/32 is split so that k * hi is exact.
inline long long reduce(double x, double& r) {
  const double shift = 0x1.8p52;
  const double kd = (x * 46.16624130844683 + shift) - shift;
  r = (x - kd * 0x1.62e42fefa0000p-6) - kd * 0x1.cf79abc9e3b3ap-45;
  return static_cast<long long>(kd);
}
/// e^r - 1 for |r| <= ln2/64, to r^6/6! (the next term is below 4e-18 relative).
inline double expm1_poly(double r) {
  return r * (1.0 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720))))));
}
}  // namespace detail

/// e^y - 1 for 0 <= y <= 22 (tanh's range), inline for the float32 kernels. 2^(j/32) - 1 is
/// exact for the high part (Sterbenz) and the table's low part is added back, so there is no
/// cancellation for small y: relative error about 2e-16 throughout.
inline double expm1_small(double y) {
  double r;
  const long long k = detail::reduce(y, r);
  const double q = detail::expm1_poly(r);
  const double scale = static_cast<double>(1LL << (k >> 5));  // 2^m, exact
  const double hi = kTwoToJ32[k & 31] * scale, lo = kTwoToJ32Lo[k & 31] * scale;
  return (hi - 1.0) + (lo + hi * q);
}
double log(double x);
/// log(1 + x) for x > -1, without cancellation near 0.
double log1p(double x);

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
