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
