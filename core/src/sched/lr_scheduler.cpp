// torch.optim.lr_scheduler.LRScheduler: the shared bookkeeping (initial_lr, base_lrs,
// last_epoch, the step at construction) and the registry of schedulers.
#include <algorithm>

#include "gradlab/error.hpp"
#include "gradlab/sched.hpp"

namespace gradlab::sched {

lr_scheduler::lr_scheduler(optim::optimizer& opt, bool record_initial_lr) : opt_(opt) {
  for (auto& g : opt_.param_groups()) {
    if (record_initial_lr && !g.opts.has("initial_lr")) g.opts.set("initial_lr", g.opts.num("lr"));
    base_lrs_.push_back(record_initial_lr ? g.opts.num("initial_lr") : g.opts.num("lr"));
  }
}

void lr_scheduler::initial_step() { step(); }

double lr_scheduler::group_lr(std::size_t i) const { return opt_.param_groups()[i].opts.num("lr"); }

void lr_scheduler::apply_lrs(const std::vector<double>& lrs) {
  auto& groups = opt_.param_groups();
  for (std::size_t i = 0; i < groups.size() && i < lrs.size(); ++i)
    groups[i].opts.set("lr", lrs[i]);
  last_lr_.clear();
  for (std::size_t i = 0; i < groups.size(); ++i) last_lr_.push_back(group_lr(i));
}

void lr_scheduler::step() {
  step_count_ += 1;
  last_epoch_ += 1;
  apply_lrs(get_lr());
}

void lr_scheduler::step(double) {
  type_error(name() + ".step() takes no metric: only ReduceLROnPlateau.step(metrics) does");
}

options resolve_options(const std::string& name, const std::vector<option_spec>& specs,
                        const options& given) {
  check_known_options(name, specs, given);
  options out = given;
  for (const auto& s : specs) {
    if (out.has(s.name)) continue;
    if (s.required)
      type_error(name + ".__init__() missing 1 required positional argument: '" + s.name + "'");
    out.set(s.name, s.default_value);
  }
  return out;
}

namespace {
template <class S>
scheduler_info entry(const std::string& name) {
  return {name, S::specs(),
          [](optim::optimizer& o, const options& opts) -> std::unique_ptr<lr_scheduler> {
            return std::make_unique<S>(o, opts);
          },
          S::takes_metric};
}
}  // namespace

const std::vector<scheduler_info>& registry() {
  static const std::vector<scheduler_info> all = {
      entry<StepLR>("StepLR"),
      entry<MultiStepLR>("MultiStepLR"),
      entry<ExponentialLR>("ExponentialLR"),
      entry<CosineAnnealingLR>("CosineAnnealingLR"),
      entry<LinearLR>("LinearLR"),
      entry<ConstantLR>("ConstantLR"),
      entry<OneCycleLR>("OneCycleLR"),
      entry<CosineAnnealingWarmRestarts>("CosineAnnealingWarmRestarts"),
      entry<PolynomialLR>("PolynomialLR"),
      entry<CyclicLR>("CyclicLR"),
      entry<ReduceLROnPlateau>("ReduceLROnPlateau"),
  };
  return all;
}

const scheduler_info* find_scheduler(const std::string& name) {
  for (const auto& info : registry())
    if (info.name == name) return &info;
  return nullptr;
}

std::unique_ptr<lr_scheduler> make_scheduler(const std::string& name, optim::optimizer& opt,
                                             const options& opts) {
  const scheduler_info* info = find_scheduler(name);
  if (!info) attribute_error("module 'torch.optim.lr_scheduler' has no attribute '" + name + "'");
  return info->make(opt, opts);
}

}  // namespace gradlab::sched
