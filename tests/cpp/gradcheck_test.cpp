// Every differentiable op through gradcheck (finite differences vs backward), in float64,
// at several shapes including broadcasting ones. Inputs stay away from kinks (relu, abs,
// clamp, max ...), where a finite difference straddles two slopes.
#include "gradcheck.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "gradlab/ops.hpp"

using namespace gradlab;
using gradlab::testing::gradcheck;
using args = std::vector<Tensor>;

namespace {
/// Deterministic irregular values in [lo, hi), nudged at least 0.1 away from each kink.
Tensor sample(const shape_t& s, int seed, double lo = -2.0, double hi = 2.0,
              const std::vector<double>& kinks = {}) {
  std::vector<double> v(numel(s));
  for (std::size_t i = 0; i < v.size(); ++i) {
    double u = std::sin(12.9898 * static_cast<double>(i + 1) + 78.233 * (seed + 1)) * 43758.5453;
    u -= std::floor(u);
    double x = lo + (hi - lo) * u;
    for (double k : kinks)
      if (std::fabs(x - k) < 0.1) x = x < k ? k - 0.1 : k + 0.1;
    v[i] = x;
  }
  return Tensor::from_values(v, s, dtype::float64, true);
}

Tensor constant(const shape_t& s, int seed, double lo = -2.0, double hi = 2.0) {
  return sample(s, seed, lo, hi).detach();
}

void check(const std::string& what, const testing::gradcheck_fn& fn, const args& inputs) {
  const auto r = gradcheck(fn, inputs);
  INFO(what << ": " << r.message);
  CHECK(r.ok);
}

const std::vector<std::pair<shape_t, shape_t>> kBroadcastPairs = {
    {{2, 3}, {2, 3}}, {{2, 3}, {3}}, {{2, 1}, {1, 3}}, {{4}, {}}, {{3, 1, 2}, {4, 1}}};
}  // namespace

TEST_CASE("gradcheck catches a wrong backward", "[gradcheck]") {
  // x * x.detach() has analytic gradient x but true derivative 2x
  const auto r =
      gradcheck([](const args& a) { return a[0] * a[0].detach(); }, {sample({3}, 1, 0.5, 2)});
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.message, Catch::Contains("with respect to input 0"));
}

TEST_CASE("gradcheck: broadcasting arithmetic and powers", "[gradcheck]") {
  int seed = 0;
  for (const auto& [sa, sb] : kBroadcastPairs) {
    const std::string shapes = shape_str(sa) + " with " + shape_str(sb);
    ++seed;
    check("add " + shapes, [](const args& a) { return add(a[0], a[1], 0.5); },
          {sample(sa, seed), sample(sb, seed + 50)});
    check("sub " + shapes, [](const args& a) { return a[0] - a[1]; },
          {sample(sa, seed), sample(sb, seed + 50)});
    check("mul " + shapes, [](const args& a) { return a[0] * a[1]; },
          {sample(sa, seed), sample(sb, seed + 50)});
    check("div " + shapes, [](const args& a) { return a[0] / a[1]; },
          {sample(sa, seed), sample(sb, seed + 50, 0.5, 2)});
    check("pow(tensor, tensor) " + shapes, [](const args& a) { return pow(a[0], a[1]); },
          {sample(sa, seed, 0.5, 2), sample(sb, seed + 50)});
    check("maximum " + shapes, [](const args& a) { return maximum(a[0], a[1]); },
          {sample(sa, seed, 0.1, 1), sample(sb, seed + 50, 1.2, 2)});
    check("maximum (b wins) " + shapes, [](const args& a) { return maximum(a[0], a[1]); },
          {sample(sa, seed, -2, -1), sample(sb, seed + 50, -0.5, 2)});
  }
  for (const shape_t& s : {shape_t{}, shape_t{5}, shape_t{2, 3}}) {
    check("neg", [](const args& a) { return -a[0]; }, {sample(s, 3)});
    check("exp", [](const args& a) { return exp(a[0]); }, {sample(s, 4)});
    check("log", [](const args& a) { return log(a[0]); }, {sample(s, 5, 0.3, 3)});
    for (double e : {2.0, 3.0, 0.5, -1.5, 0.0, 1.7})
      check("pow " + std::to_string(e), [e](const args& a) { return a[0].pow(e); },
            {sample(s, 6, 0.3, 2)});
    check("rpow", [](const args& a) { return pow(2.0, a[0]); }, {sample(s, 7)});
    check("rpow 0.3", [](const args& a) { return pow(0.3, a[0]); }, {sample(s, 8)});
    check("sqrt", [](const args& a) { return sqrt(a[0]); }, {sample(s, 9, 0.2, 3)});
    check("abs", [](const args& a) { return abs(a[0]); }, {sample(s, 10, -2, 2, {0.0})});
    check("sin", [](const args& a) { return sin(a[0]); }, {sample(s, 11)});
    check("cos", [](const args& a) { return cos(a[0]); }, {sample(s, 12)});
    check("atan", [](const args& a) { return atan(a[0]); }, {sample(s, 15, -3, 3)});
    check("clamp", [](const args& a) { return clamp(a[0], -0.5, 0.7); },
          {sample(s, 13, -2, 2, {-0.5, 0.7})});
    check("clamp min only", [](const args& a) { return clamp(a[0], -0.5); },
          {sample(s, 14, -2, 2, {-0.5})});
  }
}

TEST_CASE("gradcheck: activations", "[gradcheck]") {
  for (const shape_t& s : {shape_t{}, shape_t{7}, shape_t{3, 4}}) {
    check("tanh", [](const args& a) { return tanh(a[0]); }, {sample(s, 1)});
    check("sigmoid", [](const args& a) { return sigmoid(a[0]); }, {sample(s, 2)});
    check("relu", [](const args& a) { return relu(a[0]); }, {sample(s, 3, -2, 2, {0.0})});
    check("leaky_relu", [](const args& a) { return leaky_relu(a[0], 0.2); },
          {sample(s, 4, -2, 2, {0.0})});
    check("elu", [](const args& a) { return elu(a[0], 1.5); }, {sample(s, 5, -2, 2, {0.0})});
    check("gelu", [](const args& a) { return gelu(a[0]); }, {sample(s, 6, -3, 3)});
    check("gelu tanh", [](const args& a) { return gelu(a[0], "tanh"); }, {sample(s, 7, -3, 3)});
    check("silu", [](const args& a) { return silu(a[0]); }, {sample(s, 8, -3, 3)});
    check("softplus", [](const args& a) { return softplus(a[0]); }, {sample(s, 9, -3, 3)});
    check("softplus beta 2, threshold 1", [](const args& a) { return softplus(a[0], 2.0, 1.0); },
          {sample(s, 10, -3, 3, {0.5})});
  }
}

TEST_CASE("gradcheck: reductions", "[gradcheck]") {
  for (const shape_t& s : {shape_t{5}, shape_t{3, 4}, shape_t{2, 3, 2}}) {
    check("sum", [](const args& a) { return a[0].sum(); }, {sample(s, 1)});
    check("mean", [](const args& a) { return a[0].mean(); }, {sample(s, 2)});
    check("max", [](const args& a) { return a[0].max(); }, {sample(s, 3)});
    check("min", [](const args& a) { return a[0].min(); }, {sample(s, 4)});
    for (long long d = -1; d < static_cast<long long>(s.size()); ++d)
      for (bool keep : {false, true}) {
        const std::string at = " dim " + std::to_string(d) + (keep ? " keepdim" : "");
        check("sum" + at, [d, keep](const args& a) { return a[0].sum(d, keep); }, {sample(s, 5)});
        check("mean" + at, [d, keep](const args& a) { return a[0].mean(d, keep); }, {sample(s, 6)});
        check("max" + at, [d, keep](const args& a) { return max(a[0], d, keep).values; },
              {sample(s, 7)});
        check("min" + at, [d, keep](const args& a) { return min(a[0], d, keep).values; },
              {sample(s, 8)});
      }
  }
}

TEST_CASE("gradcheck: matrix products and linear", "[gradcheck]") {
  check("dot", [](const args& a) { return matmul(a[0], a[1]); }, {sample({4}, 1), sample({4}, 2)});
  check("mv", [](const args& a) { return matmul(a[0], a[1]); },
        {sample({3, 4}, 3), sample({4}, 4)});
  check("vm", [](const args& a) { return matmul(a[0], a[1]); },
        {sample({3}, 5), sample({3, 5}, 6)});
  check("mm", [](const args& a) { return matmul(a[0], a[1]); },
        {sample({2, 3}, 7), sample({3, 4}, 8)});
  // large enough to cross the kernel's register and depth blocks (4 x 8, 256)
  check("mm 9x300 @ 300x11", [](const args& a) { return mm(a[0], a[1]); },
        {sample({9, 300}, 9), sample({300, 11}, 10)});
  check("batched 3-D @ 2-D", [](const args& a) { return matmul(a[0], a[1]); },
        {sample({2, 3, 4}, 11), sample({4, 2}, 12)});
  check("batched 3-D @ 1-D", [](const args& a) { return matmul(a[0], a[1]); },
        {sample({2, 3, 4}, 13), sample({4}, 14)});
  check("addmm", [](const args& a) { return addmm(a[0], a[1], a[2]); },
        {sample({4}, 15), sample({2, 3}, 16), sample({3, 4}, 17)});
  check("linear", [](const args& a) { return linear(a[0], a[1], a[2]); },
        {sample({5, 3}, 18), sample({2, 3}, 19), sample({2}, 20)});
  check("linear without bias", [](const args& a) { return linear(a[0], a[1]); },
        {sample({5, 3}, 21), sample({2, 3}, 22)});
  check("linear on a vector", [](const args& a) { return linear(a[0], a[1], a[2]); },
        {sample({3}, 23), sample({2, 3}, 24), sample({2}, 25)});
  check("linear on a 3-D input", [](const args& a) { return linear(a[0], a[1], a[2]); },
        {sample({2, 2, 3}, 30), sample({4, 3}, 31), sample({4}, 32)});
  check("linear with a [1, n] bias", [](const args& a) { return linear(a[0], a[1], a[2]); },
        {sample({3}, 33), sample({4, 3}, 34), sample({1, 4}, 35)});
  check("mlp", [](const args& a) { return matmul(tanh(matmul(a[0], a[1].t()) + a[2]), a[3]); },
        {constant({4, 2}, 26), sample({3, 2}, 27), sample({3}, 28), sample({3}, 29)});
}

TEST_CASE("gradcheck: shape ops", "[gradcheck]") {
  check("t", [](const args& a) { return a[0].t(); }, {sample({3, 4}, 1)});
  check("t of a vector", [](const args& a) { return a[0].t(); }, {sample({3}, 2)});
  check("transpose 3-D", [](const args& a) { return a[0].transpose(0, 2); },
        {sample({2, 3, 4}, 3)});
  check("transpose -1 -2", [](const args& a) { return a[0].transpose(-1, -2); },
        {sample({2, 3, 4}, 4)});
  check("reshape", [](const args& a) { return a[0].reshape({2, -1}); }, {sample({3, 4}, 5)});
  check("unsqueeze", [](const args& a) { return a[0].unsqueeze(1); }, {sample({3, 4}, 6)});
  check("squeeze", [](const args& a) { return a[0].squeeze(1); }, {sample({3, 1, 2}, 7)});
  check("select", [](const args& a) { return select(a[0], 1, 2); }, {sample({3, 4}, 8)});
  check("unbind",
        [](const args& a) {
          auto u = a[0].unbind(1);
          return u[0] * u[2];
        },
        {sample({3, 4}, 9)});
  check("stack dim 0",
        [](const args& a) {
          return stack({a[0], a[1]});
        },
        {sample({3}, 10), sample({3}, 11)});
  check("stack dim 1",
        [](const args& a) {
          return stack({a[0], a[1], a[0]}, 1);
        },
        {sample({2, 3}, 12), sample({2, 3}, 13)});
  check("stack dim -1",
        [](const args& a) {
          return stack({a[0], a[1]}, -1);
        },
        {sample({2, 3}, 14), sample({2, 3}, 15)});
  check("cat dim 0",
        [](const args& a) {
          return cat({a[0], a[1]}, 0);
        },
        {sample({2, 3}, 16), sample({1, 3}, 17)});
  check("cat dim 1",
        [](const args& a) {
          return cat({a[0], a[1], a[0]}, 1);
        },
        {sample({2, 3}, 18), sample({2, 1}, 19)});
  check("cat with a constant",
        [](const args& a) {
          return cat({a[0], a[1]}, 0);
        },
        {sample({2}, 20), constant({3}, 21)});
}

TEST_CASE("gradcheck: embedding", "[gradcheck]") {
  check("embedding",
        [](const args& a) {
          return embedding({0, 2, 2, 5}, a[0]);
        },
        {sample({6, 3}, 1)});
  check("embedding sparse",
        [](const args& a) {
          return embedding({1, 1, 4}, a[0], true);
        },
        {sample({6, 3}, 2)});
  check("embedding 2-D indices",
        [](const args& a) {
          return embedding({0, 3, 2, 0}, {2, 2}, a[0]);
        },
        {sample({4, 2}, 3)});
}

TEST_CASE("gradcheck: softmax and losses", "[gradcheck]") {
  for (long long d : {0LL, 1LL, -1LL}) {
    check("softmax dim " + std::to_string(d), [d](const args& a) { return softmax(a[0], d); },
          {sample({3, 4}, 1)});
    check("log_softmax dim " + std::to_string(d),
          [d](const args& a) { return log_softmax(a[0], d); }, {sample({3, 4}, 2)});
  }
  check("softmax 3-D", [](const args& a) { return softmax(a[0], 1); }, {sample({2, 3, 2}, 3)});
  check("softmax of large values", [](const args& a) { return softmax(a[0], 0); },
        {sample({4}, 4, 500, 502)});
  check("mse_loss", [](const args& a) { return mse_loss(a[0], a[1]); },
        {sample({6}, 5), sample({6}, 6)});
  check("mse_loss broadcast", [](const args& a) { return mse_loss(a[0], a[1]); },
        {sample({2, 3}, 7), sample({3}, 8)});
  check("l1_loss", [](const args& a) { return l1_loss(a[0], a[1]); },
        {sample({6}, 9, -2, 2, {0.0}), Tensor::zeros({6}, dtype::float64)});
  const Tensor l1_in = sample({2, 3}, 11, -2, 2, {0.0});
  check("l1_loss 2-D", [](const args& a) { return l1_loss(a[0], a[1]); },
        {l1_in, Tensor::zeros({2, 3}, dtype::float64)});
  for (double delta : {0.5, 1.0}) {
    // kinks of huber at |input - target| = delta, with target 0 here
    check("huber_loss delta " + std::to_string(delta),
          [delta](const args& a) { return huber_loss(a[0], a[1], delta); },
          {sample({8}, 12, -2, 2, {-delta, delta}), Tensor::zeros({8}, dtype::float64)});
  }
  check("huber_loss both inputs", [](const args& a) { return huber_loss(a[0], a[1], 0.5); },
        {sample({3}, 13, 1.0, 2.0), sample({3}, 14, -0.2, 0.2)});
  check("binary_cross_entropy", [](const args& a) { return binary_cross_entropy(a[0], a[1]); },
        {sample({6}, 15, 0.05, 0.95), sample({6}, 16, 0.0, 1.0)});
  check("binary_cross_entropy of sigmoid",
        [](const args& a) { return binary_cross_entropy(sigmoid(a[0]), a[1]); },
        {sample({2, 3}, 17), constant({2, 3}, 18, 0.0, 1.0)});
  check("binary_cross_entropy_with_logits",
        [](const args& a) { return binary_cross_entropy_with_logits(a[0], a[1]); },
        {sample({6}, 19, -4, 4), sample({6}, 20, 0.0, 1.0)});
  check("nll_loss", [](const args& a) { return nll_loss(a[0], {1, 0, 2}); }, {sample({3, 3}, 21)});
  check("cross_entropy",
        [](const args& a) {
          return cross_entropy(a[0], std::vector<std::int64_t>{0, 2, 1, 2});
        },
        {sample({4, 3}, 22)});
  check("cross_entropy on one sample",
        [](const args& a) { return cross_entropy(a[0], std::vector<std::int64_t>{3}); },
        {sample({5}, 23)});
}

TEST_CASE("gradcheck: a tensor used several times accumulates", "[gradcheck]") {
  check("shared", [](const args& a) { return (a[0] * a[0] + a[0]).sum() * a[0].mean(); },
        {sample({4}, 1)});
  check("shared through matmul", [](const args& a) { return matmul(a[0], a[0].t()); },
        {sample({2, 3}, 2)});
  check("shared through cat",
        [](const args& a) {
          return cat({a[0], a[0]}, 0) * cat({a[0], a[0]}, 0);
        },
        {sample({3}, 3)});
}
