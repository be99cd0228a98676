#pragma once
/// \file activation.hpp
/// Activations with options, as torch / torch.nn.functional names them, and softmax /
/// log_softmax (tanh, sigmoid, relu and silu are rows of the op table: unary.hpp).
#include <string>

#include "gradlab/tensor.hpp"

namespace gradlab {

Tensor leaky_relu(const Tensor& a, double negative_slope = 0.01);
Tensor elu(const Tensor& a, double alpha = 1.0);
/// approximate: "none" (erf form) or "tanh"; anything else is PyTorch's RuntimeError.
Tensor gelu(const Tensor& a, const std::string& approximate = "none");
Tensor softplus(const Tensor& a, double beta = 1.0, double threshold = 20.0);
/// exp(a - max) / sum(exp(a - max)) along dim.
Tensor softmax(const Tensor& a, long long dim);
/// a - max - log(sum(exp(a - max))) along dim (log-sum-exp, stable for large inputs).
Tensor log_softmax(const Tensor& a, long long dim);

}  // namespace gradlab
