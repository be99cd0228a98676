// torch/nn/init.py and nn.Linear.reset_parameters (identical in PyTorch 1.13 and 2.x): the
// same double arithmetic as Python's, then the same in-place draws under no_grad.
#include "gradlab/random/init.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/random/distributions.hpp"

namespace gradlab::nn::init {

namespace {

std::size_t correct_fan(const Tensor& t, const std::string& mode) {
  std::string m = mode;
  std::transform(m.begin(), m.end(), m.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (m != "fan_in" && m != "fan_out")
    value_error("Mode " + m + " not supported, please use one of ['fan_in', 'fan_out']");
  const auto fans = calculate_fan_in_and_fan_out(t.shape());
  return m == "fan_in" ? fans.first : fans.second;
}

bool has_zero_dim(const Tensor& t) {
  const shape_t s = t.shape();
  return std::find(s.begin(), s.end(), std::size_t{0}) != s.end();
}

}  // namespace

double calculate_gain(const std::string& nonlinearity, double param, bool has_param) {
  static const char* const linear_fns[] = {
      "linear",           "conv1d",           "conv2d",           "conv3d",
      "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid"};
  for (const char* f : linear_fns)
    if (nonlinearity == f) return 1.0;
  if (nonlinearity == "tanh") return 5.0 / 3;
  if (nonlinearity == "relu") return std::sqrt(2.0);
  if (nonlinearity == "leaky_relu") {
    const double slope = has_param ? param : 0.01;
    return std::sqrt(2.0 / (1 + slope * slope));  // Python's slope ** 2 is this product
  }
  if (nonlinearity == "selu") return 3.0 / 4;
  value_error("Unsupported nonlinearity " + nonlinearity);
}

std::pair<std::size_t, std::size_t> calculate_fan_in_and_fan_out(const shape_t& shape) {
  if (shape.size() < 2)
    value_error("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  std::size_t receptive = 1;
  for (std::size_t i = 2; i < shape.size(); ++i) receptive *= shape[i];
  return {shape[1] * receptive, shape[0] * receptive};
}

Tensor& uniform_(Tensor& t, double a, double b, generator& g) {
  no_grad_guard ng;
  return random::uniform_(t, a, b, g);
}

Tensor& normal_(Tensor& t, double mean, double std, generator& g) {
  no_grad_guard ng;
  return random::normal_(t, mean, std, g);
}

Tensor& constant_(Tensor& t, double value) {
  no_grad_guard ng;
  return t.fill_(value);
}
Tensor& ones_(Tensor& t) { return constant_(t, 1.0); }
Tensor& zeros_(Tensor& t) {
  no_grad_guard ng;
  return t.zero_();
}

Tensor& xavier_uniform_(Tensor& t, double gain, generator& g) {
  const auto fans = calculate_fan_in_and_fan_out(t.shape());
  const double std = gain * std::sqrt(2.0 / static_cast<double>(fans.first + fans.second));
  const double a = std::sqrt(3.0) * std;
  return init::uniform_(t, -a, a, g);
}

Tensor& xavier_normal_(Tensor& t, double gain, generator& g) {
  const auto fans = calculate_fan_in_and_fan_out(t.shape());
  const double std = gain * std::sqrt(2.0 / static_cast<double>(fans.first + fans.second));
  return init::normal_(t, 0.0, std, g);
}

Tensor& kaiming_uniform_(Tensor& t, double a, const std::string& mode,
                         const std::string& nonlinearity, generator& g) {
  if (has_zero_dim(t)) return t;
  const auto fan = static_cast<double>(correct_fan(t, mode));
  const double std = calculate_gain(nonlinearity, a, true) / std::sqrt(fan);
  const double bound = std::sqrt(3.0) * std;
  return init::uniform_(t, -bound, bound, g);
}

Tensor& kaiming_normal_(Tensor& t, double a, const std::string& mode,
                        const std::string& nonlinearity, generator& g) {
  if (has_zero_dim(t)) return t;
  const auto fan = static_cast<double>(correct_fan(t, mode));
  const double std = calculate_gain(nonlinearity, a, true) / std::sqrt(fan);
  return init::normal_(t, 0.0, std, g);
}

linear_parameters linear(std::size_t in_features, std::size_t out_features, bool bias, dtype d,
                         generator& g) {
  linear_parameters p;
  p.weight = Tensor::zeros({out_features, in_features}, d);
  init::kaiming_uniform_(p.weight, std::sqrt(5.0), "fan_in", "leaky_relu", g);
  if (bias) {
    p.bias = Tensor::zeros({out_features}, d);
    const double fan_in = static_cast<double>(in_features);
    // bound is Python's int 0 when fan_in is 0, so -bound is +0, not -0.0
    const double bound = fan_in > 0 ? 1 / std::sqrt(fan_in) : 0.0;
    init::uniform_(p.bias, fan_in > 0 ? -bound : 0.0, bound, g);
    p.bias.requires_grad_(true);
  }
  p.weight.requires_grad_(true);
  return p;
}

}  // namespace gradlab::nn::init
