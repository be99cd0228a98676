#pragma once
/// \file arith.hpp
/// Broadcasting arithmetic and the book's elementwise functions.
#include "gradlab/tensor.hpp"

namespace gradlab {

Tensor add(const Tensor& a, const Tensor& b, double alpha = 1.0);
Tensor sub(const Tensor& a, const Tensor& b, double alpha = 1.0);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor neg(const Tensor& a);
/// tensor ** scalar
Tensor pow(const Tensor& a, double exponent);
Tensor exp(const Tensor& a);
Tensor log(const Tensor& a);

/// A Python number used as an operand: a 0-dim tensor in a's dtype that takes no part in
/// type promotion (PyTorch's "wrapped number").
Tensor wrap_scalar(double v, const Tensor& like);

}  // namespace gradlab
