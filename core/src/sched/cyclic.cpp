// torch.optim.lr_scheduler.CyclicLR: the lr moves between base_lr and max_lr in a triangle of
// step_size_up + step_size_down epochs, scaled per cycle (triangular, triangular2) or per
// iteration (exp_range). With cycle_momentum (the default) the momentum moves the other way
// between max_momentum and base_momentum -- also for SGD built without momentum, whose
// "momentum" then becomes 0.8..0.9 exactly as in PyTorch 2.11.
#include <cmath>

#include "gradlab/error.hpp"
#include "gradlab/sched.hpp"
#include "momentum_cycle.hpp"
#include "py_math.hpp"

namespace gradlab::sched {

namespace {
optim::optimizer& prepare(optim::optimizer& opt, const options& o) {
  const auto base_lrs = detail::format_param("base_lr", opt, o);
  auto& groups = opt.param_groups();
  for (std::size_t i = 0; i < groups.size(); ++i) groups[i].opts.set("lr", base_lrs[i]);
  return opt;
}
}  // namespace

CyclicLR::CyclicLR(optim::optimizer& opt, const options& given)
    : CyclicLR(opt, resolve_options("CyclicLR", specs(), given), 0) {}

CyclicLR::CyclicLR(optim::optimizer& opt, const options& o, int) : lr_scheduler(prepare(opt, o)) {
  max_lrs_ = detail::format_param("max_lr", opt, o);
  const double up = o.num("step_size_up");
  const double down = o.is_none("step_size_down") ? up : o.num("step_size_down");
  total_size_ = up + down;
  step_ratio_ = py_div(up, total_size_);  // step sizes of 0: ZeroDivisionError, as in PyTorch
  mode_ = o.str("mode");
  gamma_ = o.num("gamma");
  if (mode_ != "triangular" && mode_ != "triangular2" && mode_ != "exp_range")
    value_error("mode is invalid and scale_fn is None");
  scale_by_cycle_ = mode_ != "exp_range";
  cycle_momentum_ = o.flag("cycle_momentum");
  if (cycle_momentum_) {
    use_beta1_ = detail::uses_beta1(opt);
    base_momentums_ = detail::format_param("base_momentum", opt, o);
    max_momentums_ = detail::format_param("max_momentum", opt, o);
    auto& groups = opt.param_groups();
    for (std::size_t i = 0; i < groups.size(); ++i) {
      detail::set_momentum(groups[i], use_beta1_, max_momentums_[i]);
      groups[i].opts.set("max_momentum", max_momentums_[i]);
      groups[i].opts.set("base_momentum", base_momentums_[i]);
    }
  }
  // PyTorch's base_lrs are the base_lr argument (set after LRScheduler.__init__)
  base_lrs_ = detail::format_param("base_lr", opt, o);
  initial_step();
}

std::vector<option_spec> CyclicLR::specs() {
  return {{"base_lr", std::monostate{}, true},
          {"max_lr", std::monostate{}, true},
          {"step_size_up", 2000.0},
          {"step_size_down", std::monostate{}},
          {"mode", std::string("triangular")},
          {"gamma", 1.0},
          {"scale_mode", std::string("cycle")},
          {"cycle_momentum", true},
          {"base_momentum", 0.8},
          {"max_momentum", 0.9}};
}

double CyclicLR::scale_fn(double x) const {
  if (mode_ == "triangular") return 1.0;
  if (mode_ == "triangular2") return 1 / std::pow(2.0, x - 1);
  return std::pow(gamma_, x);
}

std::vector<double> CyclicLR::get_lr() {
  const double t = static_cast<double>(last_epoch_);
  const double cycle = std::floor(1 + t / total_size_);
  const double x = 1.0 + t / total_size_ - cycle;
  // step_size_up=0 with step_size_down > 0: 0 / 0 at the first step, as in PyTorch
  const double scale_factor =
      x <= step_ratio_ ? py_div(x, step_ratio_) : py_div(x - 1, step_ratio_ - 1);
  const double s = scale_fn(scale_by_cycle_ ? cycle : t);
  std::vector<double> lrs;
  for (std::size_t i = 0; i < base_lrs_.size(); ++i) {
    const double base_height = (max_lrs_[i] - base_lrs_[i]) * scale_factor;
    lrs.push_back(base_lrs_[i] + base_height * s);
  }
  if (cycle_momentum_) {
    auto& groups = opt_.param_groups();
    for (std::size_t i = 0; i < groups.size(); ++i) {
      const double base_height = (max_momentums_[i] - base_momentums_[i]) * scale_factor;
      detail::set_momentum(groups[i], use_beta1_, max_momentums_[i] - base_height * s);
    }
  }
  return lrs;
}

}  // namespace gradlab::sched
