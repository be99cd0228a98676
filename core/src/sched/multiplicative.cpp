// The chainable multiplicative schedules, as PyTorch computes them: each get_lr() reads the
// group's current lr and multiplies it (so rounding accumulates exactly as in PyTorch).
//   StepLR:        lr * gamma every step_size epochs
//   MultiStepLR:   lr * gamma^(times epoch appears in milestones) at each milestone
//   ExponentialLR: lr * gamma every epoch
#include <algorithm>
#include <cmath>

#include "gradlab/sched.hpp"
#include "py_math.hpp"

namespace gradlab::sched {

StepLR::StepLR(optim::optimizer& opt, const options& given) : lr_scheduler(opt) {
  const options o = resolve_options("StepLR", specs(), given);
  step_size_ = o.num("step_size");
  gamma_ = o.num("gamma");
  initial_step();
}

std::vector<option_spec> StepLR::specs() {
  return {{"step_size", std::monostate{}, true}, {"gamma", 0.1}};
}

std::vector<double> StepLR::get_lr() {
  std::vector<double> out;
  for (std::size_t i = 0; i < num_groups(); ++i) {
    const bool decay =
        last_epoch_ != 0 && py_mod(static_cast<double>(last_epoch_), step_size_) == 0;
    out.push_back(decay ? group_lr(i) * gamma_ : group_lr(i));
  }
  return out;
}

MultiStepLR::MultiStepLR(optim::optimizer& opt, const options& given) : lr_scheduler(opt) {
  const options o = resolve_options("MultiStepLR", specs(), given);
  milestones_ = o.vec("milestones");
  gamma_ = o.num("gamma");
  initial_step();
}

std::vector<option_spec> MultiStepLR::specs() {
  return {{"milestones", std::monostate{}, true}, {"gamma", 0.1}};
}

std::vector<double> MultiStepLR::get_lr() {
  const auto hits =
      std::count(milestones_.begin(), milestones_.end(), static_cast<double>(last_epoch_));
  std::vector<double> out;
  for (std::size_t i = 0; i < num_groups(); ++i)
    out.push_back(hits == 0 ? group_lr(i)
                            : group_lr(i) * std::pow(gamma_, static_cast<double>(hits)));
  return out;
}

ExponentialLR::ExponentialLR(optim::optimizer& opt, const options& given) : lr_scheduler(opt) {
  const options o = resolve_options("ExponentialLR", specs(), given);
  gamma_ = o.num("gamma");
  initial_step();
}

std::vector<option_spec> ExponentialLR::specs() { return {{"gamma", std::monostate{}, true}}; }

std::vector<double> ExponentialLR::get_lr() {
  std::vector<double> out;
  for (std::size_t i = 0; i < num_groups(); ++i)
    out.push_back(last_epoch_ == 0 ? group_lr(i) : group_lr(i) * gamma_);
  return out;
}

}  // namespace gradlab::sched
