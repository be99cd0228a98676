// session::apply(): one configuration in, the least work done, counted (compiles, compiled
// steps, restarts) rather than timed.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "gradlab/model/presets.hpp"
#include "gradlab/session.hpp"
#include "torch_script.hpp"

using namespace gradlab;

namespace {

/// The page's default: thermometer, the book's model, SGD lr 1e-2 on t_un.
session_config thermometer(double lr = 1e-2) {
  session_config c;
  c.preset = "thermometer";
  c.model = model::make_preset("thermometer").model_text;
  c.optimizer = "SGD";
  c.options = optim::options{{"lr", lr}, {"momentum", 0.9}};
  c.normalize = true;
  return c;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

std::vector<float> values(const session& s) {
  std::vector<float> v;
  for (const auto& p : s.parameters()) v.push_back(static_cast<float>(p.item()));
  return v;
}

}  // namespace

TEST_CASE("apply: a preset with the learner's model compiles once", "[session][apply]") {
  session s;
  session_config c = thermometer();
  c.model = "param w = 2.0\nparam b = 0.0\nloss = ((w * t_u + b - t_c) ** 2).mean()\n";
  const apply_result r = s.apply(c);
  CHECK_FALSE(r.model_error);
  CHECK(r.compiled);
  CHECK(r.restarted);
  CHECK(s.counters().compiles == 1);  // not the preset's text first
  CHECK(s.counters().fused_compiles == 1);
  CHECK(s.counters().restarts == 1);
  CHECK(s.parameters()[0].item() == 2.0);
}

TEST_CASE("apply: an lr change keeps the run: parameters, optimizer state, epochs; no compile",
          "[session][apply]") {
  session s;
  s.apply(thermometer(1e-2));
  REQUIRE(s.run(100));
  const session_counters before = s.counters();
  const std::vector<float> params = values(s);
  const auto* st = s.optimizer()->state(s.parameters()[0]);
  REQUIRE(st);
  REQUIRE(st->buffers.count("momentum_buffer") == 1);

  const apply_result r = s.apply(thermometer(1e-3));
  CHECK_FALSE(r.optimizer_error);
  CHECK_FALSE(r.restarted);
  CHECK_FALSE(r.compiled);
  CHECK(s.counters().compiles == before.compiles);
  CHECK(s.counters().fused_compiles == before.fused_compiles);
  CHECK(s.counters().restarts == before.restarts);
  CHECK(s.epoch() == 100);
  CHECK(values(s) == params);
  CHECK(s.optimizer()->state(s.parameters()[0])->buffers.count("momentum_buffer") == 1);
  CHECK(s.optimizer()->param_groups()[0].opts.num("lr") == 1e-3);
  CHECK(s.optimizer()->param_groups()[0].opts.num("momentum") == 0.9);

  // the run goes on from epoch 100 with the new lr, as PyTorch's loop does after
  // `for g in opt.param_groups: g['lr'] = 1e-3`: b <- 0.9 b + g; p <- p - lr * b
  REQUIRE(s.run(1));
  CHECK(s.epoch() == 101);
  CHECK(s.records().lr[99] == 1e-2);
  CHECK(s.records().lr[100] == 1e-3);
  const auto& h = s.records().params[0];
  const float g = h.grads[100], p0 = h.values[100];
  const auto& buf = s.optimizer()->state(s.parameters()[0])->buffers.at("momentum_buffer");
  const float b = static_cast<float>(buf.item());
  const double moved = s.parameters()[0].item() - p0;  // -lr * b, in float32
  CHECK(std::fabs(moved + 1e-3 * b) < 1e-2 * std::fabs(1e-3 * b));
  CHECK(g != 0);
}

TEST_CASE("apply: an lr change with the manual update keeps the run", "[session][apply]") {
  session s;
  session_config c = thermometer();
  c.optimizer = kManualUpdate;
  c.options = optim::options{{"lr", kBookLr}};
  s.apply(c);
  REQUIRE(s.run(10));
  const std::size_t restarts = s.counters().restarts;
  c.options = optim::options{{"lr", 2 * kBookLr}};
  CHECK_FALSE(s.apply(c).restarted);
  CHECK(s.counters().restarts == restarts);
  REQUIRE(s.run(1));
  CHECK(s.records().lr.back() == 2 * kBookLr);
  CHECK(s.epoch() == 11);
}

TEST_CASE(
    "apply: a teaching switch starts a clean run (a trap's fix clears its error), no "
    "compile",
    "[session][apply]") {
  session s;
  session_config c = thermometer();
  c.optimizer = kManualUpdate;
  c.options = optim::options{{"lr", kBookLr}};
  c.manual_no_grad = false;
  s.apply(c);
  REQUIRE_FALSE(s.run(1));  // PyTorch's in-place leaf error
  REQUIRE(s.errors().size() == 1);
  const session_counters before = s.counters();
  c.manual_no_grad = true;
  CHECK(s.apply(c).restarted);
  CHECK(s.errors().empty());
  CHECK(s.counters().compiles == before.compiles);
  CHECK(s.counters().fused_compiles == before.fused_compiles);
  c.zero_grad = false;
  c.set_to_none = false;
  CHECK(s.apply(c).restarted);
  CHECK_FALSE(s.zero_grad_enabled());
  CHECK_FALSE(s.set_to_none());
  CHECK(s.counters().restarts == before.restarts + 2);
}

TEST_CASE("apply: the same configuration twice does nothing", "[session][apply]") {
  session s;
  s.apply(thermometer());
  REQUIRE(s.run(3));
  const session_counters before = s.counters();
  const apply_result r = s.apply(thermometer());
  CHECK_FALSE(r.restarted);
  CHECK(s.counters().compiles == before.compiles);
  CHECK(s.counters().restarts == before.restarts);
  CHECK(s.epoch() == 3);
}

TEST_CASE("apply: a model change compiles once, or not at all after check_model",
          "[session][apply]") {
  session s;
  s.apply(thermometer());
  REQUIRE(s.run(3));
  session_counters n = s.counters();
  session_config c = thermometer();
  c.model = "param w = 3.0\nparam b = 0.0\nloss = ((w * t_u + b - t_c) ** 2).mean()\n";
  apply_result r = s.apply(c);
  CHECK(r.compiled);
  CHECK(r.restarted);
  CHECK(s.counters().compiles == n.compiles + 1);
  CHECK(s.counters().fused_compiles == n.fused_compiles + 1);
  CHECK(s.epoch() == 0);
  CHECK(s.parameters()[0].item() == 3.0);

  // the page checks each edit, then applies it: one compile in all
  n = s.counters();
  c.model = "param w = 4.0\nparam b = 0.0\nloss = ((w * t_u + b - t_c) ** 2).mean()\n";
  s.check_model(*c.model);
  CHECK(s.epoch() == 0);
  CHECK(s.parameters()[0].item() == 3.0);  // a check changes nothing
  r = s.apply(c);
  CHECK(r.compiled);
  CHECK(s.counters().compiles == n.compiles + 1);
  CHECK(s.parameters()[0].item() == 4.0);
}

TEST_CASE(
    "apply: optimizer class, other options, batch size, seed, copy trap: a restart, no "
    "compile",
    "[session][apply]") {
  session s;
  s.apply(thermometer());
  const std::size_t compiles = s.counters().compiles, fused = s.counters().fused_compiles;
  std::size_t restarts = s.counters().restarts;
  auto restarted = [&](const session_config& c) {
    REQUIRE(s.run(2));
    const apply_result r = s.apply(c);
    CHECK_FALSE(r.optimizer_error);
    CHECK(r.restarted);
    CHECK(s.epoch() == 0);
    CHECK(s.counters().restarts == ++restarts);
  };
  session_config c = thermometer();
  c.options = optim::options{{"lr", 1e-2}, {"momentum", 0.5}};
  restarted(c);
  c.optimizer = "Adam";
  c.options = optim::options{{"lr", 1e-1}};
  restarted(c);
  c.batch_size = 4;
  restarted(c);
  c.seed = 7;
  restarted(c);
  c.copy_params = true;
  restarted(c);
  c.scheduler = "StepLR";
  c.scheduler_options = optim::options{{"step_size", 10.0}};
  restarted(c);
  CHECK(s.counters().compiles == compiles);
  CHECK(s.counters().fused_compiles == fused);
}

TEST_CASE("apply: normalisation and data rebuild the columns and the compiled step",
          "[session][apply]") {
  session s;
  session_config c = thermometer();
  s.apply(c);
  session_counters n = s.counters();
  c.normalize = false;
  CHECK(s.apply(c).restarted);
  CHECK(s.counters().fused_compiles == n.fused_compiles + 1);
  CHECK(s.counters().compiles == n.compiles);  // the model reads the same names
  CHECK_FALSE(s.normalize());

  n = s.counters();
  c.csv = "t_u,t_c\n1,2\n2,4\n3,6\n";
  const apply_result r = s.apply(c);
  CHECK_FALSE(r.data_error);
  CHECK_FALSE(r.model_error);
  CHECK(s.counters().compiles == n.compiles + 1);
  CHECK(s.data().rows() == 3);

  // a seed the data does not use is not a new data set (the thermometer's are fixed)
  n = s.counters();
  c.csv.clear();
  s.apply(c);
  n = s.counters();
  c.seed = 3;
  s.apply(c);
  CHECK(s.counters().compiles == n.compiles);
}

TEST_CASE("apply: each bad entry is reported, the rest applied, the run kept where it can be",
          "[session][apply][errors]") {
  session s;
  s.apply(thermometer(1e-2));
  REQUIRE(s.run(4));

  session_config c = thermometer(-1);
  apply_result r = s.apply(c);
  REQUIRE(r.optimizer_error);
  CHECK(r.optimizer_error->type == "ValueError");
  CHECK(r.optimizer_error->message == "Invalid learning rate: -1.0");
  CHECK(s.optimizer_options().num("lr") == 1e-2);  // the last good lr stays
  CHECK(s.epoch() == 4);

  session fresh;  // a link's bad optimizer on a new session: the preset's own stands in
  session_config xor_link;
  xor_link.preset = "xor";
  xor_link.optimizer = "Adamm";
  CHECK(fresh.apply(xor_link).optimizer_error->message.find("Adam") != std::string::npos);
  CHECK(fresh.optimizer_name() == "Adam");
  CHECK(fresh.optimizer_options().num("lr") == 1e-2);

  c = thermometer();
  c.model = "param w = 1.0\nloss = (w * t_uu - t_c).mean()\n";
  r = s.apply(c);
  REQUIRE(r.model_error);
  CHECK(r.model_error->type == "NameError");
  REQUIRE(r.model_error->where);
  CHECK(r.model_error->where->line == 2);
  CHECK(s.epoch() == 4);  // the last good model and its run stay
  CHECK(s.model_text() == *thermometer().model);

  // regression (e2e bad_input): from PyTorch's defaults (no lr given) to lr = nan, refused;
  // the session kept no lr of its own to set and threw "optimizer option 'lr' is not set"
  c = thermometer();
  c.options = optim::options{};
  s.apply(c);
  c.options = optim::options{{"lr", std::nan("")}};
  r = s.apply(c);
  REQUIRE(r.optimizer_error);
  CHECK(r.optimizer_error->message == "Invalid learning rate: nan");

  c = thermometer();
  c.preset = "thermometr";
  for (int i = 0; i < 2; ++i) {  // reported on every apply while the link names it
    r = s.apply(c);
    REQUIRE(r.preset_error);
    CHECK(r.preset_error->message.find("Did you mean 'thermometer'?") != std::string::npos);
  }
  c = thermometer();
  c.csv = "a,b\n1\n";
  r = s.apply(c);
  CHECK(r.data_error);
  CHECK(s.data().find("t_u"));  // the preset's data stands in
  CHECK_FALSE(r.model_error);
}

TEST_CASE("apply: the book's run through apply equals PyTorch's and the setters' bit for bit",
          "[session][apply]") {
  session a;
  session_config c = thermometer();
  c.options = optim::options{{"lr", 1e-2}};
  a.apply(c);
  session b;
  b.load_preset("thermometer");
  b.set_normalize(true);
  b.set_optimizer("SGD", optim::options{{"lr", 1e-2}});
  REQUIRE(a.run(500));
  REQUIRE(b.run(500));
  REQUIRE(a.records().loss.size() == b.records().loss.size());
  for (std::size_t i = 0; i < a.records().loss.size(); ++i)
    REQUIRE(same_bits(a.records().loss[i], b.records().loss[i]));
}

TEST_CASE("reset: back to the initial parameters without compiling again", "[session][apply]") {
  session s;
  s.apply(thermometer());
  REQUIRE(s.run(50));
  const std::vector<double> first = s.records().loss;
  const session_counters n = s.counters();
  s.reset();
  CHECK(s.counters().fused_compiles == n.fused_compiles);
  CHECK(s.counters().compiles == n.compiles);
  CHECK(s.epoch() == 0);
  REQUIRE(s.run(50));
  REQUIRE(s.fast_path_active());
  for (std::size_t i = 0; i < first.size(); ++i) REQUIRE(same_bits(s.records().loss[i], first[i]));
}

TEST_CASE("export: an lr changed mid-run changes at the same epoch in the PyTorch script",
          "[session][apply][export]") {
  for (const char* opt : {"SGD", kManualUpdate}) {
    INFO(opt);
    session s;
    session_config c = thermometer();
    c.optimizer = opt;
    c.options = optim::options{{"lr", 1e-2}};
    s.apply(c);
    REQUIRE(s.run(30));
    c.options = optim::options{{"lr", 4e-3}};
    REQUIRE_FALSE(s.apply(c).restarted);
    REQUIRE(s.run(30));
    const std::string script = s.export_pytorch(60);
    CHECK(script.find("if _epoch == 31:") != std::string::npos);
    std::string out;
    if (!torch_script::run(script, out)) {
      WARN("torch is not importable by /usr/bin/python3: the exported script was not run");
      continue;
    }
    INFO(script);
    INFO(out);
    std::istringstream in(out);
    std::string line;
    std::size_t e = 0;
    while (std::getline(in, line)) {
      if (line.rfind("epoch ", 0) != 0) continue;
      const double theirs = std::strtod(line.c_str() + line.find("loss ") + 5, nullptr);
      REQUIRE(e < s.records().loss.size());
      INFO("epoch " << e + 1);
      CHECK(std::fabs(s.records().loss[e] - theirs) <= 1e-5 * std::fabs(theirs));
      ++e;
    }
    CHECK(e == 60);
  }
}
