// Powers: tensor ** scalar, tensor ** tensor and scalar ** tensor, forward and backward side by
// side.
#include <cmath>

#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"
#include "ops/pow_scalar.hpp"
#include "ops/saved_node.hpp"

namespace gradlab {

namespace {
class PowBackward0 : public OneSavedNode {
 public:
  PowBackward0(const Tensor& a, double e) : OneSavedNode(a, false), e_(e) {}
  std::string name() const override { return "PowBackward0"; }
  // d(a^e)/da = e * a^(e-1) (pow_scalar_grad_fn)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {kernels::binary(g[0], saved(), kernels::pow_scalar_grad_fn{e_})};
  }

 private:
  double e_;
};

class PowBackward1 : public Node {
 public:
  PowBackward1(const Tensor& a, const Tensor& b, const Tensor& result)
      : a_(a), b_(b), result_(result, true) {}
  std::string name() const override { return "PowBackward1"; }
  bool saves_values() const override { return true; }
  // d(a^b)/da = b * a^(b-1) (0 where b == 0); d(a^b)/db = a^b * log(a) (0 where a == 0, b >= 0)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const Tensor a = a_.unpack(), b = b_.unpack();
    Tensor ga, gb;
    if (needs_input_grad(0)) {
      const Tensor d = kernels::binary(
          a, b, [](auto x, auto y) { return y == 0 ? decltype(x)(0) : y * std::pow(x, y - 1); });
      ga = mul(g[0], d);
    }
    if (needs_input_grad(1)) {
      const Tensor r = result_.unpack();
      const Tensor la = kernels::binary(
          a, b, [](auto x, auto y) { return (x == 0 && y >= 0) ? decltype(x)(0) : std::log(x); });
      gb = mul(g[0], mul(r, la));
    }
    return {ga, gb};
  }
  void release_saved() override {
    a_.reset();
    b_.reset();
    result_.reset();
  }

 private:
  SavedTensor a_, b_, result_;
};

class PowBackward2 : public OneSavedNode {
 public:
  PowBackward2(double base, const Tensor& result) : OneSavedNode(result, true), base_(base) {}
  std::string name() const override { return "PowBackward2"; }
  // d(s^b)/db = s^b * log(s) (0 where s == 0 and b >= 0)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const Tensor r = saved();
    if (base_ == 0.0) {
      const Tensor d = kernels::unary(r, [](auto) { return 0.0; });
      return {mul(g[0], d)};
    }
    const double lb = std::log(base_);
    return {kernels::binary(
        g[0], r, [lb](auto x, auto y) { return x * (y * static_cast<decltype(y)>(lb)); })};
  }

 private:
  double base_;
};
}  // namespace

Tensor pow(const Tensor& a, const Tensor& b) {
  Tensor out = kernels::binary(a, b, [](auto x, auto y) { return std::pow(x, y); });
  kernels::record<PowBackward1>({&a, &b}, out,
                                [&] { return std::make_shared<PowBackward1>(a, b, out); });
  return out;
}

Tensor pow(double base, const Tensor& b) {
  Tensor out =
      kernels::unary(b, [base](auto y) { return std::pow(static_cast<decltype(y)>(base), y); });
  kernels::record<PowBackward2>({&b}, out,
                                [&] { return std::make_shared<PowBackward2>(base, out); });
  return out;
}

Tensor pow(const Tensor& a, double e) {
  Tensor out = kernels::unary(a, kernels::pow_scalar_fn{e});
  kernels::record<PowBackward0>({&a}, out, [&] { return std::make_shared<PowBackward0>(a, e); });
  return out;
}

// ------------------------------------------------------------------ table rows (op_table.def)
namespace op_call {
// pow(input, exponent): Tensor ** Number (PowBackward0), Tensor ** Tensor (1), Number ** Tensor (2)
Tensor pow(const op_arg* a, std::size_t) {
  if (a[0].kind != op_arg::tensor && a[1].kind == op_arg::tensor)
    return gradlab::pow(op_read::real(a, 0, "pow", "input"), a[1].t);
  const Tensor x = op_read::tensor(a, 0, "pow", "input");
  if (a[1].kind == op_arg::tensor) return gradlab::pow(x, a[1].t);
  return gradlab::pow(x, op_read::real(a, 1, "pow", "exponent"));
}
}  // namespace op_call

}  // namespace gradlab
