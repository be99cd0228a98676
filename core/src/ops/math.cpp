// sqrt, abs, sin, cos: forward and backward side by side.
#include <cmath>

#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"

namespace gradlab {

namespace {
class SqrtBackward0 : public Node {
 public:
  explicit SqrtBackward0(const Tensor& result) : result_(result, true) {}
  std::string name() const override { return "SqrtBackward0"; }
  bool saves_values() const override { return true; }
  // d(sqrt a)/da = 1 / (2 sqrt a) (the saved result)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {kernels::binary(g[0], result_.unpack(), [](auto x, auto y) { return x / (2 * y); })};
  }
  void release_saved() override { result_.reset(); }

 private:
  SavedTensor result_;
};

class AbsBackward0 : public Node {
 public:
  explicit AbsBackward0(const Tensor& a) : a_(a) {}
  std::string name() const override { return "AbsBackward0"; }
  bool saves_values() const override { return true; }
  // d|a|/da = sign(a) (0 at 0)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {kernels::binary(g[0], a_.unpack(), [](auto x, auto y) {
      using T = decltype(y);
      return x * static_cast<T>((T(0) < y) - (y < T(0)));
    })};
  }
  void release_saved() override { a_.reset(); }

 private:
  SavedTensor a_;
};

class SinBackward0 : public Node {
 public:
  explicit SinBackward0(const Tensor& a) : a_(a) {}
  std::string name() const override { return "SinBackward0"; }
  bool saves_values() const override { return true; }
  // d(sin a)/da = cos a
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {kernels::binary(g[0], a_.unpack(), [](auto x, auto y) { return x * std::cos(y); })};
  }
  void release_saved() override { a_.reset(); }

 private:
  SavedTensor a_;
};

class CosBackward0 : public Node {
 public:
  explicit CosBackward0(const Tensor& a) : a_(a) {}
  std::string name() const override { return "CosBackward0"; }
  bool saves_values() const override { return true; }
  // d(cos a)/da = -sin a
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {kernels::binary(g[0], a_.unpack(), [](auto x, auto y) { return x * -std::sin(y); })};
  }
  void release_saved() override { a_.reset(); }

 private:
  SavedTensor a_;
};
}  // namespace

Tensor sqrt(const Tensor& a) {
  Tensor out = kernels::unary(a, [](auto x) { return std::sqrt(x); });
  kernels::record<SqrtBackward0>({&a}, out, [&] { return std::make_shared<SqrtBackward0>(out); });
  return out;
}

Tensor abs(const Tensor& a) {
  Tensor out = kernels::unary(a, [](auto x) { return std::fabs(x); });
  kernels::record<AbsBackward0>({&a}, out, [&] { return std::make_shared<AbsBackward0>(a); });
  return out;
}

Tensor sin(const Tensor& a) {
  Tensor out = kernels::unary(a, [](auto x) { return std::sin(x); });
  kernels::record<SinBackward0>({&a}, out, [&] { return std::make_shared<SinBackward0>(a); });
  return out;
}

Tensor cos(const Tensor& a) {
  Tensor out = kernels::unary(a, [](auto x) { return std::cos(x); });
  kernels::record<CosBackward0>({&a}, out, [&] { return std::make_shared<CosBackward0>(a); });
  return out;
}

}  // namespace gradlab
