#pragma once
/// \file sched.hpp
/// torch.optim.lr_scheduler: learning-rate schedules that act on an optimizer's param_groups
/// ("lr", and "initial_lr" as PyTorch keeps it). Construction sets the first lr; step() is
/// called once after each epoch (ReduceLROnPlateau: step(metric)). OneCycleLR and CyclicLR
/// also cycle "momentum" (SGD, RMSprop) or betas[0] (Adam family), as PyTorch does.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gradlab/optim/optimizer.hpp"

namespace gradlab::sched {

using optim::option_spec;
using optim::options;

class lr_scheduler {
 public:
  virtual ~lr_scheduler() = default;
  lr_scheduler(const lr_scheduler&) = delete;
  lr_scheduler& operator=(const lr_scheduler&) = delete;

  /// "StepLR", "OneCycleLR", ...
  virtual std::string name() const = 0;
  /// Whether step() takes the metric (ReduceLROnPlateau): see scheduler_info.
  static constexpr bool takes_metric = false;
  /// Advances one epoch and writes the new lr into every param group.
  virtual void step();
  /// ReduceLROnPlateau.step(metrics); the other schedulers take no metric.
  virtual void step(double metric);
  /// The lr of each param group after the last step (get_last_lr()).
  const std::vector<double>& get_last_lr() const { return last_lr_; }
  long last_epoch() const { return last_epoch_; }
  const std::vector<double>& base_lrs() const { return base_lrs_; }
  optim::optimizer& optimizer() { return opt_; }

 protected:
  /// Records "initial_lr" in every group (kept if already there) and base_lrs from it.
  explicit lr_scheduler(optim::optimizer& opt, bool record_initial_lr = true);
  /// PyTorch's _initial_step(): one step() at construction, from last_epoch -1 to 0.
  void initial_step();
  /// The lr of every group for the current last_epoch (chainable forms read the group's lr).
  virtual std::vector<double> get_lr() = 0;
  double group_lr(std::size_t i) const;
  std::size_t num_groups() const { return opt_.param_groups().size(); }
  void apply_lrs(const std::vector<double>& lrs);

  optim::optimizer& opt_;
  std::vector<double> base_lrs_;
  long last_epoch_ = -1;
  int step_count_ = 0;
  std::vector<double> last_lr_;
};

class StepLR : public lr_scheduler {
 public:
  StepLR(optim::optimizer& opt, const options& given);
  std::string name() const override { return "StepLR"; }
  static std::vector<option_spec> specs();

 protected:
  std::vector<double> get_lr() override;
  double step_size_, gamma_;
};

class MultiStepLR : public lr_scheduler {
 public:
  MultiStepLR(optim::optimizer& opt, const options& given);
  std::string name() const override { return "MultiStepLR"; }
  static std::vector<option_spec> specs();

 protected:
  std::vector<double> get_lr() override;
  std::vector<double> milestones_;
  double gamma_;
};

class ExponentialLR : public lr_scheduler {
 public:
  ExponentialLR(optim::optimizer& opt, const options& given);
  std::string name() const override { return "ExponentialLR"; }
  static std::vector<option_spec> specs();

 protected:
  std::vector<double> get_lr() override;
  double gamma_;
};

class CosineAnnealingLR : public lr_scheduler {
 public:
  CosineAnnealingLR(optim::optimizer& opt, const options& given);
  std::string name() const override { return "CosineAnnealingLR"; }
  static std::vector<option_spec> specs();

 protected:
  std::vector<double> get_lr() override;
  double T_max_, eta_min_;
};

class LinearLR : public lr_scheduler {
 public:
  LinearLR(optim::optimizer& opt, const options& given);
  std::string name() const override { return "LinearLR"; }
  static std::vector<option_spec> specs();

 protected:
  std::vector<double> get_lr() override;
  double start_factor_, end_factor_, total_iters_;
};

class ConstantLR : public lr_scheduler {
 public:
  ConstantLR(optim::optimizer& opt, const options& given);
  std::string name() const override { return "ConstantLR"; }
  static std::vector<option_spec> specs();

 protected:
  std::vector<double> get_lr() override;
  double factor_, total_iters_;
};

class PolynomialLR : public lr_scheduler {
 public:
  PolynomialLR(optim::optimizer& opt, const options& given);
  std::string name() const override { return "PolynomialLR"; }
  static std::vector<option_spec> specs();

 protected:
  std::vector<double> get_lr() override;
  double total_iters_, power_;
};

class OneCycleLR : public lr_scheduler {
 public:
  OneCycleLR(optim::optimizer& opt, const options& given);
  std::string name() const override { return "OneCycleLR"; }
  static std::vector<option_spec> specs();

 protected:
  std::vector<double> get_lr() override;

 private:
  OneCycleLR(optim::optimizer& opt, const options& resolved, int);
  struct phase {
    double end_step;
    const char *start_lr, *end_lr, *start_momentum, *end_momentum;
  };
  double anneal(double start, double end, double pct) const;
  std::vector<phase> phases_;
  double total_steps_;
  bool cos_, cycle_momentum_, use_beta1_ = false;
};

class CosineAnnealingWarmRestarts : public lr_scheduler {
 public:
  CosineAnnealingWarmRestarts(optim::optimizer& opt, const options& given);
  std::string name() const override { return "CosineAnnealingWarmRestarts"; }
  static std::vector<option_spec> specs();
  void step() override;
  using lr_scheduler::step;

 protected:
  std::vector<double> get_lr() override;
  double T_0_, T_i_, T_mult_, eta_min_, T_cur_;
};

class CyclicLR : public lr_scheduler {
 public:
  CyclicLR(optim::optimizer& opt, const options& given);
  std::string name() const override { return "CyclicLR"; }
  static std::vector<option_spec> specs();

 protected:
  std::vector<double> get_lr() override;

 private:
  CyclicLR(optim::optimizer& opt, const options& resolved, int);
  double scale_fn(double x) const;
  std::vector<double> max_lrs_, base_momentums_, max_momentums_;
  double total_size_, step_ratio_, gamma_;
  std::string mode_;
  bool scale_by_cycle_, cycle_momentum_, use_beta1_ = false;
};

class ReduceLROnPlateau : public lr_scheduler {
 public:
  ReduceLROnPlateau(optim::optimizer& opt, const options& given);
  std::string name() const override { return "ReduceLROnPlateau"; }
  static constexpr bool takes_metric = true;
  static std::vector<option_spec> specs();
  void step() override;
  void step(double metric) override;
  double best() const { return best_; }
  int num_bad_epochs() const { return num_bad_epochs_; }

 protected:
  std::vector<double> get_lr() override { return last_lr_; }

 private:
  bool is_better(double a, double best) const;
  std::string mode_, threshold_mode_;
  double factor_, threshold_, eps_, best_;
  int patience_, cooldown_, cooldown_counter_ = 0, num_bad_epochs_ = 0;
  std::vector<double> min_lrs_;
};

/// A scheduler's entry in the registry: its name, arguments with defaults, a factory, and
/// properties a caller asks about instead of testing the name.
struct scheduler_info {
  std::string name;
  std::vector<option_spec> specs;
  std::unique_ptr<lr_scheduler> (*make)(optim::optimizer&, const options&) = nullptr;
  /// step(metric) with the epoch's loss rather than step() (ReduceLROnPlateau).
  bool takes_metric = false;
};

/// Every torch.optim.lr_scheduler class gradlab offers.
const std::vector<scheduler_info>& registry();
const scheduler_info* find_scheduler(const std::string& name);
/// torch.optim.lr_scheduler.NAME(optimizer, **opts), with PyTorch's TypeErrors for unknown or
/// missing arguments.
std::unique_ptr<lr_scheduler> make_scheduler(const std::string& name, optim::optimizer& opt,
                                             const options& opts);
/// Checks `given` against `specs` (TypeError for unknown or missing arguments) and fills
/// the defaults.
options resolve_options(const std::string& name, const std::vector<option_spec>& specs,
                        const options& given);

}  // namespace gradlab::sched
