// mul and div: forward and backward side by side (element rules in mul.hpp).
#include "ops/mul.hpp"

#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"
#include "ops/saved_node.hpp"

namespace gradlab {

namespace {
class MulBackward0 : public TwoSavedNode {
 public:
  using TwoSavedNode::TwoSavedNode;
  std::string name() const override { return "MulBackward0"; }
  // d(a*b)/da = b, d(a*b)/db = a
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    Tensor ga, gb;
    if (needs_input_grad(0)) ga = mul(g[0], saved_b());
    if (needs_input_grad(1)) gb = mul(g[0], saved_a());
    return {ga, gb};
  }
};

class DivBackward0 : public TwoSavedNode {
 public:
  using TwoSavedNode::TwoSavedNode;
  std::string name() const override { return "DivBackward0"; }
  // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2 (div_grad_b_fn: -g * ((a/b)/b), as PyTorch does)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    Tensor ga, gb;
    const Tensor bv = saved_b();
    if (needs_input_grad(0)) ga = div(g[0], bv);
    if (needs_input_grad(1)) gb = kernels::ternary(g[0], saved_a(), bv, kernels::div_grad_b_fn{});
    return {ga, gb};
  }
};
}  // namespace

Tensor mul(const Tensor& a, const Tensor& b) {
  Tensor out = kernels::binary(a, b, kernels::mul_fn{});
  kernels::record<MulBackward0>({&a, &b}, out, [&] {
    // only what the wanted gradients need is kept alive
    return std::make_shared<MulBackward0>(b.requires_grad() ? a : Tensor(),
                                          a.requires_grad() ? b : Tensor());
  });
  return out;
}

Tensor div(const Tensor& a, const Tensor& b) {
  Tensor out = kernels::binary(a, b, kernels::div_fn{});
  kernels::record<DivBackward0>({&a, &b}, out, [&] {
    return std::make_shared<DivBackward0>(b.requires_grad() ? a : Tensor(), b);
  });
  return out;
}

// ------------------------------------------------------------------ table rows (op_table.def)
namespace op_call {
namespace {
// mul/div(input, other): a number on either side becomes a wrapped scalar
Tensor product(Tensor (*f)(const Tensor&, const Tensor&), const op_arg* a, const char* op) {
  if (a[0].kind != op_arg::tensor && a[1].kind == op_arg::tensor)
    return f(op_read::operand(a, 0, a[1].t, op, "input"), a[1].t);
  const Tensor x = op_read::tensor(a, 0, op, "input");
  return f(x, op_read::operand(a, 1, x, op, "other"));
}
}  // namespace
Tensor mul(const op_arg* a, std::size_t) { return product(&gradlab::mul, a, "mul"); }
Tensor div(const op_arg* a, std::size_t) { return product(&gradlab::div, a, "div"); }
}  // namespace op_call

}  // namespace gradlab
