// add and sub: forward and backward side by side (element rules in add.hpp).
#include "ops/add.hpp"

#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"

namespace gradlab {

namespace {
class AddBackward0 : public Node {
 public:
  explicit AddBackward0(double alpha) : alpha_(alpha) {}
  std::string name() const override { return "AddBackward0"; }
  // d(a + alpha*b)/da = 1, d/db = alpha
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    Tensor gb = needs_input_grad(1) && alpha_ != 1.0 ? g[0] * alpha_ : g[0];
    return {g[0], gb};
  }

 private:
  double alpha_;
};

class SubBackward0 : public Node {
 public:
  explicit SubBackward0(double alpha) : alpha_(alpha) {}
  std::string name() const override { return "SubBackward0"; }
  // d(a - alpha*b)/da = 1, d/db = -alpha
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    Tensor gb;
    if (needs_input_grad(1)) gb = alpha_ == 1.0 ? neg(g[0]) : neg(g[0]) * alpha_;
    return {g[0], gb};
  }

 private:
  double alpha_;
};
}  // namespace

Tensor wrap_scalar(double v, const Tensor& like) {
  Tensor t = Tensor::scalar(v, like.defined() ? like.dtype() : dtype::float32);
  t.impl()->wrapped_number = true;
  return t;
}

namespace {
/// a op b by Plain, or a op alpha * b by Scaled, recorded as NodeT.
template <class NodeT, class Plain, class Scaled>
Tensor combine(const Tensor& a, const Tensor& b, double alpha) {
  Tensor out = alpha == 1.0 ? kernels::binary(a, b, Plain{}) : kernels::binary(a, b, Scaled{alpha});
  kernels::record<NodeT>({&a, &b}, out, [&] { return std::make_shared<NodeT>(alpha); });
  return out;
}
}  // namespace

Tensor add(const Tensor& a, const Tensor& b, double alpha) {
  return combine<AddBackward0, kernels::add_fn, kernels::add_scaled_fn>(a, b, alpha);
}

Tensor sub(const Tensor& a, const Tensor& b, double alpha) {
  return combine<SubBackward0, kernels::sub_fn, kernels::sub_scaled_fn>(a, b, alpha);
}

// ------------------------------------------------------------------ table rows (op_table.def)
namespace op_call {
namespace {
// add/sub(input, other, *, alpha): a number on either side becomes a wrapped scalar shaped
// like the tensor operand (Python's 2 + t, t - 1)
Tensor combined(Tensor (*f)(const Tensor&, const Tensor&, double), const op_arg* a,
                const char* op) {
  const double alpha = op_read::real(a, 2, op, "alpha");
  if (a[0].kind != op_arg::tensor && a[1].kind == op_arg::tensor)
    return f(op_read::operand(a, 0, a[1].t, op, "input"), a[1].t, alpha);
  const Tensor x = op_read::tensor(a, 0, op, "input");
  return f(x, op_read::operand(a, 1, x, op, "other"), alpha);
}
}  // namespace
Tensor add(const op_arg* a, std::size_t) { return combined(&gradlab::add, a, "add"); }
Tensor sub(const op_arg* a, std::size_t) { return combined(&gradlab::sub, a, "sub"); }
}  // namespace op_call

}  // namespace gradlab
