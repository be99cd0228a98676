// tensor ** scalar: forward and backward side by side.
#include <cmath>

#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"

namespace gradlab {

namespace {
/// PyTorch special-cases common exponents (x*x for 2, sqrt for 0.5, ...); doing the same
/// keeps float32 results bit-for-bit where it matters (the book's squared error).
template <class T>
T pow_scalar(T x, double e) {
  if (e == 2.0) return x * x;
  if (e == 3.0) return x * x * x;
  if (e == 1.0) return x;
  if (e == 0.5) return std::sqrt(x);
  if (e == -0.5) return T(1) / std::sqrt(x);
  if (e == -1.0) return T(1) / x;
  if (e == -2.0) return T(1) / (x * x);
  return std::pow(x, static_cast<T>(e));
}

class PowBackward0 : public Node {
 public:
  PowBackward0(const Tensor& a, double e) : a_(a), e_(e) {}
  std::string name() const override { return "PowBackward0"; }
  bool saves_values() const override { return true; }
  // d(a^e)/da = e * a^(e-1)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const Tensor a = a_.unpack();
    if (e_ == 0.0) return {mul(g[0], wrap_scalar(0.0, a))};
    return {mul(g[0], mul(wrap_scalar(e_, a), pow(a, e_ - 1.0)))};
  }
  void release_saved() override { a_.reset(); }

 private:
  SavedTensor a_;
  double e_;
};
}  // namespace

Tensor pow(const Tensor& a, double e) {
  Tensor out = kernels::unary(a, [e](auto x) { return pow_scalar(x, e); });
  kernels::record<PowBackward0>({&a}, out, [&] { return std::make_shared<PowBackward0>(a, e); });
  return out;
}

}  // namespace gradlab
