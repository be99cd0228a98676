// Cosine schedules.
//   CosineAnnealingLR: PyTorch's recursive (chainable) form, which the closed form
//     eta_min + (base - eta_min)(1 + cos(pi t / T_max)) / 2 only approximates in rounding.
//   CosineAnnealingWarmRestarts: closed form within each period T_i; the period restarts and
//     grows by T_mult when T_cur reaches T_i.
#include <cmath>

#include "gradlab/error.hpp"
#include "gradlab/sched.hpp"
#include "py_math.hpp"

namespace gradlab::sched {

CosineAnnealingLR::CosineAnnealingLR(optim::optimizer& opt, const options& given)
    : lr_scheduler(opt) {
  const options o = resolve_options("CosineAnnealingLR", specs(), given);
  T_max_ = o.num("T_max");
  eta_min_ = o.num("eta_min");
  initial_step();
}

std::vector<option_spec> CosineAnnealingLR::specs() {
  return {{"T_max", std::monostate{}, true}, {"eta_min", 0.0}};
}

std::vector<double> CosineAnnealingLR::get_lr() {
  std::vector<double> out;
  const double t = static_cast<double>(last_epoch_);
  for (std::size_t i = 0; i < num_groups(); ++i) {
    const double lr = group_lr(i), base = base_lrs_[i];
    if (last_epoch_ == 0) {
      out.push_back(lr);
    } else if (step_count_ == 1 && last_epoch_ > 0) {
      out.push_back(eta_min_ + (base - eta_min_) * (1 + std::cos(py_div(t * kPi, T_max_))) / 2);
    } else if (py_mod(t - 1 - T_max_, 2 * T_max_) == 0) {
      out.push_back(lr + (base - eta_min_) * (1 - std::cos(kPi / T_max_)) / 2);
    } else {
      out.push_back(py_div(1 + std::cos(kPi * t / T_max_), 1 + std::cos(kPi * (t - 1) / T_max_)) *
                        (lr - eta_min_) +
                    eta_min_);
    }
  }
  return out;
}

CosineAnnealingWarmRestarts::CosineAnnealingWarmRestarts(optim::optimizer& opt,
                                                         const options& given)
    : lr_scheduler(opt) {
  const options o = resolve_options("CosineAnnealingWarmRestarts", specs(), given);
  T_0_ = o.num("T_0");
  T_mult_ = o.num("T_mult");
  eta_min_ = o.num("eta_min");
  if (T_0_ <= 0 || T_0_ != std::floor(T_0_))
    value_error("Expected positive integer T_0, but got " + optim::option_repr(T_0_));
  if (T_mult_ < 1 || T_mult_ != std::floor(T_mult_))
    value_error("Expected integer T_mult >= 1, but got " + optim::option_repr(T_mult_));
  T_i_ = T_0_;
  T_cur_ = -1;
  initial_step();
}

std::vector<option_spec> CosineAnnealingWarmRestarts::specs() {
  return {{"T_0", std::monostate{}, true}, {"T_mult", 1.0}, {"eta_min", 0.0}};
}

std::vector<double> CosineAnnealingWarmRestarts::get_lr() {
  std::vector<double> out;
  for (std::size_t i = 0; i < num_groups(); ++i)
    out.push_back(eta_min_ + (base_lrs_[i] - eta_min_) * (1 + std::cos(kPi * T_cur_ / T_i_)) / 2);
  return out;
}

void CosineAnnealingWarmRestarts::step() {
  step_count_ += 1;
  if (last_epoch_ < 0) {
    // the step at construction: epoch 0 starts the first period
    T_i_ = T_0_;
    T_cur_ = 0;
    last_epoch_ = 0;
  } else {
    last_epoch_ += 1;
    T_cur_ = T_cur_ + 1;
    if (T_cur_ >= T_i_) {
      T_cur_ = T_cur_ - T_i_;
      T_i_ = T_i_ * T_mult_;
    }
  }
  apply_lrs(get_lr());
}

}  // namespace gradlab::sched
