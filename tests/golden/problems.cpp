#include "problems.hpp"

#include <cmath>
#include <map>
#include <stdexcept>

#include "golden.hpp"
#include "gradlab/ops.hpp"

namespace gradlab::golden {

namespace {
/// gen.py's hash multiplies sin(x) by 43758.5453 and keeps the fraction, so a one-ulp
/// difference between libms (glibc natively, musl in WebAssembly) shows up at 1e-11.
/// Evaluating in extended precision and rounding once gives the correctly rounded value,
/// which is what CPython's glibc returns for these arguments, on every engine.
double correctly_rounded_sin(double x) {
  return static_cast<double>(std::sin(static_cast<long double>(x)));
}
}  // namespace

Tensor vals(const shape_t& shape, int k, double lo, double hi, bool positive, dtype d) {
  std::vector<double> out(numel(shape));
  for (std::size_t i = 0; i < out.size(); ++i) {
    double u =
        correctly_rounded_sin(12.9898 * static_cast<double>(i + 1) + 78.233 * (k + 1)) * 43758.5453;
    u = u - std::floor(u);
    double v = lo + (hi - lo) * u;
    if (positive) v = 0.2 + std::fabs(v);
    out[i] = v;
  }
  return Tensor::from_values(out, shape, d);
}

namespace {
using params_t = std::vector<Tensor>;
using loss_fn = std::function<Tensor()>;

/// A member of a problem's entry as a tensor: a tensor object, or a plain list of numbers
/// (float64, as torch.tensor makes from Python floats).
Tensor data_tensor(const json::value& entry, const std::string& key) {
  const json::value& v = entry[key];
  if (v.is_object()) return tensor_from(v);
  std::vector<double> xs;
  for (const auto& x : v.array()) xs.push_back(x.real());
  return Tensor::from_values(xs, {xs.size()}, dtype::float64);
}

std::vector<std::int64_t> indices(const json::value& entry, const std::string& key) {
  std::vector<std::int64_t> out;
  for (const auto& x : entry[key].array()) out.push_back(static_cast<std::int64_t>(x.number()));
  return out;
}

struct formula {
  std::size_t n_params;
  std::function<loss_fn(const json::value& entry, const params_t& p)> build;
};

// Each formula is written as gen.py writes it; the comment is the file's `loss` text.
const std::map<std::string, formula>& formulas() {
  // mean((p[0]*x + p[1] - y)^2): the book's model on t_u (or 0.1 * t_u) widened to float64
  const formula thermometer{1, [](const json::value& e, const params_t& p) -> loss_fn {
                              const Tensor w = p[0], x = data_tensor(e, "x"),
                                           y = data_tensor(e, "y");
                              return [=] { return (w[0] * x + w[1] - y).pow(2).mean(); };
                            }};
  static const std::map<std::string, formula> all = {
      {"thermometer_t_u", thermometer},
      {"thermometer_t_un", thermometer},
      // (1-p[0])^2 + 100*(p[1]-p[0]^2)^2
      {"rosenbrock",
       {1,
        [](const json::value&, const params_t& p) -> loss_fn {
          const Tensor q = p[0];
          return [q] {
            Tensor x = q[0], y = q[1];
            // Built term by term, in Python's left-to-right order (C++ leaves the
            // order of a + b's operands unspecified): the order of graph nodes
            // decides the order in which backward sums x's three gradient
            // contributions, and LBFGS amplifies that last bit.
            Tensor a = (1.0 - x).pow(2);
            Tensor b = 100.0 * (y - x * x).pow(2);
            return a + b;
          };
        }}},
      // -sum((p - c)^2), run with maximize=True
      {"neg_quadratic",
       {1,
        [](const json::value& e, const params_t& p) -> loss_fn {
          const Tensor q = p[0], c = data_tensor(e, "c");
          return [q, c] { return -((q - c).pow(2).sum()); };
        }}},
      // bce_with_logits(tanh(X @ W1.T + b1) @ W2.T + b2, Y): a 2-4-1 tanh network
      {"mlp",
       {4,
        [](const json::value& e, const params_t& p) -> loss_fn {
          const Tensor x = data_tensor(e, "X"), target = data_tensor(e, "Y");
          const Tensor w1 = p[0], b1 = p[1], w2 = p[2], b2 = p[3];
          return [=] {
            const Tensor h = tanh(matmul(x, w1.t()) + b1);
            return binary_cross_entropy_with_logits(matmul(h, w2.t()) + b2, target);
          };
        }}},
      // mean((V @ tanh(W @ X) - Y)^2)
      {"matrix",
       {2,
        [](const json::value& e, const params_t& p) -> loss_fn {
          const Tensor x = data_tensor(e, "X"), y = data_tensor(e, "Y");
          const Tensor w = p[0], v = p[1];
          return [=] { return (matmul(v, tanh(matmul(w, x))) - y).pow(2).mean(); };
        }}},
      // mean((E[idx] @ w - 1)^2): an embedding looked up with a repeated index, sparse grads
      {"embedding",
       {1,
        [](const json::value& e, const params_t& p) -> loss_fn {
          const Tensor emb = p[0], w = data_tensor(e, "w");
          const std::vector<std::int64_t> idx = indices(e, "idx");
          return
              [=] { return (matmul(embedding(idx, emb, /*sparse=*/true), w) - 1.0).pow(2).mean(); };
        }}},
  };
  return all;
}
}  // namespace

bool has_formula(const std::string& name) { return formulas().count(name) != 0; }

problem make_problem(const std::string& name, const json::value& entry,
                     const std::vector<Tensor>& init) {
  const auto it = formulas().find(name);
  if (it == formulas().end())
    throw std::runtime_error("no loss formula for problem '" + name + "'");
  if (init.size() != it->second.n_params)
    throw std::runtime_error("problem '" + name + "' has " + std::to_string(it->second.n_params) +
                             " parameter tensors, the run's init " + std::to_string(init.size()));
  problem p;
  for (const Tensor& t : init) p.params.push_back(t.detach().clone().requires_grad_());
  try {
    p.loss = it->second.build(entry, p.params);
  } catch (const std::exception& e) {
    throw std::runtime_error("problem '" + name + "': " + e.what());
  }
  return p;
}

}  // namespace gradlab::golden
