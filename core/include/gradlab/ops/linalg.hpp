#pragma once
/// \file linalg.hpp
/// Matrix products on 1-D and 2-D tensors, and the affine map of nn.Linear.
#include "gradlab/tensor.hpp"

namespace gradlab {

/// a @ b: dot (1-D @ 1-D), mv (2-D @ 1-D), vm (1-D @ 2-D, via unsqueeze / mm / squeeze as
/// PyTorch does) or mm (2-D @ 2-D).
Tensor matmul(const Tensor& a, const Tensor& b);
Tensor mm(const Tensor& a, const Tensor& b);
Tensor mv(const Tensor& a, const Tensor& v);
Tensor dot(const Tensor& a, const Tensor& b);
/// bias + m1 @ m2 with bias broadcast (AddmmBackward0).
Tensor addmm(const Tensor& bias, const Tensor& m1, const Tensor& m2);
/// F.linear(x, W, b) = x @ W.T + b; b may be undefined (no bias).
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor());

}  // namespace gradlab
