#pragma once
// gradcheck: torch.autograd.gradcheck for gradlab. Compares the analytic Jacobian (one
// backward per output element) with central finite differences in float64, and says which
// element differs. Header-only: the tests glob only *_test.cpp.
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "gradlab/autograd.hpp"
#include "gradlab/ops.hpp"

namespace gradlab::testing {

struct gradcheck_options {
  double eps = 1e-6;   ///< finite-difference step
  double atol = 1e-5;  ///< |analytic - numeric| <= atol + rtol * |numeric|
  double rtol = 1e-3;
};

struct gradcheck_result {
  bool ok = true;
  std::string message;  ///< empty when ok; otherwise which output/input/element differs
};

using gradcheck_fn = std::function<Tensor(const std::vector<Tensor>&)>;

namespace detail {
inline std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

/// Evaluates fn on copies of `inputs` (no graph), input `which` moved by `delta` at `at`.
inline std::vector<double> eval_shifted(const gradcheck_fn& fn, const std::vector<Tensor>& inputs,
                                        std::size_t which, std::size_t at, double delta) {
  no_grad_guard ng;
  std::vector<Tensor> xs;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::vector<double> v = inputs[i].to_vector();
    if (i == which) v[at] += delta;
    xs.push_back(Tensor::from_values(v, inputs[i].shape(), dtype::float64));
  }
  return fn(xs).to_vector();
}
}  // namespace detail

/// Checks every input that requires grad. Inputs must be float64 (the differences need it).
inline gradcheck_result gradcheck(const gradcheck_fn& fn, const std::vector<Tensor>& inputs,
                                  const gradcheck_options& opt = {}) {
  for (const auto& x : inputs)
    if (x.dtype() != dtype::float64) return {false, "gradcheck needs float64 inputs"};
  // analytic Jacobian, one row per output element: d out[r] / d inputs
  Tensor out = fn(inputs);
  const std::size_t n_out = out.numel();
  if (!out.requires_grad()) return {false, "the output does not require grad"};
  std::vector<std::vector<std::vector<double>>> analytic(inputs.size());
  for (std::size_t r = 0; r < n_out; ++r) {
    for (const auto& x : inputs)
      if (x.requires_grad()) Tensor(x).set_grad(Tensor());
    std::vector<double> onehot(n_out, 0.0);
    onehot[r] = 1.0;
    out.backward(Tensor::from_values(onehot, out.shape(), out.dtype()), /*retain_graph=*/true);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (!inputs[i].requires_grad()) continue;
      const Tensor g = inputs[i].grad();
      analytic[i].push_back(g.defined() ? g.to_vector()
                                        : std::vector<double>(inputs[i].numel(), 0.0));
    }
  }
  for (const auto& x : inputs)
    if (x.requires_grad()) Tensor(x).set_grad(Tensor());
  // numeric Jacobian, one column per input element, compared as it is made
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].requires_grad()) continue;
    for (std::size_t j = 0; j < inputs[i].numel(); ++j) {
      const auto plus = detail::eval_shifted(fn, inputs, i, j, opt.eps);
      const auto minus = detail::eval_shifted(fn, inputs, i, j, -opt.eps);
      for (std::size_t r = 0; r < n_out; ++r) {
        const double numeric = (plus[r] - minus[r]) / (2 * opt.eps);
        const double a = analytic[i][r][j];
        if (!(std::fabs(a - numeric) <= opt.atol + opt.rtol * std::fabs(numeric)))
          return {false, "Jacobian mismatch for output element " + std::to_string(r) +
                             " with respect to input " + std::to_string(i) + ", element " +
                             std::to_string(j) + ": numerical " + detail::num(numeric) +
                             ", analytical " + detail::num(a)};
      }
    }
  }
  return {};
}

}  // namespace gradlab::testing
