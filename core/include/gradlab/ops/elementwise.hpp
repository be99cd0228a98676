#pragma once
/// \file elementwise.hpp
/// Elementwise math beyond the book's arithmetic: powers, roots, abs, trigonometry, clamp
/// and maximum. All broadcast where PyTorch broadcasts.
#include <limits>

#include "gradlab/tensor.hpp"

namespace gradlab {

/// tensor ** tensor (PowBackward1), broadcasting.
Tensor pow(const Tensor& a, const Tensor& exponent);
/// scalar ** tensor, Python's `2.0 ** a` (PowBackward2).
Tensor pow(double base, const Tensor& exponent);
inline Tensor rpow(const Tensor& exponent, double base) { return pow(base, exponent); }
Tensor sqrt(const Tensor& a);
Tensor abs(const Tensor& a);
Tensor sin(const Tensor& a);
Tensor cos(const Tensor& a);
/// a.clamp(min, max); pass -inf / +inf for a missing bound (ClampBackward1).
Tensor clamp(const Tensor& a, double min = -std::numeric_limits<double>::infinity(),
             double max = std::numeric_limits<double>::infinity());
/// torch.maximum(a, b): elementwise max; ties share the gradient equally (MaximumBackward0).
Tensor maximum(const Tensor& a, const Tensor& b);

}  // namespace gradlab
