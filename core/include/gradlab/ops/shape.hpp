#pragma once
/// \file ops/shape.hpp
/// Shape ops: transpose, reshape, (un)squeeze, stack and cat. gradlab stores every tensor
/// contiguously, so these copy where PyTorch would return a view; values and gradients agree.
#include <vector>

#include "gradlab/tensor.hpp"

namespace gradlab {

Tensor transpose(const Tensor& a, long long dim0, long long dim1);
/// a.t(): transpose of a matrix; 0-D and 1-D tensors come back unchanged (TBackward0).
Tensor t(const Tensor& a);
/// a.reshape(shape); one entry may be -1 (inferred).
Tensor reshape(const Tensor& a, const std::vector<long long>& shape);
Tensor unsqueeze(const Tensor& a, long long dim);
/// a.squeeze(dim): drops dim when its size is 1.
Tensor squeeze(const Tensor& a, long long dim);
Tensor stack(const std::vector<Tensor>& tensors, long long dim = 0);
Tensor cat(const std::vector<Tensor>& tensors, long long dim = 0);

}  // namespace gradlab
