#pragma once
/// \file elementwise.hpp
/// Elementwise math with more than one operand or with options: powers, clamp and maximum.
/// All broadcast where PyTorch broadcasts. Tensor -> Tensor ops are rows of the op table
/// (unary.hpp).
#include <limits>

#include "gradlab/tensor.hpp"

namespace gradlab {

/// tensor ** tensor (PowBackward1), broadcasting.
Tensor pow(const Tensor& a, const Tensor& exponent);
/// scalar ** tensor, Python's `2.0 ** a` (PowBackward2).
Tensor pow(double base, const Tensor& exponent);
inline Tensor rpow(const Tensor& exponent, double base) { return pow(base, exponent); }
/// a.clamp(min, max); pass -inf / +inf for a missing bound (ClampBackward1).
Tensor clamp(const Tensor& a, double min = -std::numeric_limits<double>::infinity(),
             double max = std::numeric_limits<double>::infinity());
/// torch.maximum(a, b): elementwise max; ties share the gradient equally (MaximumBackward0).
Tensor maximum(const Tensor& a, const Tensor& b);

}  // namespace gradlab
