#pragma once
/// \file init.hpp
/// torch.nn.init and nn.Linear's default initialisation. The bounds are computed in double,
/// as Python computes them, and the values drawn by Tensor.uniform_ / normal_ under no_grad,
/// so a seeded model starts from PyTorch's exact weights. Errors are PyTorch's ValueErrors.
#include <cstddef>
#include <string>
#include <utility>

#include "gradlab/random/generator.hpp"
#include "gradlab/tensor.hpp"

namespace gradlab::nn::init {

using random::default_generator;
using random::generator;

/// The UserWarning PyTorch prints when kaiming_uniform_ / kaiming_normal_ get a tensor with
/// a zero in its shape; they then leave it unchanged and draw nothing.
inline constexpr const char* zero_element_warning = "Initializing zero-element tensors is a no-op";

/// nn.init.calculate_gain(nonlinearity, param). param is the leaky_relu slope; pass
/// has_param = false for None (slope 0.01).
double calculate_gain(const std::string& nonlinearity, double param = 0.0, bool has_param = false);
/// (fan_in, fan_out) of a weight of this shape: dims 1 and 0 times the product of the rest.
/// ValueError for fewer than 2 dimensions.
std::pair<std::size_t, std::size_t> calculate_fan_in_and_fan_out(const shape_t& shape);

Tensor& uniform_(Tensor& t, double a = 0.0, double b = 1.0, generator& g = default_generator());
Tensor& normal_(Tensor& t, double mean = 0.0, double std = 1.0, generator& g = default_generator());
Tensor& constant_(Tensor& t, double value);
Tensor& ones_(Tensor& t);
Tensor& zeros_(Tensor& t);
/// U(-bound, bound), bound = gain sqrt(6 / (fan_in + fan_out))
Tensor& xavier_uniform_(Tensor& t, double gain = 1.0, generator& g = default_generator());
/// N(0, std^2), std = gain sqrt(2 / (fan_in + fan_out))
Tensor& xavier_normal_(Tensor& t, double gain = 1.0, generator& g = default_generator());
/// U(-bound, bound), bound = sqrt(3) gain / sqrt(fan), gain = calculate_gain(nonlinearity, a);
/// mode "fan_in" or "fan_out" (any case).
Tensor& kaiming_uniform_(Tensor& t, double a = 0.0, const std::string& mode = "fan_in",
                         const std::string& nonlinearity = "leaky_relu",
                         generator& g = default_generator());
/// N(0, std^2), std = gain / sqrt(fan)
Tensor& kaiming_normal_(Tensor& t, double a = 0.0, const std::string& mode = "fan_in",
                        const std::string& nonlinearity = "leaky_relu",
                        generator& g = default_generator());

struct linear_parameters {
  Tensor weight;  ///< (out_features, in_features)
  Tensor bias;    ///< (out_features), undefined when bias=false
};
/// nn.Linear(in_features, out_features, bias, dtype)'s parameters as reset_parameters()
/// leaves them: weight by kaiming_uniform_(a=sqrt(5)), then bias by uniform_(-1/sqrt(fan_in),
/// 1/sqrt(fan_in)) (0 when fan_in is 0), in that order. Both require grad.
linear_parameters linear(std::size_t in_features, std::size_t out_features, bool bias = true,
                         dtype d = dtype::float32, generator& g = default_generator());

}  // namespace gradlab::nn::init
