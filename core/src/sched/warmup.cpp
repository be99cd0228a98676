// Schedules that scale the lr for a fixed number of epochs, chainable as in PyTorch:
//   LinearLR:     factor moves linearly from start_factor to end_factor over total_iters
//   ConstantLR:   lr * factor until total_iters, then back to the base lr
//   PolynomialLR: lr decays as (1 - t / total_iters)^power until total_iters
#include <cmath>

#include "gradlab/error.hpp"
#include "gradlab/sched.hpp"
#include "py_math.hpp"

namespace gradlab::sched {

LinearLR::LinearLR(optim::optimizer& opt, const options& given) : lr_scheduler(opt) {
  const options o = resolve_options("LinearLR", specs(), given);
  start_factor_ = o.num("start_factor");
  end_factor_ = o.num("end_factor");
  total_iters_ = o.num("total_iters");
  if (start_factor_ > 1.0 || start_factor_ <= 0)
    value_error(
        "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
  if (end_factor_ > 1.0 || end_factor_ < 0)
    value_error("Ending multiplicative factor expected to be between 0 and 1.");
  initial_step();
}

std::vector<option_spec> LinearLR::specs() {
  return {{"start_factor", 1.0 / 3}, {"end_factor", 1.0}, {"total_iters", 5.0}};
}

std::vector<double> LinearLR::get_lr() {
  std::vector<double> out;
  const double t = static_cast<double>(last_epoch_);
  for (std::size_t i = 0; i < num_groups(); ++i) {
    if (last_epoch_ == 0) {
      out.push_back(group_lr(i) * start_factor_);
    } else if (t > total_iters_) {
      out.push_back(group_lr(i));
    } else {
      out.push_back(group_lr(i) * (1.0 + py_div(end_factor_ - start_factor_,
                                                total_iters_ * start_factor_ +
                                                    (t - 1) * (end_factor_ - start_factor_))));
    }
  }
  return out;
}

ConstantLR::ConstantLR(optim::optimizer& opt, const options& given) : lr_scheduler(opt) {
  const options o = resolve_options("ConstantLR", specs(), given);
  factor_ = o.num("factor");
  total_iters_ = o.num("total_iters");
  if (factor_ > 1.0 || factor_ < 0)
    value_error("Constant multiplicative factor expected to be between 0 and 1.");
  initial_step();
}

std::vector<option_spec> ConstantLR::specs() { return {{"factor", 1.0 / 3}, {"total_iters", 5.0}}; }

std::vector<double> ConstantLR::get_lr() {
  std::vector<double> out;
  for (std::size_t i = 0; i < num_groups(); ++i) {
    if (last_epoch_ == 0)
      out.push_back(group_lr(i) * factor_);
    else if (static_cast<double>(last_epoch_) != total_iters_)
      out.push_back(group_lr(i));
    else
      out.push_back(group_lr(i) * py_div(1.0, factor_));  // factor=0: ZeroDivisionError
  }
  return out;
}

PolynomialLR::PolynomialLR(optim::optimizer& opt, const options& given) : lr_scheduler(opt) {
  const options o = resolve_options("PolynomialLR", specs(), given);
  total_iters_ = o.num("total_iters");
  power_ = o.num("power");
  initial_step();
}

std::vector<option_spec> PolynomialLR::specs() { return {{"total_iters", 5.0}, {"power", 1.0}}; }

std::vector<double> PolynomialLR::get_lr() {
  std::vector<double> out;
  const double t = static_cast<double>(last_epoch_);
  for (std::size_t i = 0; i < num_groups(); ++i) {
    if (last_epoch_ == 0 || t > total_iters_) {
      out.push_back(group_lr(i));
    } else {
      const double decay =
          std::pow((1.0 - t / total_iters_) / (1.0 - (t - 1) / total_iters_), power_);
      out.push_back(group_lr(i) * decay);
    }
  }
  return out;
}

}  // namespace gradlab::sched
