#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>

#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "gradlab/optim/optimizer.hpp"

using namespace gradlab;
using namespace gradlab::optim;

namespace {
Tensor param(std::vector<double> v) {
  const std::size_t n = v.size();
  return Tensor::from_values(std::move(v), {n}, dtype::float64, true);
}
Tensor values(std::vector<double> v) {
  const std::size_t n = v.size();
  return Tensor::from_values(std::move(v), {n}, dtype::float64);
}
/// The Python exception type and message an optimizer constructor raises.
std::pair<std::string, std::string> raised(const std::string& name, std::vector<Tensor> params,
                                           const options& o) {
  try {
    make_optimizer(name, {{std::move(params), {}}}, o);
  } catch (const gradlab::error& e) {
    return {e.type(), e.what()};
  }
  return {"", ""};
}
}  // namespace

TEST_CASE("the registry offers all 15 torch.optim classes in PyTorch's order", "[optim]") {
  std::vector<std::string> names;
  for (const auto& info : registry()) names.push_back(info.name);
  CHECK(names == std::vector<std::string>{"ASGD", "Adadelta", "Adafactor", "Adagrad", "Adam",
                                          "AdamW", "Adamax", "LBFGS", "Muon", "NAdam", "RAdam",
                                          "RMSprop", "Rprop", "SGD", "SparseAdam"});
  // PyTorch's documented constructor defaults
  auto defaults_of = [](const std::string& n) {
    options o;
    for (const auto& s : find_optimizer(n)->specs) o.set(s.name, s.default_value);
    return o;
  };
  CHECK(defaults_of("Adam").num("lr") == 1e-3);
  CHECK(defaults_of("Adam").vec("betas") == std::vector<double>{0.9, 0.999});
  CHECK(defaults_of("AdamW").num("weight_decay") == 1e-2);
  CHECK(defaults_of("AdamW").flag("decoupled_weight_decay"));
  CHECK(defaults_of("Adamax").num("lr") == 2e-3);
  CHECK(defaults_of("NAdam").num("momentum_decay") == 4e-3);
  CHECK(defaults_of("RMSprop").num("alpha") == 0.99);
  CHECK(defaults_of("Adagrad").num("eps") == 1e-10);
  CHECK(defaults_of("Adadelta").num("rho") == 0.9);
  CHECK(defaults_of("ASGD").num("t0") == 1e6);
  CHECK(defaults_of("Rprop").vec("step_sizes") == std::vector<double>{1e-6, 50});
  CHECK(defaults_of("LBFGS").num("history_size") == 100);
  CHECK(defaults_of("Adafactor").num("beta2_decay") == -0.8);
  CHECK(defaults_of("Muon").num("momentum") == 0.95);
  CHECK(defaults_of("Muon").flag("nesterov"));
}

TEST_CASE("LBFGS resolves max_eval to max_iter * 5 // 4", "[optim]") {
  auto opt = make_optimizer("LBFGS", {{{param({1.0})}, {}}}, {{"max_iter", 10.0}});
  CHECK(opt->defaults().num("max_eval") == 12);
  auto d = make_optimizer("LBFGS", {{{param({1.0})}, {}}}, {});
  CHECK(d->defaults().num("max_eval") == 25);
}

TEST_CASE("invalid hyper-parameters raise PyTorch's ValueError texts", "[optim]") {
  const Tensor p = param({1.0, 2.0});
  CHECK(raised("Adam", {p}, {{"lr", -0.1}}) ==
        std::make_pair(std::string("ValueError"), std::string("Invalid learning rate: -0.1")));
  CHECK(raised("Adam", {p}, {{"lr", std::nan("")}}).second == "Invalid learning rate: nan");
  CHECK(raised("SGD", {p}, {{"lr", std::nan("")}}).second == "Invalid learning rate: nan");
  CHECK(raised("AdamW", {p}, {{"betas", std::vector<double>{1.5, 0.999}}}).second ==
        "Invalid beta parameter at index 0: 1.5");
  CHECK(raised("NAdam", {p}, {{"betas", std::vector<double>{0.9, 1.0}}}).second ==
        "Invalid beta parameter at index 1: 1.0");
  CHECK(raised("RAdam", {p}, {{"eps", -1.0}}).second == "Invalid epsilon value: -1.0");
  CHECK(raised("Adamax", {p}, {{"weight_decay", -0.5}}).second ==
        "Invalid weight_decay value: -0.5");
  CHECK(raised("NAdam", {p}, {{"momentum_decay", -1.0}}).second ==
        "Invalid momentum_decay value: -1.0");
  CHECK(raised("RMSprop", {p}, {{"alpha", -0.5}}).second == "Invalid alpha value: -0.5");
  CHECK(raised("RMSprop", {p}, {{"momentum", -0.5}}).second == "Invalid momentum value: -0.5");
  CHECK(raised("Adagrad", {p}, {{"lr_decay", -0.5}}).second == "Invalid lr_decay value: -0.5");
  CHECK(raised("Adagrad", {p}, {{"initial_accumulator_value", -0.5}}).second ==
        "Invalid initial_accumulator_value value: -0.5");
  CHECK(raised("Adadelta", {p}, {{"rho", 1.5}}).second == "Invalid rho value: 1.5");
  CHECK(raised("ASGD", {p}, {{"lr", -0.5}}).second == "Invalid learning rate: -0.5");
  CHECK(raised("Rprop", {p}, {{"etas", std::vector<double>{1.5, 1.2}}}).second ==
        "Invalid eta values: 1.5, 1.2");
  CHECK(raised("SparseAdam", {p}, {{"lr", -0.5}}).second == "Invalid learning rate: -0.5");
  CHECK(raised("LBFGS", {p}, {{"lr", -1.0}}).second == "Invalid learning rate: -1.0");
  CHECK(raised("Adafactor", {p}, {{"lr", -0.5}}).second ==
        "Learning rate should be >= 0 but is: -0.5");
  CHECK(raised("Adafactor", {p}, {{"beta2_decay", 0.5}}).second ==
        "beta2_decay should be <= 0 but is: 0.5");
  CHECK(raised("Adafactor", {p}, {{"d", 0.5}}).second ==
        "Clipping threshold d should be >= 1 but is: 0.5");
  const Tensor w = Tensor::from_values({1, 2, 3, 4}, {2, 2}, dtype::float64, true);
  CHECK(raised("Muon", {w}, {{"momentum", -0.5}}).second == "momentum should be >= 0 but is: -0.5");
  CHECK(raised("Muon", {w}, {{"adjust_lr_fn", std::string("fast")}}).second ==
        "Adjust learning rate function fast is not supported");
  CHECK(raised("Muon", {p}, {}) ==
        std::make_pair(
            std::string("ValueError"),
            std::string("Muon only supports 2D parameters whereas we found a parameter with size: "
                        "torch.Size([2])")));
}

TEST_CASE("an unknown option is PyTorch's TypeError", "[optim]") {
  CHECK(
      raised("Adam", {param({1.0})}, {{"momentum", 0.9}}) ==
      std::make_pair(std::string("TypeError"),
                     std::string("Adam.__init__() got an unexpected keyword argument 'momentum'")));
  CHECK(raised("LBFGS", {param({1.0})}, {{"betas", std::vector<double>{0.9, 0.99}}}).first ==
        "TypeError");
}

TEST_CASE("Adam's state after one step: exp_avg = (1 - beta1) g, exp_avg_sq = (1 - beta2) g^2",
          "[optim]") {
  Tensor p = param({1.0, -2.0, 3.0});
  auto opt =
      make_optimizer("Adam", {{{p}, {}}}, {{"lr", 0.1}, {"betas", std::vector<double>{0.8, 0.9}}});
  CHECK(opt->state(p) == nullptr);  // lazily created
  const std::vector<double> g{0.5, -1.5, 2.0};
  p.set_grad(values(g));
  opt->step();
  const param_state* st = opt->state(p);
  REQUIRE(st != nullptr);
  CHECK(st->scalars.at("step") == 1);
  const auto m = st->buffers.at("exp_avg").to_vector(),
             v = st->buffers.at("exp_avg_sq").to_vector();
  for (std::size_t i = 0; i < g.size(); ++i) {
    CHECK(m[i] == Approx((1 - 0.8) * g[i]).epsilon(1e-14));
    CHECK(v[i] == Approx((1 - 0.9) * g[i] * g[i]).epsilon(1e-14));
  }
  CHECK_FALSE(st->buffers.count("max_exp_avg_sq"));
  // the bias-corrected first step moves every coordinate by about lr against its grad
  const auto after = p.to_vector();
  CHECK(after[0] == Approx(1.0 - 0.1).epsilon(1e-6));
  CHECK(after[1] == Approx(-2.0 + 0.1).epsilon(1e-6));
}

TEST_CASE("state uses PyTorch's names", "[optim]") {
  auto state_keys = [](const std::string& name, const options& o) {
    Tensor p = Tensor::from_values({1, 2, 3, 4}, {2, 2}, dtype::float64, true);
    auto opt = make_optimizer(name, {{{p}, {}}}, o);
    p.set_grad(Tensor::from_values({0.1, -0.2, 0.3, -0.4}, {2, 2}, dtype::float64));
    opt->step();
    std::vector<std::string> keys;
    for (const auto& [k, v] : opt->state(p)->buffers) keys.push_back(k);
    for (const auto& [k, v] : opt->state(p)->scalars) keys.push_back(k);
    std::sort(keys.begin(), keys.end());
    return keys;
  };
  using names = std::vector<std::string>;
  CHECK(state_keys("Adam", {{"amsgrad", true}}) ==
        names{"exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"});
  CHECK(state_keys("Adamax", {}) == names{"exp_avg", "exp_inf", "step"});
  CHECK(state_keys("NAdam", {}) == names{"exp_avg", "exp_avg_sq", "mu_product", "step"});
  CHECK(state_keys("RMSprop", {{"momentum", 0.9}, {"centered", true}}) ==
        names{"grad_avg", "momentum_buffer", "square_avg", "step"});
  CHECK(state_keys("Adagrad", {}) == names{"step", "sum"});
  CHECK(state_keys("Adadelta", {}) == names{"acc_delta", "square_avg", "step"});
  CHECK(state_keys("ASGD", {}) == names{"ax", "eta", "mu", "step"});
  CHECK(state_keys("Rprop", {}) == names{"prev", "step", "step_size"});
  CHECK(state_keys("Adafactor", {}) == names{"col_var", "row_var", "step"});
  CHECK(state_keys("Muon", {}) == names{"momentum_buffer"});
}

TEST_CASE("param groups keep their own options; missing ones come from the defaults", "[optim]") {
  Tensor a = param({1.0}), b = param({1.0});
  auto opt = make_optimizer("Adam", {{{a}, {}}, {{b}, {{"lr", 0.5}}}}, {{"lr", 0.01}});
  REQUIRE(opt->param_groups().size() == 2);
  CHECK(opt->param_groups()[0].opts.num("lr") == 0.01);
  CHECK(opt->param_groups()[1].opts.num("lr") == 0.5);
  CHECK(opt->param_groups()[1].opts.vec("betas") == std::vector<double>{0.9, 0.999});
  a.set_grad(values({1.0}));
  b.set_grad(values({1.0}));
  opt->step();
  CHECK(a.item() == Approx(1.0 - 0.01).epsilon(1e-6));
  CHECK(b.item() == Approx(1.0 - 0.5).epsilon(1e-6));
}

TEST_CASE("a parameter whose grad is None is skipped; a zero grad is still a step", "[optim]") {
  for (const auto& info : registry()) {
    if (info.name == "LBFGS" || info.name == "SparseAdam" || info.name == "Muon") continue;
    INFO(info.name);
    Tensor used = param({1.0, 2.0}), unused = param({3.0, 4.0});
    auto opt = make_optimizer(info.name, {{{used, unused}, {}}}, {});
    used.set_grad(values({0.0, 0.0}));
    opt->step();
    CHECK(unused.to_vector() == std::vector<double>{3.0, 4.0});
    CHECK(opt->state(unused) == nullptr);
    if (info.name == "SGD") continue;  // plain SGD keeps no state
    REQUIRE(opt->state(used) != nullptr);
    if (opt->state(used)->scalars.count("step")) CHECK(opt->state(used)->scalars.at("step") == 1);
  }
}

TEST_CASE("every algorithm lowers a simple quadratic", "[optim]") {
  // loss = sum((p - c)^2), grads set by hand: no dependency on the op set
  const std::vector<double> c{1.0, -2.0, 0.5, 3.0};
  auto loss_of = [&](const Tensor& p) {
    double l = 0;
    for (std::size_t i = 0; i < c.size(); ++i) l += (p.at(i) - c[i]) * (p.at(i) - c[i]);
    return l;
  };
  auto set_grad = [&](Tensor& p, bool sparse) {
    std::vector<double> g(c.size());
    for (std::size_t i = 0; i < c.size(); ++i) g[i] = 2 * (p.at(i) - c[i]);
    Tensor gt = Tensor::from_values(g, p.shape(), dtype::float64);
    if (sparse) gt.impl()->sparse_rows = std::vector<std::int64_t>{0, 1, 2, 3};
    p.set_grad(gt);
  };
  for (const auto& info : registry()) {
    INFO(info.name);
    const bool matrix = info.name == "Muon";
    Tensor p = matrix ? Tensor::from_values({0, 0, 0, 0}, {2, 2}, dtype::float64, true)
                      : param({0, 0, 0, 0});
    auto opt =
        make_optimizer(info.name, {{{p}, {}}}, {{"lr", info.name == "Adadelta" ? 1.0 : 0.05}});
    const double before = loss_of(p);
    for (int s = 0; s < 5; ++s) {
      if (info.name == "LBFGS") {
        opt->step([&] {
          opt->zero_grad();
          set_grad(p, false);
          return Tensor::scalar(loss_of(p), dtype::float64);
        });
      } else {
        opt->zero_grad();
        set_grad(p, info.name == "SparseAdam");
        opt->step();
      }
    }
    CHECK(loss_of(p) < before);
  }
}

TEST_CASE("maximize climbs instead of descending", "[optim]") {
  for (const std::string name :
       {"Adam", "RMSprop", "Adagrad", "NAdam", "RAdam", "Adamax", "Rprop"}) {
    INFO(name);
    Tensor p = param({0.0});
    auto opt = make_optimizer(name, {{{p}, {}}}, {{"maximize", true}});
    p.set_grad(values({1.0}));
    opt->step();
    CHECK(p.item() > 0);
  }
}

TEST_CASE("SparseAdam updates only the rows of a sparse grad and rejects dense grads", "[optim]") {
  Tensor e = Tensor::from_values({1, 1, 2, 2, 3, 3}, {3, 2}, dtype::float64, true);
  auto opt = make_optimizer("SparseAdam", {{{e}, {}}}, {{"lr", 0.1}});
  Tensor g = Tensor::from_values({0.5, 0.5, 0, 0, 0, 0}, {3, 2}, dtype::float64);
  e.set_grad(g);
  REQUIRE_THROWS_WITH(opt->step(),
                      "SparseAdam does not support dense gradients, please consider Adam instead");
  g.impl()->sparse_rows = std::vector<std::int64_t>{0, 2};
  opt->step();
  const auto v = e.to_vector();
  CHECK(v[0] < 1.0);
  CHECK(v[2] == 2.0);  // row 1 untouched
  CHECK(v[3] == 2.0);
  CHECK(v[4] == 3.0);  // row 2 listed, zero grad: moments decay, param stays put
  // dense optimizers refuse sparse grads
  Tensor q = param({1.0});
  auto adam = make_optimizer("Adam", {{{q}, {}}}, {});
  Tensor sg = values({1.0});
  sg.impl()->sparse_rows = std::vector<std::int64_t>{0};
  q.set_grad(sg);
  REQUIRE_THROWS_WITH(adam->step(), "Adam does not support sparse gradients");
}

TEST_CASE("LBFGS needs a closure and counts its evaluations", "[optim]") {
  Tensor p = param({3.0, -1.0});
  auto opt =
      make_optimizer("LBFGS", {{{p}, {}}}, {{"line_search_fn", std::string("strong_wolfe")}});
  CHECK_THROWS_WITH(opt->step(), "LBFGS.step() missing 1 required positional argument: 'closure'");
  int calls = 0;
  auto closure = [&] {
    ++calls;
    opt->zero_grad();
    p.set_grad(values({2 * p.at(0), 20 * p.at(1)}));
    return Tensor::scalar(p.at(0) * p.at(0) + 10 * p.at(1) * p.at(1), dtype::float64);
  };
  const Tensor first = opt->step(closure);
  CHECK(first.item() == Approx(19.0));
  CHECK(std::fabs(p.at(0)) < 1e-6);
  CHECK(std::fabs(p.at(1)) < 1e-6);
  CHECK(opt->state(p)->scalars.at("func_evals") == calls);
  CHECK_THROWS_WITH(make_optimizer("LBFGS", {{{p}, {}}, {{param({1.0})}, {}}}, {}),
                    "LBFGS doesn't support per-parameter options (parameter groups)");
}

TEST_CASE("every option's check comes from its declared row; unchecked options take any value",
          "[optim]") {
  // What PyTorch's constructors check (torch/optim/*.py); gradlab declares the same rows.
  const std::map<std::string, std::set<std::string>> pytorch_checks = {
      {"ASGD", {"lr", "weight_decay"}},
      {"Adadelta", {"lr", "rho", "eps", "weight_decay"}},
      {"Adafactor", {"lr", "beta2_decay", "eps", "d", "weight_decay"}},
      {"Adagrad", {"lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"}},
      {"Adam", {"lr", "eps", "betas", "weight_decay"}},
      {"AdamW", {"lr", "eps", "betas", "weight_decay"}},
      {"Adamax", {"lr", "eps", "betas", "weight_decay"}},
      {"LBFGS", {"lr", "line_search_fn"}},
      {"Muon", {"lr", "momentum", "weight_decay", "adjust_lr_fn"}},
      {"NAdam", {"lr", "eps", "betas", "weight_decay", "momentum_decay"}},
      {"RAdam", {"lr", "eps", "betas", "weight_decay"}},
      {"RMSprop", {"lr", "eps", "momentum", "weight_decay", "alpha"}},
      {"Rprop", {"lr", "etas"}},
      {"SGD", {"lr", "momentum", "weight_decay", "nesterov"}},
      {"SparseAdam", {"lr", "eps", "betas"}}};
  // values of the default's type; each kind of check fails for at least one of them
  auto candidates = [](const option_value& def) {
    std::vector<option_value> out;
    if (std::holds_alternative<double>(def)) {
      for (double v : {-1.0, std::nan(""), 0.5, 2.0}) out.emplace_back(v);
    } else if (std::holds_alternative<bool>(def)) {
      out = {true, false};
    } else if (const auto* t = std::get_if<std::vector<double>>(&def)) {
      for (std::size_t i = 0; i < t->size(); ++i)
        for (double v : {-1.0, 0.5, 1.0, 1.5}) {
          auto c = *t;
          c[i] = v;
          out.emplace_back(c);
        }
    } else {
      out = {std::string("unknown"), std::monostate{}};
    }
    return out;
  };
  const Tensor vector = param({1.0, 2.0});
  const Tensor matrix = Tensor::from_values({1, 2, 3, 4}, {2, 2}, dtype::float64, true);
  for (const auto& info : registry()) {
    std::set<std::string> checked;
    for (const auto& spec : info.specs) {
      INFO(info.name << "(" << spec.name << "=...)");
      std::vector<std::pair<std::string, std::string>> errors;
      for (const auto& v : candidates(spec.default_value)) {
        auto e = raised(info.name, {info.name == "Muon" ? matrix : vector}, {{spec.name, v}});
        if (!e.first.empty()) errors.push_back(e);
      }
      if (!spec.check.test) {
        CHECK(errors.empty());
        continue;
      }
      checked.insert(spec.name);
      CHECK_FALSE(errors.empty());
      for (const auto& [type, message] : errors) {
        INFO(type << ": " << message);
        CHECK((type == "ValueError" || (spec.name == "line_search_fn" && type == "RuntimeError")));
        CHECK(message.rfind(spec.check.text, 0) == 0);  // the row's own message
      }
    }
    INFO(info.name);
    CHECK(checked == pytorch_checks.at(info.name));
  }
}

TEST_CASE("checks run in PyTorch's order, the arguments before the parameters", "[optim]") {
  const Tensor p = param({1.0});
  CHECK(raised("Adam", {p}, {{"eps", -1.0}, {"betas", std::vector<double>{1.5, 0.9}}}).second ==
        "Invalid epsilon value: -1.0");
  CHECK(raised("RMSprop", {p}, {{"alpha", -1.0}, {"momentum", -1.0}}).second ==
        "Invalid momentum value: -1.0");
  CHECK(raised("Adagrad", {p}, {{"eps", -1.0}, {"weight_decay", -1.0}}).second ==
        "Invalid weight_decay value: -1.0");
  // torch.optim.SGD([], lr=-1): the lr check comes first
  CHECK(raised("SGD", {}, {{"lr", -1.0}}).second == "Invalid learning rate: -1.0");
  CHECK(raised("SGD", {}, {}).second == "optimizer got an empty parameter list");
  // a group's own options get the same checks
  CHECK_THROWS_WITH(make_optimizer("Adam", {{{param({1.0})}, {{"eps", -2.0}}}}, {}),
                    "Invalid epsilon value: -2.0");
}

TEST_CASE("an edit of a param group between steps reaches the next step", "[optim]") {
  // SGD: p <- p - lr * g, each group with its own lr
  Tensor a = param({1.0}), b = param({1.0});
  auto opt = make_optimizer("SGD", {{{a}, {}}, {{b}, {{"lr", 0.25}}}}, {{"lr", 0.5}});
  auto step = [&] {
    a.set_grad(values({1.0}));
    b.set_grad(values({1.0}));
    opt->step();
  };
  step();
  CHECK(a.item() == 0.5);
  CHECK(b.item() == 0.75);
  opt->param_groups()[0].opts.set("lr", 0.125);  // opt.param_groups[0]['lr'] = 0.125
  step();
  CHECK(a.item() == 0.375);
  CHECK(b.item() == 0.5);
  // a whole dictionary copied from the other group: the copy's values, not the old ones
  opt->param_groups()[0].opts = opt->param_groups()[1].opts;
  step();
  CHECK(a.item() == 0.125);
  CHECK(b.item() == 0.25);
  // a new key is kept in the dictionary, and the update goes on
  opt->param_groups()[1].opts.set("my_note", std::string("kept"));
  step();
  CHECK(b.item() == 0.0);
  CHECK(opt->param_groups()[1].opts.str("my_note") == "kept");
  // momentum switched on later: the buffer starts then, as PyTorch's does
  opt->param_groups()[1].opts.set("momentum", 0.5);
  step();
  REQUIRE(opt->state(b)->buffers.count("momentum_buffer"));
  CHECK(b.item() == -0.25);
  step();  // buffer 0.5 * 1 + 1 = 1.5
  CHECK(b.item() == -0.625);

  // Adam's betas: an edited group steps as a fresh optimizer built with the new value
  Tensor x = param({1.0, -2.0}), y = param({1.0, -2.0});
  auto edited = make_optimizer("Adam", {{{x}, {}}}, {{"lr", 0.1}});
  auto fresh =
      make_optimizer("Adam", {{{y}, {}}}, {{"lr", 0.1}, {"betas", std::vector<double>{0.5, 0.75}}});
  edited->param_groups()[0].opts.set("betas", std::vector<double>{0.5, 0.75});
  for (int i = 0; i < 3; ++i) {
    x.set_grad(values({0.5, -1.5}));
    y.set_grad(values({0.5, -1.5}));
    edited->step();
    fresh->step();
  }
  CHECK(x.to_vector() == y.to_vector());
  // a tuple of the wrong length set between steps: Python's unpacking error at the step
  edited->param_groups()[0].opts.set("betas", std::vector<double>{0.9});
  x.set_grad(values({0.5, -1.5}));
  CHECK_THROWS_WITH(edited->step(), "not enough values to unpack (expected 2, got 1)");
  edited->param_groups()[0].opts.set("betas", std::vector<double>{0.5, 0.75});
  CHECK_NOTHROW(edited->step());
}

TEST_CASE("a group's tuple of the wrong length is accepted, and step() raises the unpacking error",
          "[optim]") {
  // PyTorch checks only the constructor's own tuples; a group's fails where step() unpacks it
  // (beta1, beta2 = group["betas"]), after the groups before it were updated
  CHECK(raised("Adam", {param({1.0})}, {{"betas", std::vector<double>{0.9}}}).second ==
        "not enough values to unpack (expected 2, got 1)");
  for (const auto& [name, key] : std::vector<std::pair<std::string, std::string>>{
           {"Adam", "betas"}, {"NAdam", "betas"}, {"Rprop", "etas"}, {"Rprop", "step_sizes"}}) {
    INFO(name << " " << key);
    Tensor a = param({1.0}), b = param({1.0});
    auto opt = make_optimizer(name, {{{a}, {}}, {{b}, {{key, std::vector<double>{0.5, 0.6, 0.7}}}}},
                              {{"lr", 0.1}});
    a.set_grad(values({1.0}));
    b.set_grad(values({1.0}));
    CHECK_THROWS_WITH(opt->step(), "too many values to unpack (expected 2)");
    CHECK(a.item() < 1.0);
    CHECK(b.item() == 1.0);
  }
}
