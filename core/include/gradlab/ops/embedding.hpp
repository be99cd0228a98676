#pragma once
/// \file embedding.hpp
/// F.embedding: row lookup into a weight matrix.
#include <cstdint>
#include <vector>

#include "gradlab/tensor.hpp"

namespace gradlab {

/// weight[indices]: the output has shape index_shape + [weight.shape[1]]. With sparse=true
/// the weight's gradient is a sparse gradient (Tensor::is_sparse) listing the touched rows,
/// which is what SparseAdam needs; otherwise it is an ordinary dense gradient.
Tensor embedding(const std::vector<std::int64_t>& indices, const shape_t& index_shape,
                 const Tensor& weight, bool sparse = false);
/// 1-D indices.
Tensor embedding(const std::vector<std::int64_t>& indices, const Tensor& weight,
                 bool sparse = false);
/// Indices given as a tensor of whole numbers (gradlab has no integer dtype).
Tensor embedding(const Tensor& indices, const Tensor& weight, bool sparse = false);

}  // namespace gradlab
