// clamp and maximum: forward and backward side by side.
#include <cmath>
#include <limits>

#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"
#include "ops/op_call.hpp"
#include "ops/saved_node.hpp"

namespace gradlab {

namespace {
class ClampBackward1 : public OneSavedNode {
 public:
  ClampBackward1(const Tensor& a, double lo, double hi)
      : OneSavedNode(a, false), lo_(lo), hi_(hi) {}
  std::string name() const override { return "ClampBackward1"; }
  // d(clamp a)/da = 1 where min <= a <= max, else 0
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const double lo = lo_, hi = hi_;
    return {kernels::binary(g[0], saved(),
                            [lo, hi](auto x, auto y) { return (y >= lo && y <= hi) ? x : 0 * x; })};
  }

 private:
  double lo_, hi_;
};

class MaximumBackward0 : public TwoSavedNode {
 public:
  using TwoSavedNode::TwoSavedNode;
  std::string name() const override { return "MaximumBackward0"; }
  // d max(a, b)/da = 1 where a > b, 1/2 where a == b, 0 where a < b (and the mirror for b)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const Tensor a = saved_a(), b = saved_b();
    const Tensor ga_mask = kernels::binary(a, b, [](auto x, auto y) {
      using T = decltype(x);
      return x == y ? T(0.5) : (x < y ? T(0) : T(1));
    });
    Tensor ga, gb;
    if (needs_input_grad(0)) ga = mul(g[0], ga_mask);
    if (needs_input_grad(1)) gb = mul(g[0], kernels::unary(ga_mask, [](auto m) { return 1 - m; }));
    return {ga, gb};
  }
};
}  // namespace

Tensor clamp(const Tensor& a, double lo, double hi) {
  if (std::isnan(lo) || std::isnan(hi)) runtime_error("torch.clamp: min and max must not be nan");
  Tensor out = kernels::unary(a, [lo, hi](auto x) {
    using T = decltype(x);
    if (std::isnan(x)) return x;  // nan propagates, as in PyTorch
    return std::min(std::max(x, static_cast<T>(lo)), static_cast<T>(hi));
  });
  kernels::record<ClampBackward1>({&a}, out,
                                  [&] { return std::make_shared<ClampBackward1>(a, lo, hi); });
  return out;
}

Tensor maximum(const Tensor& a, const Tensor& b) {
  Tensor out = kernels::binary(a, b, [](auto x, auto y) {
    if (std::isnan(x) || std::isnan(y)) return x + y;  // nan propagates
    return x < y ? y : x;
  });
  kernels::record<MaximumBackward0>({&a, &b}, out,
                                    [&] { return std::make_shared<MaximumBackward0>(a, b); });
  return out;
}

// ------------------------------------------------------------------ table rows (op_table.def)
namespace op_call {
Tensor clamp(const op_arg* a, std::size_t) {
  if (a[1].is_none() && a[2].is_none())
    runtime_error("torch.clamp: At least one of 'min' or 'max' must not be None");
  const double inf = std::numeric_limits<double>::infinity();
  return gradlab::clamp(op_read::tensor(a, 0, "clamp", "input"),
                        op_read::optional_real(a, 1, -inf, "clamp", "min"),
                        op_read::optional_real(a, 2, inf, "clamp", "max"));
}
Tensor clip(const op_arg* a, std::size_t n) { return clamp(a, n); }
Tensor maximum(const op_arg* a, std::size_t) {
  return with_tensor(&gradlab::maximum, a, "maximum", "other");
}
}  // namespace op_call

}  // namespace gradlab
