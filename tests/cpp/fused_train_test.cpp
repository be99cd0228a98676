// The session's compiled training step against the general engine: for every model the
// compiled step accepts, and every optimizer and teaching switch, the two must record the
// same losses, parameters, gradients and optimizer state, bit for bit.
#include "session/fused_train.hpp"

#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "gradlab/model/presets.hpp"
#include "gradlab/session.hpp"

using namespace gradlab;

namespace {

struct setup {
  std::string preset;
  std::string model;  // "" keeps the preset's
};

// Models the compiled step must take: the book's and its variants, exercising every node
// kind (columns, scalar and indexed parameters, numbers on either side, + - * / **, unary
// minus, mean/sum, the MSE fallback, variables used twice).
const std::vector<setup> fused_models = {
    {"thermometer", ""},
    {"thermometer_quadratic", ""},
    {"rosenbrock", ""},
    {"thermometer", "param p[2] = [1.0, 0.0]\nloss = ((p[0] * t_u + p[1] - t_c) ** 2).mean()\n"},
    {"thermometer", "param params[2] = [1.0, 0.0]\nparams[0] * t_u + params[-1]\n"},
    {"thermometer", "param w = 1.0\nparam b = 0.0\nw * t_u + b\n"},
    {"thermometer",
     "param w = 0.5\nparam b = 0.1\ny = w * t_u + b\nloss = ((y - t_c) * (y - t_c)).sum() / 11\n"},
    {"thermometer",
     "param w = 0.5\nparam b = 0.1\nloss = ((2 * w * t_u - b / 3 - t_c) ** 2).mean()\n"},
    {"thermometer",
     "param w = 0.5\nparam b = 2.0\nloss = ((-w * t_u + 1 / b - (1 - t_c)) ** 2).mean()\n"},
    {"thermometer",
     "param w = 0.5\nparam b = 2.0\nloss = (((t_u / b) * w - t_c) ** 2).mean() + 0.1 * (w ** 2 + b "
     "** 2)\n"},
    {"thermometer",
     "param w = 1.0\nparam b = 0.0\nloss = ((w * w * t_u + b - t_c) ** 2).mean() + (w - w) * b\n"},
    {"thermometer", "param a = 0.5\nloss = ((a * t_u ** 3 / 1000 + a - t_c) ** 2).mean() ** 0.5\n"},
};

// Models it must leave to the general engine.
const std::vector<setup> general_models = {
    {"circle", ""},  // matmul, tanh, a classification loss
    {"thermometer",
     "param w = 1.0\nparam b = 0.0\nloss = ((tanh(w * t_u) + b - t_c) ** 2).mean()\n"},
    {"thermometer", "param p[11] = zeros\nloss = ((p * t_u - t_c) ** 2).mean()\n"},
};

std::unique_ptr<session> make(const setup& s, bool fast) {
  auto out = std::make_unique<session>();
  out->load_preset(s.preset);
  if (!s.model.empty()) out->set_model(s.model);
  out->set_fast_path(fast);
  return out;
}

template <class V>
bool same_bits(const V& a, const V& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(a[0])) == 0);
}

void require_same(const session& a, const session& b) {
  const history& x = a.records();
  const history& y = b.records();
  REQUIRE(x.epochs() == y.epochs());
  CHECK(same_bits(x.loss, y.loss));
  CHECK(same_bits(x.lr, y.lr));
  REQUIRE(x.params.size() == y.params.size());
  for (std::size_t i = 0; i < x.params.size(); ++i) {
    INFO("parameter " << x.params[i].name);
    CHECK(same_bits(x.params[i].values, y.params[i].values));
    CHECK(same_bits(x.params[i].grads, y.params[i].grads));
    CHECK(same_bits(x.params[i].has_grad, y.params[i].has_grad));
  }
  REQUIRE(x.state.size() == y.state.size());
  for (std::size_t i = 0; i < x.state.size(); ++i) {
    INFO("state " << x.state[i].param << "." << x.state[i].key);
    CHECK(same_bits(x.state[i].values, y.state[i].values));
  }
  CHECK(x.first_nonfinite_epoch == y.first_nonfinite_epoch);
  CHECK(a.errors().size() == b.errors().size());
  for (std::size_t i = 0; i < a.parameters().size(); ++i) {
    const Tensor ga = a.parameters()[i].grad(), gb = b.parameters()[i].grad();
    REQUIRE(ga.defined() == gb.defined());
    if (ga.defined()) CHECK(same_bits(ga.to_vector(), gb.to_vector()));
  }
}

/// Runs both in chunks (each run() ends with a general-engine epoch) and compares.
void run_both(session& fast, session& slow, const std::vector<long>& chunks) {
  for (long c : chunks) {
    fast.run(c);
    slow.run(c);
  }
  require_same(fast, slow);
}

}  // namespace

TEST_CASE("fused step: the models it accepts match the general engine bit for bit",
          "[session][fused]") {
  struct opt {
    std::string name;
    optim::options o;
  };
  const std::vector<opt> opts = {
      {"SGD", optim::options{{"lr", 1e-3}}},
      {"SGD", optim::options{{"lr", 1e-3}, {"momentum", 0.9}, {"nesterov", true}}},
      {"SGD", optim::options{{"lr", 1e-3}, {"weight_decay", 0.1}, {"momentum", 0.5}}},
      {"Adam", optim::options{{"lr", 1e-2}}},
      {"AdamW", optim::options{{"lr", 1e-2}, {"amsgrad", true}}},
      {"RMSprop", optim::options{{"lr", 1e-3}, {"centered", true}}},
      {"Adagrad", optim::options{{"lr", 1e-2}}},
      {"Rprop", optim::options{{"lr", 1e-2}}},
      {"manual", optim::options{{"lr", 1e-4}}},
  };
  for (const auto& m : fused_models) {
    for (const auto& o : opts) {
      INFO("model: " << m.model << " (" << m.preset << "), optimizer " << o.name);
      auto fast = make(m, true), slow = make(m, false);
      fast->set_optimizer(o.name, o.o);
      slow->set_optimizer(o.name, o.o);
      REQUIRE(fast->fast_path_active());
      REQUIRE_FALSE(slow->fast_path_active());
      run_both(*fast, *slow, {1, 7, 40});
    }
  }
}

TEST_CASE("fused step: the teaching switches and a schedule agree with the general engine",
          "[session][fused]") {
  const setup book{"thermometer", ""};
  SECTION("zero_grad off: gradients accumulate in place") {
    auto fast = make(book, true), slow = make(book, false);
    fast->set_zero_grad(false);
    slow->set_zero_grad(false);
    run_both(*fast, *slow, {3, 30});
  }
  SECTION("zero_grad with set_to_none=False zeroes in place") {
    auto fast = make(book, true), slow = make(book, false);
    fast->set_set_to_none(false);
    slow->set_set_to_none(false);
    run_both(*fast, *slow, {3, 30});
  }
  SECTION("the optimizer holds copies: nothing moves") {
    auto fast = make(book, true), slow = make(book, false);
    fast->set_optimizer_gets_copy(true);
    slow->set_optimizer_gets_copy(true);
    run_both(*fast, *slow, {5, 5});
    CHECK(fast->diagnostics().size() == slow->diagnostics().size());
  }
  SECTION("an lr schedule") {
    auto fast = make(book, true), slow = make(book, false);
    for (auto* s : {fast.get(), slow.get()}) {
      s->set_optimizer("SGD", optim::options{{"lr", 1e-2}, {"momentum", 0.9}});
      s->set_scheduler("StepLR", optim::options{{"step_size", 10.0}, {"gamma", 0.5}});
    }
    run_both(*fast, *slow, {25, 25});
  }
  SECTION("divergence: the same epoch and parameter blow up") {
    auto fast = make(book, true), slow = make(book, false);
    fast->set_normalize(false);
    slow->set_normalize(false);
    run_both(*fast, *slow, {20, 200});
    CHECK(fast->records().first_nonfinite_epoch > 0);
    CHECK(fast->records().first_nonfinite_param == slow->records().first_nonfinite_param);
  }
  SECTION("the graph after a run is the last epoch's, built by the general engine") {
    auto fast = make(book, true), slow = make(book, false);
    run_both(*fast, *slow, {50});
    const graph_snapshot gf = fast->graph(), gs = slow->graph();
    REQUIRE(gf.nodes.size() == gs.nodes.size());
    REQUIRE(gf.nodes.size() > 3);
    for (std::size_t i = 0; i < gf.nodes.size(); ++i) {
      CHECK(gf.nodes[i].name == gs.nodes[i].name);
      CHECK(same_bits(gf.nodes[i].value, gs.nodes[i].value));
      CHECK(same_bits(gf.nodes[i].grad, gs.nodes[i].grad));
    }
  }
}

TEST_CASE("fused step: other models, mini-batches and LBFGS use the general engine",
          "[session][fused]") {
  for (const auto& m : general_models) {
    INFO("model: " << m.model << " (" << m.preset << ")");
    CHECK_FALSE(make(m, true)->fast_path_active());
  }
  auto s = make({"thermometer", ""}, true);
  REQUIRE(s->fast_path_active());
  s->set_batch_size(4);
  CHECK_FALSE(s->fast_path_active());
  s->set_batch_size(0);
  s->set_optimizer("LBFGS", optim::options{{"lr", 0.1}});
  CHECK_FALSE(s->fast_path_active());
}

TEST_CASE("fused step: evaluate() at given parameter values is the general engine's loss there",
          "[session][fused]") {
  for (const auto& m : fused_models) {
    INFO("model: " << m.model << " (" << m.preset << ")");
    auto s = make(m, true);
    const model::columns_t cols =
        model::make_columns(s->data(), model::make_preset(m.preset).normalize);
    std::vector<Tensor> col_tensors;
    for (const auto& c : cols) col_tensors.push_back(c.second);
    auto fused = detail::fused_train::compile(s->model(), cols, s->parameters());
    REQUIRE(fused);
    for (int k = 0; k < 3; ++k) {
      // parameter values of the caller's choosing, as buffers and as tensors
      std::vector<std::vector<float>> buffers;
      std::vector<const float*> at;
      std::vector<Tensor> params;
      for (const auto& p : s->parameters()) {
        std::vector<double> v(p.numel());
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = p.at(i) + 0.37 * (k + 1) * (i + 1);
        buffers.emplace_back(v.begin(), v.end());
        params.push_back(Tensor::from_values(v, p.shape(), dtype::float32));
      }
      for (const auto& b : buffers) at.push_back(b.data());
      const float got = fused->evaluate(at);
      const float want = static_cast<float>(s->model().loss(params, col_tensors).item());
      INFO("values " << k << ": " << got << " vs " << want);
      CHECK(std::memcmp(&got, &want, sizeof got) == 0);
    }
  }
}
