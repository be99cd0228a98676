#pragma once
// Private: tensor ** number as the pow kernel computes it, shared with the session's fused
// evaluators so that their float32 results are the kernel's, bit for bit.
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

}  // namespace gradlab::kernels
