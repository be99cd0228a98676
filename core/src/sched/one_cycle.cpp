// torch.optim.lr_scheduler.OneCycleLR: warm up from max_lr / div_factor to max_lr over
// pct_start of total_steps, then anneal to initial_lr / final_div_factor (cosine or linear);
// momentum moves the opposite way between max_momentum and base_momentum. Not chainable: each
// lr is computed from the phase table.
#include <cmath>

#include "gradlab/error.hpp"
#include "gradlab/sched.hpp"
#include "momentum_cycle.hpp"
#include "py_math.hpp"

namespace gradlab::sched {

namespace {
/// Sets up the groups before the base class reads initial_lr (PyTorch does this before
/// calling LRScheduler.__init__).
optim::optimizer& prepare(optim::optimizer& opt, const options& o) {
  const auto max_lrs = detail::format_param("max_lr", opt, o);
  const double div_factor = o.num("div_factor"), final_div_factor = o.num("final_div_factor");
  auto& groups = opt.param_groups();
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const double initial_lr = py_div(max_lrs[i], div_factor);
    groups[i].opts.set("initial_lr", initial_lr);
    groups[i].opts.set("max_lr", max_lrs[i]);
    groups[i].opts.set("min_lr", py_div(initial_lr, final_div_factor));
  }
  if (o.flag("cycle_momentum")) {
    const bool beta1 = detail::uses_beta1(opt);
    const auto max_m = detail::format_param("max_momentum", opt, o);
    const auto base_m = detail::format_param("base_momentum", opt, o);
    for (std::size_t i = 0; i < groups.size(); ++i) {
      detail::set_momentum(groups[i], beta1, max_m[i]);
      groups[i].opts.set("max_momentum", max_m[i]);
      groups[i].opts.set("base_momentum", base_m[i]);
    }
  }
  return opt;
}

options validated(const options& given) {
  options o = resolve_options("OneCycleLR", OneCycleLR::specs(), given);
  if (!o.is_none("total_steps")) {
    const double total = o.num("total_steps");
    if (total <= 0 || total != std::floor(total))
      value_error("Expected positive integer total_steps, but got " + optim::option_repr(total));
  } else if (!o.is_none("epochs") && !o.is_none("steps_per_epoch")) {
    const double epochs = o.num("epochs"), per = o.num("steps_per_epoch");
    if (epochs <= 0 || epochs != std::floor(epochs))
      value_error("Expected positive integer epochs, but got " + optim::option_repr(epochs));
    if (per <= 0 || per != std::floor(per))
      value_error("Expected positive integer steps_per_epoch, but got " + optim::option_repr(per));
    o.set("total_steps", epochs * per);
  } else {
    value_error("You must define either total_steps OR (epochs AND steps_per_epoch)");
  }
  const double pct = o.num("pct_start");
  if (pct < 0 || pct > 1)
    value_error("Expected float between 0 and 1 pct_start, but got " + py_repr(pct));
  const std::string& strategy = o.str("anneal_strategy");
  if (strategy != "cos" && strategy != "linear")
    value_error("anneal_strategy must be one of 'cos' or 'linear', instead got " + strategy);
  return o;
}
}  // namespace

OneCycleLR::OneCycleLR(optim::optimizer& opt, const options& given)
    : OneCycleLR(opt, validated(given), 0) {}

OneCycleLR::OneCycleLR(optim::optimizer& opt, const options& o, int)
    : lr_scheduler(prepare(opt, o)) {
  total_steps_ = o.num("total_steps");
  const double pct = o.num("pct_start");
  cos_ = o.str("anneal_strategy") == "cos";
  cycle_momentum_ = o.flag("cycle_momentum");
  if (cycle_momentum_) use_beta1_ = opt.defaults().has("betas");
  if (o.flag("three_phase")) {
    phases_ = {
        {pct * total_steps_ - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"},
        {2 * pct * total_steps_ - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"},
        {total_steps_ - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"}};
  } else {
    phases_ = {{pct * total_steps_ - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"},
               {total_steps_ - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"}};
  }
  initial_step();
}

std::vector<option_spec> OneCycleLR::specs() {
  return {{"max_lr", std::monostate{}, true},
          {"total_steps", std::monostate{}},
          {"epochs", std::monostate{}},
          {"steps_per_epoch", std::monostate{}},
          {"pct_start", 0.3},
          {"anneal_strategy", std::string("cos")},
          {"cycle_momentum", true},
          {"base_momentum", 0.85},
          {"max_momentum", 0.95},
          {"div_factor", 25.0},
          {"final_div_factor", 1e4},
          {"three_phase", false}};
}

double OneCycleLR::anneal(double start, double end, double pct) const {
  if (cos_) {
    const double cos_out = std::cos(kPi * pct) + 1;
    return end + (start - end) / 2.0 * cos_out;
  }
  return (end - start) * pct + start;
}

std::vector<double> OneCycleLR::get_lr() {
  const double step_num = static_cast<double>(last_epoch_);
  if (step_num > total_steps_)
    value_error("Tried to step " + std::to_string(last_epoch_) +
                " times. The specified number of total steps is " +
                optim::option_repr(total_steps_));
  std::vector<double> out;
  for (auto& g : opt_.param_groups()) {
    double start_step = 0.0, lr = 0.0, momentum = 0.0;
    for (std::size_t k = 0; k < phases_.size(); ++k) {
      const phase& ph = phases_[k];
      if (step_num <= ph.end_step || k == phases_.size() - 1) {
        const double pct = py_div(step_num - start_step, ph.end_step - start_step);
        lr = anneal(g.opts.num(ph.start_lr), g.opts.num(ph.end_lr), pct);
        if (cycle_momentum_)
          momentum = anneal(g.opts.num(ph.start_momentum), g.opts.num(ph.end_momentum), pct);
        break;
      }
      start_step = ph.end_step;
    }
    out.push_back(lr);
    if (cycle_momentum_) detail::set_momentum(g, use_beta1_, momentum);
  }
  return out;
}

}  // namespace gradlab::sched
