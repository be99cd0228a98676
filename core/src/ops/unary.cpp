// The op table's elementwise math (op_table.def): neg, exp, log, sqrt, abs, sin, cos, atan,
// each forward beside its backward.
#include "ops/unary.hpp"

#include <cmath>

#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"
#include "ops/saved_node.hpp"
#include "util/portable_math.hpp"

namespace gradlab {

using kernels::keep;
using kernels::long_chain;
using kernels::unary_op;

namespace {
class NegBackward0 : public Node {
 public:
  std::string name() const override { return "NegBackward0"; }
  // d(-a)/da = -1
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override { return {neg(g[0])}; }
};
}  // namespace

Tensor neg(const Tensor& a) {
  Tensor out = kernels::unary(a, kernels::neg_fn{});
  kernels::record<NegBackward0>({&a}, out, [] { return std::make_shared<NegBackward0>(); });
  return out;
}

namespace {
class ExpBackward0 : public OneSavedNode {
 public:
  using OneSavedNode::OneSavedNode;
  std::string name() const override { return "ExpBackward0"; }
  // d(exp a)/da = exp a (the saved result)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override { return {mul(g[0], saved())}; }
};
}  // namespace

Tensor exp(const Tensor& a) {
  return unary_op<ExpBackward0>(a, keep::result, long_chain{kernels::exp_fn{}});
}

namespace {
class LogBackward0 : public OneSavedNode {
 public:
  using OneSavedNode::OneSavedNode;
  std::string name() const override { return "LogBackward0"; }
  // d(log a)/da = 1/a
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override { return {div(g[0], saved())}; }
};
}  // namespace

Tensor log(const Tensor& a) {
  return unary_op<LogBackward0>(a, keep::input, long_chain{kernels::log_fn{}});
}

namespace {
class SqrtBackward0 : public OneSavedNode {
 public:
  using OneSavedNode::OneSavedNode;
  std::string name() const override { return "SqrtBackward0"; }
  // d(sqrt a)/da = 1 / (2 sqrt a) (the saved result)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {kernels::binary(g[0], saved(), [](auto x, auto y) { return x / (2 * y); })};
  }
};
}  // namespace

Tensor sqrt(const Tensor& a) {
  return unary_op<SqrtBackward0>(a, keep::result, kernels::sqrt_fn{});
}

namespace {
class AbsBackward0 : public OneSavedNode {
 public:
  using OneSavedNode::OneSavedNode;
  std::string name() const override { return "AbsBackward0"; }
  // d|a|/da = sign(a) (0 at 0)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {kernels::binary(g[0], saved(), [](auto x, auto y) {
      using T = decltype(y);
      return x * static_cast<T>((T(0) < y) - (y < T(0)));
    })};
  }
};
}  // namespace

Tensor abs(const Tensor& a) { return unary_op<AbsBackward0>(a, keep::input, kernels::abs_fn{}); }

namespace {
class SinBackward0 : public OneSavedNode {
 public:
  using OneSavedNode::OneSavedNode;
  std::string name() const override { return "SinBackward0"; }
  // d(sin a)/da = cos a
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {kernels::binary(g[0], saved(), [](auto x, auto y) { return x * std::cos(y); })};
  }
};
}  // namespace

Tensor sin(const Tensor& a) { return unary_op<SinBackward0>(a, keep::input, kernels::sin_fn{}); }

namespace {
class CosBackward0 : public OneSavedNode {
 public:
  using OneSavedNode::OneSavedNode;
  std::string name() const override { return "CosBackward0"; }
  // d(cos a)/da = -sin a
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {kernels::binary(g[0], saved(), [](auto x, auto y) { return x * -std::sin(y); })};
  }
};
}  // namespace

Tensor cos(const Tensor& a) { return unary_op<CosBackward0>(a, keep::input, kernels::cos_fn{}); }

namespace {
class AtanBackward0 : public OneSavedNode {
 public:
  using OneSavedNode::OneSavedNode;
  std::string name() const override { return "AtanBackward0"; }
  // d(atan a)/da = 1 / (a^2 + 1), as PyTorch's derivatives.yaml: grad / (self * self + 1)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {kernels::binary(g[0], saved(), [](auto x, auto y) { return x / (y * y + 1); })};
  }
};
}  // namespace

Tensor atan(const Tensor& a) { return unary_op<AtanBackward0>(a, keep::input, kernels::atan_fn{}); }

}  // namespace gradlab
