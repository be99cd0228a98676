// neg, exp, log: forward and backward side by side (neg's element rule in unary.hpp).
#include "ops/unary.hpp"

#include <cmath>

#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"
#include "util/portable_math.hpp"

namespace gradlab {

namespace {
class NegBackward0 : public Node {
 public:
  std::string name() const override { return "NegBackward0"; }
  // d(-a)/da = -1
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override { return {neg(g[0])}; }
};

class ExpBackward0 : public Node {
 public:
  explicit ExpBackward0(const Tensor& result) : result_(result, true) {}
  std::string name() const override { return "ExpBackward0"; }
  bool saves_values() const override { return true; }
  // d(exp a)/da = exp a (the saved result)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {mul(g[0], result_.unpack())};
  }
  void release_saved() override { result_.reset(); }

 private:
  SavedTensor result_;
};

class LogBackward0 : public Node {
 public:
  explicit LogBackward0(const Tensor& a) : a_(a) {}
  std::string name() const override { return "LogBackward0"; }
  bool saves_values() const override { return true; }
  // d(log a)/da = 1/a
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override { return {div(g[0], a_.unpack())}; }
  void release_saved() override { a_.reset(); }

 private:
  SavedTensor a_;
};
}  // namespace

Tensor neg(const Tensor& a) {
  Tensor out = kernels::unary(a, kernels::neg_fn{});
  kernels::record<NegBackward0>({&a}, out, [] { return std::make_shared<NegBackward0>(); });
  return out;
}

Tensor exp(const Tensor& a) {
  Tensor out = kernels::unary(
      a, kernels::long_chain{[](auto x) GRADLAB_INLINE_LAMBDA { return portable::exp_of(x); }});
  kernels::record<ExpBackward0>({&a}, out, [&] { return std::make_shared<ExpBackward0>(out); });
  return out;
}

Tensor log(const Tensor& a) {
  Tensor out = kernels::unary(
      a, kernels::long_chain{[](auto x) GRADLAB_INLINE_LAMBDA { return portable::log_of(x); }});
  kernels::record<LogBackward0>({&a}, out, [&] { return std::make_shared<LogBackward0>(a); });
  return out;
}

}  // namespace gradlab
