#pragma once
/// \file loss.hpp
/// torch.nn.functional losses with reduction="mean".
#include <cstdint>
#include <vector>

#include "gradlab/tensor.hpp"

namespace gradlab {

Tensor mse_loss(const Tensor& input, const Tensor& target);
Tensor l1_loss(const Tensor& input, const Tensor& target);
Tensor huber_loss(const Tensor& input, const Tensor& target, double delta = 1.0);
/// input holds probabilities in [0, 1]; each log is clamped to >= -100 as PyTorch does.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target);
/// Stable form on logits: max(x, 0) - x * y + log1p(exp(-|x|)).
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target);
/// Negative log likelihood of class-index targets; input is [N, C] (or [C] with one target).
Tensor nll_loss(const Tensor& input, const std::vector<std::int64_t>& target);
/// log_softmax over the class dim followed by nll_loss.
Tensor cross_entropy(const Tensor& input, const std::vector<std::int64_t>& target);
/// Targets given as a tensor of whole numbers (gradlab has no integer dtype).
Tensor cross_entropy(const Tensor& input, const Tensor& target);

}  // namespace gradlab
