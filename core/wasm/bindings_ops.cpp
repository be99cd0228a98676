// Embind registration of the differentiable op set (core/include/gradlab/ops/*.hpp), one
// adapter per op. Every adapter is guarded: an engine error lands in the error slot.
#include <emscripten/bind.h>

#include <limits>

#include "bindings_common.hpp"
#include "gradlab/ops.hpp"

using namespace emscripten;
using gradlab::Tensor;
using gradlab_wasm::guarded;

namespace {

using ll = long long;
constexpr double inf = std::numeric_limits<double>::infinity();

template <Tensor (*F)(const Tensor&)>
Tensor unary(const Tensor& a) {
  return guarded([&] { return F(a); });
}
template <Tensor (*F)(const Tensor&, const Tensor&)>
Tensor binary(const Tensor& a, const Tensor& b) {
  return guarded([&] { return F(a, b); });
}

// Reductions over a dim return values and indices: [Tensor, [int, ...]].
template <bool Max>
val extreme_dim(const Tensor& a, double dim, bool keepdim) {
  gradlab::values_indices r = guarded([&] {
    return Max ? gradlab::max(a, static_cast<ll>(dim), keepdim)
               : gradlab::min(a, static_cast<ll>(dim), keepdim);
  });
  val out = val::array();
  out.call<void>("push", val(r.values));
  val idx = val::array();
  for (auto i : r.indices) idx.call<void>("push", static_cast<double>(i));
  out.call<void>("push", idx);
  return out;
}

std::vector<ll> to_dims(const val& js) {
  std::vector<ll> out;
  for (auto v : gradlab_wasm::to_ints(js)) out.push_back(static_cast<ll>(v));
  return out;
}

// null/undefined bounds of clamp are "no bound".
double bound(const val& v, double none) {
  return v.isNull() || v.isUndefined() ? none : v.as<double>();
}

}  // namespace

EMSCRIPTEN_BINDINGS(gradlab_ops) {
  // arithmetic (the JS layer turns Python numbers into wrapped scalars)
  function(
      "wrapScalar", +[](double v, const Tensor& like) {
        return guarded([&] { return gradlab::wrap_scalar(v, like); });
      });
  function(
      "add", +[](const Tensor& a, const Tensor& b, double alpha) {
        return guarded([&] { return gradlab::add(a, b, alpha); });
      });
  function(
      "sub", +[](const Tensor& a, const Tensor& b, double alpha) {
        return guarded([&] { return gradlab::sub(a, b, alpha); });
      });
  function("mul", &binary<gradlab::mul>);
  function("div", &binary<gradlab::div>);
  function("neg", &unary<gradlab::neg>);
  function(
      "pow",
      +[](const Tensor& a, double e) { return guarded([&] { return gradlab::pow(a, e); }); });
  function(
      "powTensor", +[](const Tensor& a, const Tensor& e) {
        return guarded([&] { return gradlab::pow(a, e); });
      });
  function(
      "rpow",
      +[](double base, const Tensor& e) { return guarded([&] { return gradlab::pow(base, e); }); });
  function("exp", &unary<gradlab::exp>);
  function("log", &unary<gradlab::log>);

  // elementwise
  function("sqrt", &unary<gradlab::sqrt>);
  function("abs", &unary<gradlab::abs>);
  function("sin", &unary<gradlab::sin>);
  function("cos", &unary<gradlab::cos>);
  function(
      "clamp", +[](const Tensor& a, const val& lo, const val& hi) {
        return guarded([&] { return gradlab::clamp(a, bound(lo, -inf), bound(hi, inf)); });
      });
  function("maximum", &binary<gradlab::maximum>);

  // activations
  function("tanh", &unary<gradlab::tanh>);
  function("sigmoid", &unary<gradlab::sigmoid>);
  function("relu", &unary<gradlab::relu>);
  function("silu", &unary<gradlab::silu>);
  function(
      "leakyRelu", +[](const Tensor& a, double slope) {
        return guarded([&] { return gradlab::leaky_relu(a, slope); });
      });
  function(
      "elu", +[](const Tensor& a, double alpha) {
        return guarded([&] { return gradlab::elu(a, alpha); });
      });
  function(
      "gelu", +[](const Tensor& a, const std::string& approx) {
        return guarded([&] { return gradlab::gelu(a, approx); });
      });
  function(
      "softplus", +[](const Tensor& a, double beta, double threshold) {
        return guarded([&] { return gradlab::softplus(a, beta, threshold); });
      });
  function(
      "softmax", +[](const Tensor& a, double dim) {
        return guarded([&] { return gradlab::softmax(a, static_cast<ll>(dim)); });
      });
  function(
      "logSoftmax", +[](const Tensor& a, double dim) {
        return guarded([&] { return gradlab::log_softmax(a, static_cast<ll>(dim)); });
      });

  // linear algebra
  function("matmul", &binary<gradlab::matmul>);
  function("mm", &binary<gradlab::mm>);
  function("mv", &binary<gradlab::mv>);
  function("dot", &binary<gradlab::dot>);
  function(
      "addmm", +[](const Tensor& bias, const Tensor& m1, const Tensor& m2) {
        return guarded([&] { return gradlab::addmm(bias, m1, m2); });
      });
  function(
      "linear", +[](const Tensor& x, const Tensor& w) {
        return guarded([&] { return gradlab::linear(x, w); });
      });
  function(
      "linearBias", +[](const Tensor& x, const Tensor& w, const Tensor& b) {
        return guarded([&] { return gradlab::linear(x, w, b); });
      });

  // reductions
  function(
      "sum", +[](const Tensor& a) { return guarded([&] { return gradlab::sum(a); }); });
  function(
      "mean", +[](const Tensor& a) { return guarded([&] { return gradlab::mean(a); }); });
  function(
      "sumDim", +[](const Tensor& a, double dim, bool keepdim) {
        return guarded([&] { return gradlab::sum(a, static_cast<ll>(dim), keepdim); });
      });
  function(
      "meanDim", +[](const Tensor& a, double dim, bool keepdim) {
        return guarded([&] { return gradlab::mean(a, static_cast<ll>(dim), keepdim); });
      });
  function(
      "max", +[](const Tensor& a) { return guarded([&] { return gradlab::max(a); }); });
  function(
      "min", +[](const Tensor& a) { return guarded([&] { return gradlab::min(a); }); });
  function("maxDim", &extreme_dim<true>);
  function("minDim", &extreme_dim<false>);

  // shape
  function(
      "transpose", +[](const Tensor& a, double d0, double d1) {
        return guarded(
            [&] { return gradlab::transpose(a, static_cast<ll>(d0), static_cast<ll>(d1)); });
      });
  function(
      "t", +[](const Tensor& a) { return guarded([&] { return gradlab::t(a); }); });
  function(
      "reshape", +[](const Tensor& a, const val& shape) {
        return guarded([&] { return gradlab::reshape(a, to_dims(shape)); });
      });
  function(
      "unsqueeze", +[](const Tensor& a, double dim) {
        return guarded([&] { return gradlab::unsqueeze(a, static_cast<ll>(dim)); });
      });
  function(
      "squeeze", +[](const Tensor& a, double dim) {
        return guarded([&] { return gradlab::squeeze(a, static_cast<ll>(dim)); });
      });
  function(
      "stack", +[](const val& ts, double dim) {
        return guarded(
            [&] { return gradlab::stack(gradlab_wasm::to_tensors(ts), static_cast<ll>(dim)); });
      });
  function(
      "cat", +[](const val& ts, double dim) {
        return guarded(
            [&] { return gradlab::cat(gradlab_wasm::to_tensors(ts), static_cast<ll>(dim)); });
      });

  // indexing
  function(
      "select", +[](const Tensor& a, double dim, double i) {
        return guarded(
            [&] { return gradlab::select(a, static_cast<ll>(dim), static_cast<ll>(i)); });
      });
  function(
      "unbind", +[](const Tensor& a, double dim) {
        return guarded([&] { return gradlab::unbind(a, static_cast<ll>(dim)); });
      });
  function(
      "embedding", +[](const val& idx, const val& idx_shape, const Tensor& weight, bool sparse) {
        return guarded([&] {
          gradlab::shape_t s;
          for (auto d : gradlab_wasm::to_ints(idx_shape)) s.push_back(static_cast<std::size_t>(d));
          return gradlab::embedding(gradlab_wasm::to_ints(idx), s, weight, sparse);
        });
      });

  // losses
  function("mseLoss", &binary<gradlab::mse_loss>);
  function("l1Loss", &binary<gradlab::l1_loss>);
  function(
      "huberLoss", +[](const Tensor& a, const Tensor& b, double delta) {
        return guarded([&] { return gradlab::huber_loss(a, b, delta); });
      });
  function("binaryCrossEntropy", &binary<gradlab::binary_cross_entropy>);
  function("binaryCrossEntropyWithLogits", &binary<gradlab::binary_cross_entropy_with_logits>);
  function(
      "nllLoss", +[](const Tensor& a, const val& target) {
        return guarded([&] { return gradlab::nll_loss(a, gradlab_wasm::to_ints(target)); });
      });
  function(
      "crossEntropy", +[](const Tensor& a, const val& target) {
        return guarded([&] { return gradlab::cross_entropy(a, gradlab_wasm::to_ints(target)); });
      });
  function(
      "crossEntropyProbs", +[](const Tensor& a, const Tensor& target) {
        return guarded([&] { return gradlab::cross_entropy(a, target); });
      });
}
