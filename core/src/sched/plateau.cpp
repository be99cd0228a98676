// torch.optim.lr_scheduler.ReduceLROnPlateau: multiply the lr by factor when the metric has
// not improved (relatively or absolutely, by threshold) for more than patience epochs, then
// wait cooldown epochs; never below min_lr, and only when the change exceeds eps.
#include <algorithm>
#include <cmath>
#include <limits>

#include "gradlab/error.hpp"
#include "gradlab/int_cast.hpp"
#include "gradlab/sched.hpp"

namespace gradlab::sched {

ReduceLROnPlateau::ReduceLROnPlateau(optim::optimizer& opt, const options& given)
    : lr_scheduler(opt, /*record_initial_lr=*/false) {
  const options o = resolve_options("ReduceLROnPlateau", specs(), given);
  factor_ = o.num("factor");
  if (factor_ >= 1.0) value_error("Factor should be < 1.0.");
  const std::size_t n = num_groups();
  if (auto* xs = std::get_if<std::vector<double>>(&o.get("min_lr"))) {
    if (xs->size() != n)
      value_error("expected " + std::to_string(n) + " min_lrs, got " + std::to_string(xs->size()));
    min_lrs_ = *xs;
  } else {
    min_lrs_.assign(n, o.num("min_lr"));
  }
  patience_ = saturating_cast<int>(o.num("patience"));
  cooldown_ = saturating_cast<int>(o.num("cooldown"));
  threshold_ = o.num("threshold");
  eps_ = o.num("eps");
  mode_ = o.str("mode");
  threshold_mode_ = o.str("threshold_mode");
  if (mode_ != "min" && mode_ != "max") value_error("mode " + mode_ + " is unknown!");
  if (threshold_mode_ != "rel" && threshold_mode_ != "abs")
    value_error("threshold mode " + threshold_mode_ + " is unknown!");
  best_ = mode_ == "min" ? std::numeric_limits<double>::infinity()
                         : -std::numeric_limits<double>::infinity();
  last_epoch_ = 0;
  for (std::size_t i = 0; i < n; ++i) last_lr_.push_back(group_lr(i));
}

std::vector<option_spec> ReduceLROnPlateau::specs() {
  return {{"mode", std::string("min")},
          {"factor", 0.1},
          {"patience", 10.0},
          {"threshold", 1e-4},
          {"threshold_mode", std::string("rel")},
          {"cooldown", 0.0},
          {"min_lr", 0.0},
          {"eps", 1e-8}};
}

bool ReduceLROnPlateau::is_better(double a, double best) const {
  if (mode_ == "min" && threshold_mode_ == "rel") return a < best * (1.0 - threshold_);
  if (mode_ == "min") return a < best - threshold_;
  if (threshold_mode_ == "rel") return a > best * (threshold_ + 1.0);
  return a > best + threshold_;
}

void ReduceLROnPlateau::step() {
  type_error("ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'");
}

void ReduceLROnPlateau::step(double current) {
  last_epoch_ += 1;
  if (is_better(current, best_)) {
    best_ = current;
    num_bad_epochs_ = 0;
  } else {
    num_bad_epochs_ += 1;
  }
  if (cooldown_counter_ > 0) {
    cooldown_counter_ -= 1;
    num_bad_epochs_ = 0;
  }
  if (num_bad_epochs_ > patience_) {
    auto& groups = opt_.param_groups();
    for (std::size_t i = 0; i < groups.size(); ++i) {
      const double old_lr = group_lr(i);
      const double new_lr = std::max(old_lr * factor_, min_lrs_[i]);
      if (old_lr - new_lr > eps_) groups[i].opts.set("lr", new_lr);
    }
    cooldown_counter_ = cooldown_;
    num_bad_epochs_ = 0;
  }
  last_lr_.clear();
  for (std::size_t i = 0; i < num_groups(); ++i) last_lr_.push_back(group_lr(i));
}

}  // namespace gradlab::sched
