#include "gradlab/sched.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "gradlab/error.hpp"
#include "gradlab/session.hpp"

using namespace gradlab;

namespace {
std::unique_ptr<optim::optimizer> sgd(double lr, optim::options extra = {}) {
  Tensor p = Tensor::from_values({0.0}, {1}, dtype::float64, true);
  extra.set("lr", lr);
  return optim::make_optimizer("SGD", {{{p}, {}}}, extra);
}
double lr_of(const optim::optimizer& o) { return o.param_groups()[0].opts.num("lr"); }
}  // namespace

TEST_CASE("the scheduler registry offers the 11 lr schedulers", "[sched]") {
  std::vector<std::string> names;
  for (const auto& info : sched::registry()) names.push_back(info.name);
  CHECK(names == std::vector<std::string>{"StepLR", "MultiStepLR", "ExponentialLR",
                                          "CosineAnnealingLR", "LinearLR", "ConstantLR",
                                          "OneCycleLR", "CosineAnnealingWarmRestarts",
                                          "PolynomialLR", "CyclicLR", "ReduceLROnPlateau"});
}

TEST_CASE("StepLR: construction keeps the lr, step() decays it every step_size epochs", "[sched]") {
  auto opt = sgd(1.0);
  auto s = sched::make_scheduler("StepLR", *opt, {{"step_size", 2.0}, {"gamma", 0.5}});
  CHECK(lr_of(*opt) == 1.0);
  CHECK(opt->param_groups()[0].opts.num("initial_lr") == 1.0);
  CHECK(s->base_lrs() == std::vector<double>{1.0});
  std::vector<double> seen;
  for (int e = 0; e < 5; ++e) {
    seen.push_back(lr_of(*opt));
    s->step();
  }
  CHECK(seen == std::vector<double>{1.0, 1.0, 0.5, 0.5, 0.25});
  CHECK(s->get_last_lr() == std::vector<double>{0.25});
  CHECK(s->last_epoch() == 5);
}

TEST_CASE("scheduler arguments: PyTorch's TypeErrors and ValueErrors", "[sched]") {
  auto opt = sgd(0.1);
  CHECK_THROWS_WITH(sched::make_scheduler("StepLR", *opt, {}),
                    "StepLR.__init__() missing 1 required positional argument: 'step_size'");
  CHECK_THROWS_WITH(
      sched::make_scheduler("ExponentialLR", *opt, {{"gamma", 0.5}, {"step_size", 1.0}}),
      "ExponentialLR.__init__() got an unexpected keyword argument 'step_size'");
  CHECK_THROWS_WITH(
      sched::make_scheduler("LinearLR", *opt, {{"start_factor", 0.0}}),
      "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
  CHECK_THROWS_WITH(sched::make_scheduler("ConstantLR", *opt, {{"factor", 1.5}}),
                    "Constant multiplicative factor expected to be between 0 and 1.");
  CHECK_THROWS_WITH(sched::make_scheduler("ReduceLROnPlateau", *opt, {{"factor", 1.0}}),
                    "Factor should be < 1.0.");
  CHECK_THROWS_WITH(sched::make_scheduler("OneCycleLR", *opt, {{"max_lr", 1.0}}),
                    "You must define either total_steps OR (epochs AND steps_per_epoch)");
  CHECK_THROWS_WITH(
      sched::make_scheduler("CyclicLR", *opt,
                            {{"base_lr", 0.1}, {"max_lr", 1.0}, {"mode", std::string("x")}}),
      "mode is invalid and scale_fn is None");
  try {
    sched::make_scheduler("NoSuchLR", *opt, {});
    FAIL("expected an error");
  } catch (const gradlab::error& e) {
    CHECK(e.type() == "AttributeError");  // Python: getattr(torch.optim.lr_scheduler, name)
  }
}

TEST_CASE("ExponentialLR chains: each epoch multiplies the current lr", "[sched]") {
  auto opt = sgd(1.0);
  auto s = sched::make_scheduler("ExponentialLR", *opt, {{"gamma", 0.5}});
  s->step();
  s->step();
  CHECK(lr_of(*opt) == 0.25);
  // a change made by hand is carried forward, as in PyTorch
  opt->param_groups()[0].opts.set("lr", 4.0);
  s->step();
  CHECK(lr_of(*opt) == 2.0);
}

TEST_CASE("OneCycleLR and CyclicLR cycle momentum (SGD) or betas[0] (Adam)", "[sched]") {
  auto opt = sgd(0.1, {{"momentum", 0.9}});
  auto s = sched::make_scheduler("OneCycleLR", *opt, {{"max_lr", 1.0}, {"total_steps", 10.0}});
  CHECK(lr_of(*opt) == Approx(1.0 / 25));
  CHECK(opt->param_groups()[0].opts.num("momentum") == Approx(0.95));
  for (int e = 0; e < 2; ++e)
    s->step();  // the peak (pct_start * total_steps - 1): max_lr, base_momentum
  CHECK(lr_of(*opt) == Approx(1.0));
  CHECK(opt->param_groups()[0].opts.num("momentum") == Approx(0.85));
  for (int e = 0; e < 8; ++e) s->step();
  CHECK_THROWS_WITH(s->step(), "Tried to step 11 times. The specified number of total steps is 10");

  Tensor p = Tensor::from_values({0.0}, {1}, dtype::float64, true);
  auto adam = optim::make_optimizer("Adam", {{{p}, {}}}, {});
  sched::make_scheduler("CyclicLR", *adam,
                        {{"base_lr", 0.01}, {"max_lr", 0.1}, {"step_size_up", 2.0}});
  CHECK(adam->param_groups()[0].opts.vec("betas") ==
        std::vector<double>{0.9, 0.999});  // max_momentum 0.9
  CHECK(lr_of(*adam) == 0.01);
}

TEST_CASE("CyclicLR on SGD without momentum turns momentum on, like PyTorch 2.11", "[sched]") {
  auto opt = sgd(0.1);
  CHECK(lr_of(*opt) == 0.1);
  auto s = sched::make_scheduler("CyclicLR", *opt,
                                 {{"base_lr", 0.01}, {"max_lr", 0.1}, {"step_size_up", 2.0}});
  CHECK(lr_of(*opt) == 0.01);
  CHECK(opt->param_groups()[0].opts.num("momentum") == 0.9);
  s->step();
  CHECK(lr_of(*opt) == Approx(0.055));
  CHECK(opt->param_groups()[0].opts.num("momentum") == Approx(0.85));
  CHECK(s->base_lrs() == std::vector<double>{0.01});
}

TEST_CASE("ReduceLROnPlateau waits patience epochs without improvement", "[sched]") {
  auto opt = sgd(1.0);
  auto s = sched::make_scheduler("ReduceLROnPlateau", *opt, {{"patience", 2.0}, {"factor", 0.5}});
  CHECK_THROWS_WITH(s->step(),
                    "ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'");
  s->step(1.0);  // best
  s->step(1.0);  // bad 1
  s->step(1.0);  // bad 2
  CHECK(lr_of(*opt) == 1.0);
  s->step(1.0);  // bad 3 > patience
  CHECK(lr_of(*opt) == 0.5);
  CHECK(s->get_last_lr() == std::vector<double>{0.5});
  s->step(0.5);  // improvement resets the count
  s->step(0.5);
  CHECK(lr_of(*opt) == 0.5);
}

TEST_CASE("CosineAnnealingWarmRestarts restarts at T_0 and stretches periods by T_mult",
          "[sched]") {
  auto opt = sgd(1.0);
  auto s =
      sched::make_scheduler("CosineAnnealingWarmRestarts", *opt, {{"T_0", 2.0}, {"T_mult", 2.0}});
  std::vector<double> lrs;
  for (int e = 0; e < 7; ++e) {
    lrs.push_back(lr_of(*opt));
    s->step();
  }
  CHECK(lrs[0] == 1.0);
  CHECK(lrs[1] == Approx(0.5));
  CHECK(lrs[2] == 1.0);  // restart, next period has 4 epochs
  CHECK(lrs[3] == Approx(0.5 * (1 + std::cos(3.141592653589793 / 4))));
  CHECK(lrs[6] == 1.0);
}

namespace {
/// The Python exception a scheduler call raises: "ZeroDivisionError: float division by zero".
template <class F>
std::string raised(F&& f) {
  try {
    f();
  } catch (const gradlab::error& e) {
    return e.type() + ": " + e.what();
  }
  return "nothing raised";
}
}  // namespace

// A zero period divides by zero in PyTorch (the same lines of lr_scheduler.py in 1.13 and
// 2.x; CPython 3.11's texts, as Debian's PyTorch prints them). gradlab gave a NaN lr, which
// the page then showed as a divergence blamed on the learning rate, or never decayed.
TEST_CASE("a zero period raises ZeroDivisionError where PyTorch does, not a NaN lr", "[sched]") {
  SECTION("StepLR(step_size=0): constructed, then the first step() takes 1 % 0") {
    auto opt = sgd(0.1);
    auto s = sched::make_scheduler("StepLR", *opt, {{"step_size", 0.0}});
    CHECK(lr_of(*opt) == 0.1);
    CHECK(raised([&] { s->step(); }) == "ZeroDivisionError: integer modulo by zero");
  }
  SECTION("CosineAnnealingLR(T_max=0): the first step() takes 0 % 0") {
    auto opt = sgd(0.1);
    auto s = sched::make_scheduler("CosineAnnealingLR", *opt, {{"T_max", 0.0}});
    CHECK(raised([&] { s->step(); }) == "ZeroDivisionError: integer modulo by zero");
    auto opt2 = sgd(0.1);  // a fractional T_max is a float in Python: 1 % 0.5 is fine
    auto s2 = sched::make_scheduler("CosineAnnealingLR", *opt2, {{"T_max", 0.5}});
    s2->step();
    CHECK(std::isfinite(lr_of(*opt2)));
  }
  SECTION("CyclicLR with zero step sizes: the constructor divides by zero") {
    auto opt = sgd(0.1);
    const optim::options base{{"base_lr", 0.01}, {"max_lr", 0.1}, {"step_size_up", 0.0}};
    CHECK(raised([&] { sched::make_scheduler("CyclicLR", *opt, base); }) ==
          "ZeroDivisionError: float division by zero");
    optim::options up0 = base;  // step_size_up=0, step_size_down=3: 0 / 0 at the initial step
    up0.set("step_size_down", 3.0);
    CHECK(raised([&] { sched::make_scheduler("CyclicLR", *opt, up0); }) ==
          "ZeroDivisionError: float division by zero");
    optim::options down0 = base;  // step_size_down=0 alone is fine
    down0.set("step_size_up", 3.0).set("step_size_down", 0.0);
    auto s = sched::make_scheduler("CyclicLR", *opt, down0);
    for (int e = 0; e < 4; ++e) s->step();
    CHECK(std::isfinite(lr_of(*opt)));
  }
  SECTION("ConstantLR(factor=0) and OneCycleLR(div_factor=0)") {
    auto opt = sgd(0.1);
    auto s = sched::make_scheduler("ConstantLR", *opt, {{"factor", 0.0}, {"total_iters", 2.0}});
    s->step();
    CHECK(raised([&] { s->step(); }) == "ZeroDivisionError: float division by zero");
    CHECK(raised([&] {
            sched::make_scheduler("OneCycleLR", *opt,
                                  {{"max_lr", 1.0}, {"total_steps", 10.0}, {"div_factor", 0.0}});
          }) == "ZeroDivisionError: float division by zero");
  }
}

TEST_CASE("in a session, a zero period stops the run with PyTorch's error, not a divergence",
          "[sched][session]") {
  session s;
  s.load_preset("thermometer");
  s.set_scheduler("CosineAnnealingLR", optim::options{{"T_max", 0.0}});
  CHECK_FALSE(s.run(5));
  REQUIRE(s.errors().size() == 1);
  CHECK(s.errors()[0].type == "ZeroDivisionError");
  CHECK(s.errors()[0].message == "integer modulo by zero");
  CHECK(s.records().first_nonfinite_epoch == 0);  // no NaN lr, so nothing to call a divergence
  CHECK(std::isfinite(s.records().lr.back()));
}
