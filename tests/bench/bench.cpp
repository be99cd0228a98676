// The benchmark workloads of ../shared/bench/WORKLOADS.md, run through gradlab's public C++ API.
// The same file is built natively (gradlab_bench) and with emcmake (run under node), so the
// two numbers measure the engine, not the bindings. Each workload is written as bench_torch.py
// writes it (same data, init, optimizer, epochs, float32), timed best of N wall-clock runs.
// Output: one JSON line per workload, as bench_torch.py prints them.
// With --api session, the book workloads run as the playground's Run button and the CLI run
// them: the book's model text in a gradlab::session, which compiles the elementwise model
// into a fused training step (and records every epoch's values, gradients and state).
//   gradlab_bench [--repeats N] [--engine NAME] [--only WORKLOAD] [--api tensor|session]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "gradlab/autograd.hpp"
#include "gradlab/ops.hpp"
#include "gradlab/optim/optimizer.hpp"
#include "gradlab/session.hpp"

using gradlab::Tensor;
namespace optim = gradlab::optim;

namespace {

const std::vector<double> t_c_values = {0.5, 14.0, 15.0, 28.0, 11.0, 8.0,
                                        3.0, -4.0, 6.0,  13.0, 21.0};
const std::vector<double> t_u_values = {35.7, 55.9, 58.2, 81.9, 56.3, 48.9,
                                        33.9, 21.8, 48.4, 60.4, 68.4};

Tensor f32(const std::vector<double>& v, const gradlab::shape_t& shape,
           bool requires_grad = false) {
  return Tensor::from_values(v, shape, gradlab::dtype::float32, requires_grad);
}

// loss = ((params[0] * x + params[1] - t_c) ** 2).mean(); opt.zero_grad(); loss.backward();
// opt.step()
double book(const std::string& opt_name, double lr, int epochs, bool normalised) {
  const Tensor t_c = f32(t_c_values, {11});
  const Tensor t_u = f32(t_u_values, {11});
  const Tensor x = normalised ? 0.1 * t_u : t_u;
  Tensor params = f32({1.0, 0.0}, {2}, true);
  auto opt = optim::make_optimizer(opt_name, {{{params}, {}}}, optim::options{{"lr", lr}});
  Tensor loss;
  for (int e = 0; e < epochs; ++e) {
    loss = ((params[0] * x + params[1] - t_c).pow(2)).mean();
    opt->zero_grad();
    loss.backward();
    opt->step();
  }
  return loss.item();
}

// The same loop through a training session: data, the book's model text, optimizer, run.
double book_session(const std::string& opt_name, double lr, int epochs, bool normalised) {
  gradlab::model::dataset d;
  d.name = "thermometer";
  std::vector<float> t_c(t_c_values.begin(), t_c_values.end()),
      t_u(t_u_values.begin(), t_u_values.end()), t_un(t_u.size());
  for (std::size_t i = 0; i < t_u.size(); ++i) t_un[i] = 0.1f * t_u[i];  // as 0.1 * t_u in float32
  d.columns = {{"t_u", t_u}, {"t_un", t_un}, {"t_c", t_c}};
  d.target = "t_c";
  gradlab::session s;
  s.set_data(d);
  s.set_model(std::string("param w = 1.0\nparam b = 0.0\nloss = ((w * ") +
              (normalised ? "t_un" : "t_u") + " + b - t_c) ** 2).mean()\n");
  s.set_optimizer(opt_name, optim::options{{"lr", lr}});
  if (!s.run(epochs)) return std::nan("");
  return s.last_loss();
}

// Deterministic "circle" data set, computed in double and stored as float32 (torch.tensor(list)).
void circle(Tensor& X, Tensor& Y, int n = 1000) {
  std::vector<double> xs, ys;
  const double pi = 3.141592653589793;
  for (int i = 0; i < n; ++i) {
    const double r = 1.0 * std::fmod(i * 0.6180339887, 1.0);
    const double a = 2 * pi * std::fmod(i * 0.7548776662, 1.0);
    xs.push_back(r * std::cos(a));
    xs.push_back(r * std::sin(a));
    ys.push_back(r < 0.5 ? 1.0 : 0.0);
  }
  X = f32(xs, {static_cast<std::size_t>(n), 2});
  Y = f32(ys, {static_cast<std::size_t>(n), 1});
}

Tensor init(const gradlab::shape_t& shape, int k) {
  std::size_t n = 1;
  for (auto s : shape) n *= s;
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = std::sin(12.9898 * double(i + 1) + 78.233 * k) * 0.5;
  return f32(v, shape, true);
}

double mlp(int epochs = 300) {
  Tensor X, Y;
  circle(X, Y);
  Tensor W1 = init({16, 2}, 1), b1 = Tensor::zeros({16}).requires_grad_();
  Tensor W2 = init({16, 16}, 2), b2 = Tensor::zeros({16}).requires_grad_();
  Tensor W3 = init({1, 16}, 3), b3 = Tensor::zeros({1}).requires_grad_();
  auto opt =
      optim::make_optimizer("Adam", {{{W1, b1, W2, b2, W3, b3}, {}}}, optim::options{{"lr", 0.01}});
  Tensor loss;
  for (int e = 0; e < epochs; ++e) {
    Tensor h = gradlab::tanh(X.matmul(W1.t()) + b1);
    h = gradlab::tanh(h.matmul(W2.t()) + b2);
    loss = gradlab::binary_cross_entropy_with_logits(h.matmul(W3.t()) + b3, Y);
    opt->zero_grad();
    loss.backward();
    opt->step();
  }
  return loss.item();
}

// Returns the flop count: forward + two backward matmuls per rep.
double matmul(std::size_t n = 256, int reps = 20) {
  Tensor A = init({n, n}, 4), B = init({n, n}, 5);
  for (int r = 0; r < reps; ++r) A.matmul(B).sum().backward();
  return double(reps) * 3 * 2 * double(n) * n * n;
}

double now() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

// Best of k wall-clock runs (the first run pays the warm-up; the minimum leaves it out).
double best(int k, const std::function<double()>& fn, double& result) {
  double best_s = 1e300;
  for (int i = 0; i < k; ++i) {
    const double t = now();
    result = fn();
    best_s = std::min(best_s, now() - t);
  }
  return best_s;
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = 5;
#ifdef __EMSCRIPTEN__
  std::string engine = "gradlab-wasm";
#else
  std::string engine = "gradlab-native";
#endif
  std::string only, api = "tensor";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--repeats") && i + 1 < argc)
      repeats = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--engine") && i + 1 < argc)
      engine = argv[++i];
    else if (!std::strcmp(argv[i], "--only") && i + 1 < argc)
      only = argv[++i];
    else if (!std::strcmp(argv[i], "--api") && i + 1 < argc)
      api = argv[++i];
  }
  struct workload {
    const char* name;
    std::function<double()> fn;
  };
  const std::vector<workload> sessions = {
      {"book-sgd", [] { return book_session("SGD", 1e-2, 5000, true); }},
      {"book-adam", [] { return book_session("Adam", 1e-1, 2000, false); }},
  };
  const std::vector<workload> tensors = {
      {"book-sgd", [] { return book("SGD", 1e-2, 5000, true); }},
      {"book-adam", [] { return book("Adam", 1e-1, 2000, false); }},
      {"playground-mlp", [] { return mlp(); }},
      {"matmul-256", [] { return matmul(); }},
  };
  for (const auto& w : api == "session" ? sessions : tensors) {
    if (!only.empty() && only != w.name) continue;
    double r = 0;
    const double s = best(repeats, w.fn, r);
    if (std::string(w.name) == "matmul-256")
      std::printf(
          "{\"workload\": \"%s\", \"engine\": \"%s\", \"seconds\": %.6g, \"gflops\": %.4g}\n",
          w.name, engine.c_str(), s, r / s / 1e9);
    else
      std::printf(
          "{\"workload\": \"%s\", \"engine\": \"%s\", \"seconds\": %.6g, \"final_loss\": %.9g}\n",
          w.name, engine.c_str(), s, r);
    std::fflush(stdout);
  }
  return 0;
}
