#include "problems.hpp"

#include <cmath>
#include <stdexcept>

#include "gradlab/ops.hpp"

namespace gradlab::golden {

Tensor vals(const shape_t& shape, int k, double lo, double hi, bool positive, dtype d) {
  std::vector<double> out(numel(shape));
  for (std::size_t i = 0; i < out.size(); ++i) {
    double u = std::sin(12.9898 * static_cast<double>(i + 1) + 78.233 * (k + 1)) * 43758.5453;
    u = u - std::floor(u);
    double v = lo + (hi - lo) * u;
    if (positive) v = 0.2 + std::fabs(v);
    out[i] = v;
  }
  return Tensor::from_values(out, shape, d);
}

namespace {
const Tensor& thermo_t_c() {
  static const Tensor t = Tensor::from_values(
      {0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0}, {11}, dtype::float64);
  return t;
}
const Tensor& thermo_t_u() {
  static const Tensor t = Tensor::from_values(
      {35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4}, {11}, dtype::float32);
  return t;
}

problem thermometer(double scale) {
  // x = t_u.double() * scale: the float32 book data widened, as gen.py does
  Tensor x = thermo_t_u().to(dtype::float64) * scale;
  Tensor y = thermo_t_c();
  problem p;
  p.params = {Tensor::from_values({1.0, 0.0}, {2}, dtype::float64, true)};
  Tensor w = p.params[0];
  p.loss = [w, x, y] { return (w[0] * x + w[1] - y).pow(2).mean(); };
  return p;
}

problem rosenbrock() {
  problem p;
  p.params = {Tensor::from_values({-1.5, 2.0}, {2}, dtype::float64, true)};
  Tensor q = p.params[0];
  p.loss = [q] {
    Tensor x = q[0], y = q[1];
    // Built term by term, in Python's left-to-right order (C++ leaves the order of a + b's
    // operands unspecified): the order of graph nodes decides the order in which backward
    // sums x's three gradient contributions, and LBFGS amplifies that last bit.
    Tensor a = (1.0 - x).pow(2);
    Tensor b = 100.0 * (y - x * x).pow(2);
    return a + b;
  };
  return p;
}

problem neg_quadratic() {
  problem p;
  const Tensor c = Tensor::from_values({1.0, 2.0, 3.0}, {3}, dtype::float64);
  p.params = {Tensor::from_values({0.5, -1.0, 2.0}, {3}, dtype::float64, true)};
  Tensor q = p.params[0];
  p.loss = [q, c] { return -((q - c).pow(2).sum()); };
  return p;
}
const Tensor& first_init(const std::vector<Tensor>& init) {
  if (init.empty()) throw std::runtime_error("the run records no initial params");
  return init[0];
}

/// gen.py's p_mlp: a 2-4-1 tanh network on 16 points, BCE-with-logits loss.
problem mlp(const std::vector<Tensor>& init) {
  const int k = recover_k(first_init(init), 12, 0.8);
  const Tensor x = vals({16, 2}, k + 11);
  std::vector<double> y(16);
  for (std::size_t i = 0; i < 16; ++i) y[i] = x.at(2 * i) * x.at(2 * i + 1) > 0 ? 1.0 : 0.0;
  const Tensor target = Tensor::from_values(y, {16, 1}, dtype::float64);
  problem p;
  p.params = {(vals({4, 2}, k + 12) * 0.8).requires_grad_(),
              (vals({4}, k + 13) * 0.1).requires_grad_(),
              (vals({1, 4}, k + 14) * 0.8).requires_grad_(),
              Tensor::zeros({1}, dtype::float64).requires_grad_()};
  const Tensor w1 = p.params[0], b1 = p.params[1], w2 = p.params[2], b2 = p.params[3];
  p.loss = [=] {
    const Tensor h = tanh(matmul(x, w1.t()) + b1);
    return binary_cross_entropy_with_logits(matmul(h, w2.t()) + b2, target);
  };
  return p;
}

/// gen.py's p_matrix: mean((V @ tanh(W @ X) - Y)^2).
problem matrix(const std::vector<Tensor>& init) {
  const int k = recover_k(first_init(init), 23, 0.5);
  const Tensor x = vals({4, 6}, k + 21), y = vals({3, 6}, k + 22);
  problem p;
  p.params = {(vals({3, 4}, k + 23) * 0.5).requires_grad_(),
              (vals({3, 3}, k + 24) * 0.5).requires_grad_()};
  const Tensor w = p.params[0], v = p.params[1];
  p.loss = [=] { return (matmul(v, tanh(matmul(w, x))) - y).pow(2).mean(); };
  return p;
}

/// gen.py's p_sparse: an embedding looked up with a repeated index; its gradient is sparse.
problem embedding_problem(const std::vector<Tensor>& init) {
  const int k = recover_k(first_init(init), 31, 1.0);
  const Tensor w = vals({3}, k + 32);
  problem p;
  p.params = {vals({6, 3}, k + 31).requires_grad_()};
  const Tensor e = p.params[0];
  p.loss = [=] {
    const std::vector<std::int64_t> idx{0, 2, 2, 5};
    return (matmul(embedding(idx, e, /*sparse=*/true), w) - 1.0).pow(2).mean();
  };
  return p;
}
}  // namespace

int recover_k(const Tensor& init, int offset, double scale) {
  const shape_t shape = init.shape();
  const double first = init.at(0);
  for (int k = -1000; k < 100000; ++k) {
    double u = std::sin(12.9898 + 78.233 * (k + offset + 1)) * 43758.5453;
    u -= std::floor(u);
    if (std::fabs((-2.0 + 4.0 * u) * scale - first) > 1e-9) continue;
    const Tensor cand = vals(shape, k + offset) * scale;
    bool all = true;
    for (std::size_t i = 0; i < init.numel() && all; ++i)
      all = std::fabs(cand.at(i) - init.at(i)) <= 1e-9;
    if (all) return k;
  }
  throw std::runtime_error("could not recover gen.py's offset K from the recorded init");
}

const std::map<std::string, problem_factory>& problems() {
  static const std::map<std::string, problem_factory> all = {
      {"thermometer_t_u", [](const std::vector<Tensor>&) { return thermometer(1.0); }},
      {"thermometer_t_un", [](const std::vector<Tensor>&) { return thermometer(0.1); }},
      {"rosenbrock", [](const std::vector<Tensor>&) { return rosenbrock(); }},
      {"neg_quadratic", [](const std::vector<Tensor>&) { return neg_quadratic(); }},
      {"mlp", mlp},
      {"matrix", matrix},
      {"embedding", embedding_problem},
  };
  return all;
}

}  // namespace gradlab::golden
