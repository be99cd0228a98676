// mul and div: forward and backward side by side.
#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"

namespace gradlab {

namespace {
class MulBackward0 : public Node {
 public:
  MulBackward0(const Tensor& a, const Tensor& b) : a_(a), b_(b) {}
  std::string name() const override { return "MulBackward0"; }
  bool saves_values() const override { return true; }
  // d(a*b)/da = b, d(a*b)/db = a
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    Tensor ga, gb;
    if (needs_input_grad(0)) ga = mul(g[0], b_.unpack());
    if (needs_input_grad(1)) gb = mul(g[0], a_.unpack());
    return {ga, gb};
  }
  void release_saved() override { a_.reset(); b_.reset(); }

 private:
  SavedTensor a_, b_;
};

class DivBackward0 : public Node {
 public:
  DivBackward0(const Tensor& a, const Tensor& b) : a_(a), b_(b) {}
  std::string name() const override { return "DivBackward0"; }
  bool saves_values() const override { return true; }
  // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2 (computed as -g * ((a/b)/b), as PyTorch does)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    Tensor ga, gb;
    const Tensor b = b_.unpack();
    if (needs_input_grad(0)) ga = div(g[0], b);
    if (needs_input_grad(1)) gb = mul(neg(g[0]), div(div(a_.unpack(), b), b));
    return {ga, gb};
  }
  void release_saved() override { a_.reset(); b_.reset(); }

 private:
  SavedTensor a_, b_;
};
}  // namespace

Tensor mul(const Tensor& a, const Tensor& b) {
  Tensor out = kernels::binary(a, b, [](auto x, auto y) { return x * y; });
  kernels::record<MulBackward0>({&a, &b}, out, [&] {
    // only what the wanted gradients need is kept alive
    return std::make_shared<MulBackward0>(b.requires_grad() ? a : Tensor(),
                                          a.requires_grad() ? b : Tensor());
  });
  return out;
}

Tensor div(const Tensor& a, const Tensor& b) {
  Tensor out = kernels::binary(a, b, [](auto x, auto y) { return x / y; });
  kernels::record<DivBackward0>({&a, &b}, out, [&] {
    return std::make_shared<DivBackward0>(b.requires_grad() ? a : Tensor(), b);
  });
  return out;
}

}  // namespace gradlab
