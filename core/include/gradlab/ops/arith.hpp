#pragma once
/// \file arith.hpp
/// Broadcasting arithmetic (neg, exp and log are rows of the op table: unary.hpp).
#include "gradlab/tensor.hpp"

namespace gradlab {

Tensor add(const Tensor& a, const Tensor& b, double alpha = 1.0);
Tensor sub(const Tensor& a, const Tensor& b, double alpha = 1.0);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
/// tensor ** scalar
Tensor pow(const Tensor& a, double exponent);

/// A Python number used as an operand: a 0-dim tensor in a's dtype that takes no part in
/// type promotion (PyTorch's "wrapped number").
Tensor wrap_scalar(double v, const Tensor& like);

}  // namespace gradlab
