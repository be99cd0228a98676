#pragma once
/// \file reduce.hpp
/// Reductions.
#include <cstdint>
#include <vector>

#include "gradlab/tensor.hpp"

namespace gradlab {

Tensor sum(const Tensor& a);
Tensor mean(const Tensor& a);
/// a.sum(dim, keepdim) (SumBackward1).
Tensor sum(const Tensor& a, long long dim, bool keepdim = false);
/// a.mean(dim, keepdim) (MeanBackward1).
Tensor mean(const Tensor& a, long long dim, bool keepdim = false);
/// a.max() / a.min() over all elements; ties share the gradient equally, as in PyTorch.
Tensor max(const Tensor& a);
Tensor min(const Tensor& a);

/// torch.return_types.max(values, indices): gradlab has no integer tensors, so the indices
/// are plain integers, row-major, in the shape of values.
struct values_indices {
  Tensor values;
  std::vector<std::int64_t> indices;
};
/// a.max(dim, keepdim) / a.min(dim, keepdim): the gradient flows to the selected element
/// (the first one among ties).
values_indices max(const Tensor& a, long long dim, bool keepdim = false);
values_indices min(const Tensor& a, long long dim, bool keepdim = false);

/// Sums g down to shape (the reverse of broadcasting); the engine's one place for it.
Tensor sum_to(const Tensor& g, const shape_t& shape);

}  // namespace gradlab
