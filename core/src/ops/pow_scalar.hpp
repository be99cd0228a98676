#pragma once
// Private: tensor ** number, forward and backward side by side, shared by pow.cpp and the
// session's fused evaluators so that their float32 results are the kernel's, bit for bit.
#include <cmath>

namespace gradlab::kernels {

/// PyTorch special-cases common exponents (x*x for 2, sqrt for 0.5, ...); doing the same
/// keeps float32 results bit-for-bit where it matters (the book's squared error).
template <class T>
T pow_scalar(T x, double e) {
  if (e == 2.0) return x * x;
  if (e == 3.0) return x * x * x;
  if (e == 1.0) return x;
  if (e == 0.5) return std::sqrt(x);
  if (e == -0.5) return T(1) / std::sqrt(x);
  if (e == -1.0) return T(1) / x;
  if (e == -2.0) return T(1) / (x * x);
  return std::pow(x, static_cast<T>(e));
}

/// a ** e for a number e.
struct pow_scalar_fn {
  double e;
  template <class T>
  T operator()(T a) const {
    return pow_scalar(a, e);
  }
};

/// Of the gradient g: d(a^e)/da = e * a^(e-1), as g * (e * a^(e-1)); g * 0 for e == 0.
struct pow_scalar_grad_fn {
  double e;
  template <class T>
  T operator()(T g, T a) const {
    return e == 0.0 ? g * T(0) : g * (static_cast<T>(e) * pow_scalar(a, e - 1.0));
  }
};

}  // namespace gradlab::kernels
