// Activations: forward and backward side by side. Each backward is the fused formula of
// PyTorch's own *_backward kernel, so float64 results agree to rounding.
#include <cmath>
#include <type_traits>

#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"
#include "ops/saved_node.hpp"
#include "ops/unary.hpp"
#include "util/portable_math.hpp"

namespace gradlab {

using kernels::record_one;

namespace {
class TanhBackward0 : public OneSavedNode {
 public:
  using OneSavedNode::OneSavedNode;
  std::string name() const override { return "TanhBackward0"; }
  // d(tanh a)/da = 1 - tanh(a)^2, from the saved result. ATen's tanh_backward kernel is
  // compiled with FMA contraction, so in float64 1 - y * y is one fused multiply-add (its
  // bits, in the golden files of both 1.13 and 2.11); float32 keeps plain ops (same bits in
  // every build, and in the fused training step).
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {kernels::binary(g[0], saved(), [](auto x, auto y) {
      if constexpr (std::is_same_v<decltype(x), double>)
        return x * std::fma(-y, y, 1.0);
      else
        return x * (1 - y * y);
    })};
  }
};
}  // namespace

Tensor tanh(const Tensor& a) {
  const kernels::tanh_fn f{};  // float32: tanh_f32_loop, tanh_fn's bits four lanes at a time
  Tensor out = kernels::unary_with(a, &portable::tanh_f32_loop,
                                   &kernels::map_loop<double, kernels::tanh_fn>, &f);
  record_one<TanhBackward0>(a, out, out, true);
  return out;
}

namespace {
class SigmoidBackward0 : public OneSavedNode {
 public:
  using OneSavedNode::OneSavedNode;
  std::string name() const override { return "SigmoidBackward0"; }
  // d(sigmoid a)/da = (1 - s) * s, from the saved result s
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {kernels::binary(g[0], saved(), [](auto x, auto y) { return x * (1 - y) * y; })};
  }
};
}  // namespace

Tensor sigmoid(const Tensor& a) {
  Tensor out = kernels::unary(a, kernels::long_chain{kernels::sigmoid_fn{}});
  record_one<SigmoidBackward0>(a, out, out, true);
  return out;
}

namespace {
class ReluBackward0 : public OneSavedNode {
 public:
  using OneSavedNode::OneSavedNode;
  std::string name() const override { return "ReluBackward0"; }
  // d(relu a)/da = 1 where the result is > 0, else 0
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {kernels::binary(g[0], saved(), [](auto x, auto y) { return y <= 0 ? 0 * x : x; })};
  }
};
}  // namespace

Tensor relu(const Tensor& a) {
  Tensor out = kernels::unary(a, kernels::relu_fn{});
  record_one<ReluBackward0>(a, out, out, true);
  return out;
}

namespace {
class LeakyReluBackward0 : public OneSavedNode {
 public:
  LeakyReluBackward0(const Tensor& a, double slope) : OneSavedNode(a, false), slope_(slope) {}
  std::string name() const override { return "LeakyReluBackward0"; }
  // d(leaky_relu a)/da = 1 where a > 0, else negative_slope
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const double s = slope_;
    return {kernels::binary(g[0], saved(), [s](auto x, auto y) {
      return y > 0 ? x : x * static_cast<decltype(x)>(s);
    })};
  }

 private:
  double slope_;
};
}  // namespace

Tensor leaky_relu(const Tensor& a, double slope) {
  Tensor out = kernels::unary(
      a, [slope](auto x) { return x > 0 ? x : x * static_cast<decltype(x)>(slope); });
  record_one<LeakyReluBackward0>(a, out, a, slope);
  return out;
}

namespace {
class EluBackward0 : public OneSavedNode {
 public:
  EluBackward0(const Tensor& a, double alpha) : OneSavedNode(a, false), alpha_(alpha) {}
  std::string name() const override { return "EluBackward0"; }
  // d(elu a)/da = 1 where a > 0, else alpha * exp(a)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const double al = alpha_;
    return {kernels::binary(g[0], saved(), [al](auto x, auto y) {
      using T = decltype(x);
      return y <= 0 ? x * static_cast<T>(al) * std::exp(y) : x;
    })};
  }

 private:
  double alpha_;
};
}  // namespace

Tensor elu(const Tensor& a, double alpha) {
  Tensor out = kernels::unary(
      a, [alpha](auto x) { return x <= 0 ? std::expm1(x) * static_cast<decltype(x)>(alpha) : x; });
  record_one<EluBackward0>(a, out, a, alpha);
  return out;
}

namespace {
// GELU constants as in PyTorch's kernel: 1/sqrt(2), 1/sqrt(2 pi), sqrt(2/pi), 0.044715.
constexpr double kSqrt1_2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;
constexpr double kSqrt2OverPi = 0.79788456080286535588;
constexpr double kKappa = 0.044715;

class GeluBackward0 : public OneSavedNode {
 public:
  GeluBackward0(const Tensor& a, bool tanh_form) : OneSavedNode(a, false), tanh_(tanh_form) {}
  std::string name() const override { return "GeluBackward0"; }
  // erf form: d/da = Phi(a) + a * phi(a);
  // tanh form: with u = sqrt(2/pi) (a + k a^3): 0.5 (1 + tanh u) + 0.5 a (1 - tanh^2 u) u'
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    if (!tanh_)
      return {kernels::binary(g[0], saved(), [](auto x, auto y) {
        using T = decltype(x);
        const T cdf = T(0.5) * (1 + std::erf(y * T(kSqrt1_2)));
        const T pdf = std::exp(T(-0.5) * y * y) * T(kInvSqrt2Pi);
        return x * (cdf + y * pdf);
      })};
    return {kernels::binary(g[0], saved(), [](auto x, auto y) {
      using T = decltype(x);
      const T y2 = y * y;
      const T inner = T(kSqrt2OverPi) * (y + T(kKappa) * y2 * y);
      const T th = std::tanh(inner);
      const T left_derivative = T(0.5) * (1 + th);
      const T right_derivative =
          T(0.5) * y * (1 - th * th) * T(kSqrt2OverPi) * (1 + 3 * T(kKappa) * y2);
      return x * (left_derivative + right_derivative);
    })};
  }

 private:
  bool tanh_;
};
}  // namespace

Tensor gelu(const Tensor& a, const std::string& approximate) {
  if (approximate != "none" && approximate != "tanh")
    runtime_error("approximate argument must be either none or tanh.");
  const bool tanh_form = approximate == "tanh";
  Tensor out = tanh_form
                   ? kernels::unary(a,
                                    [](auto x) {
                                      using T = decltype(x);
                                      const T inner = T(kSqrt2OverPi) * (x + T(kKappa) * x * x * x);
                                      return T(0.5) * x * (1 + std::tanh(inner));
                                    })
                   : kernels::unary(a, [](auto x) {
                       using T = decltype(x);
                       return x * T(0.5) * (1 + std::erf(x * T(kSqrt1_2)));
                     });
  record_one<GeluBackward0>(a, out, a, tanh_form);
  return out;
}

namespace {
class SiluBackward0 : public OneSavedNode {
 public:
  using OneSavedNode::OneSavedNode;
  std::string name() const override { return "SiluBackward0"; }
  // d(a sigmoid a)/da = s (1 + a (1 - s)), s = sigmoid(a)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {kernels::binary(g[0], saved(),
                            kernels::long_chain{[](auto x, auto y) GRADLAB_INLINE_LAMBDA {
                              const auto s = 1 / (1 + portable::exp_of(-y));
                              return x * s * (1 + y * (1 - s));
                            }})};
  }
};
}  // namespace

Tensor silu(const Tensor& a) {
  Tensor out = kernels::unary(a, kernels::long_chain{kernels::silu_fn{}});
  record_one<SiluBackward0>(a, out, a, false);
  return out;
}

namespace {
class SoftplusBackward0 : public OneSavedNode {
 public:
  SoftplusBackward0(const Tensor& a, double beta, double threshold)
      : OneSavedNode(a, false), beta_(beta), threshold_(threshold) {}
  std::string name() const override { return "SoftplusBackward0"; }
  // d(log(1 + exp(beta a)) / beta)/da = z / (z + 1), z = exp(beta a); 1 above the threshold
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const double b = beta_, th = threshold_;
    return {kernels::binary(
        g[0], saved(), kernels::long_chain{[b, th](auto x, auto y) GRADLAB_INLINE_LAMBDA {
          using T = decltype(x);
          const T z = portable::exp_of(y * static_cast<T>(b));
          return (y * static_cast<T>(b)) > static_cast<T>(th) ? x : x * z / (z + 1);
        }})};
  }

 private:
  double beta_, threshold_;
};
}  // namespace

Tensor softplus(const Tensor& a, double beta, double threshold) {
  Tensor out =
      kernels::unary(a, kernels::long_chain{[beta, threshold](auto x) GRADLAB_INLINE_LAMBDA {
                       using T = decltype(x);
                       const T bx = x * static_cast<T>(beta);
                       return bx > static_cast<T>(threshold)
                                  ? x
                                  : portable::log1p_of(portable::exp_of(bx)) / static_cast<T>(beta);
                     }});
  record_one<SoftplusBackward0>(a, out, a, beta, threshold);
  return out;
}

// ------------------------------------------------------------------ table rows (op_table.def)
namespace op_call {
namespace {
void out_of_place(const op_arg* a, std::size_t i, const char* op) {
  if (op_read::boolean(a, i, op, "inplace"))
    not_implemented_error(std::string(op) +
                          "(): gradlab has no in-place activations (inplace=True)");
}
}  // namespace
Tensor leaky_relu(const op_arg* a, std::size_t) {
  out_of_place(a, 2, "leaky_relu");
  return gradlab::leaky_relu(op_read::tensor(a, 0, "leaky_relu", "input"),
                             op_read::real(a, 1, "leaky_relu", "negative_slope"));
}
Tensor elu(const op_arg* a, std::size_t) {
  out_of_place(a, 2, "elu");
  return gradlab::elu(op_read::tensor(a, 0, "elu", "input"), op_read::real(a, 1, "elu", "alpha"));
}
Tensor gelu(const op_arg* a, std::size_t) {
  return gradlab::gelu(op_read::tensor(a, 0, "gelu", "input"),
                       op_read::string(a, 1, "gelu", "approximate"));
}
Tensor softplus(const op_arg* a, std::size_t) {
  return gradlab::softplus(op_read::tensor(a, 0, "softplus", "input"),
                           op_read::real(a, 1, "softplus", "beta"),
                           op_read::real(a, 2, "softplus", "threshold"));
}
}  // namespace op_call

}  // namespace gradlab
