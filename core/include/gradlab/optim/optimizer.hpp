#pragma once
/// \file optimizer.hpp
/// The torch.optim.Optimizer contract: parameter groups with per-group options, lazily
/// created per-parameter state, zero_grad, and step(closure). An algorithm only implements
/// update_group(); it reads each parameter's data and grad and nothing else of the graph.
/// Algorithms are declared in core/src/optim (one file each, see declare.hpp) and made
/// through the registry: make_optimizer("Adam", ...).
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "gradlab/optim/options.hpp"
#include "gradlab/tensor.hpp"

namespace gradlab::optim {

struct param_group {
  std::vector<Tensor> params;
  options opts;  ///< missing keys are filled from the optimizer's defaults
};

/// What an algorithm remembers about one parameter, readable for display.
struct param_state {
  std::map<std::string, Tensor> buffers;  ///< momentum_buffer, exp_avg, exp_avg_sq, ...
  std::map<std::string, double> scalars;  ///< step, eta, mu, ...
  bool empty() const { return buffers.empty() && scalars.empty(); }
};

using closure_t = std::function<Tensor()>;
class optimizer;

/// An algorithm's entry in the registry: its name, its options (name, default, check) and
/// properties a caller asks about instead of testing the name.
struct optimizer_info {
  std::string name;
  std::vector<option_spec> specs;  ///< in PyTorch's signature order
  /// step() needs a closure that re-evaluates the loss (LBFGS).
  bool needs_closure = false;
  /// Checks of the parameters beyond their options (Muon: 2-D only), after the groups are
  /// added; null: none.
  void (*check_groups)(const std::vector<param_group>&) = nullptr;
  // plain function pointers (capture-free lambdas), not std::function: one less template
  // machinery per registry entry in the WebAssembly module
  std::unique_ptr<optimizer> (*make)(const optimizer_info&, std::vector<param_group>,
                                     const options&) = nullptr;
};

class optimizer {
 public:
  virtual ~optimizer() = default;
  optimizer(const optimizer&) = delete;
  optimizer& operator=(const optimizer&) = delete;

  /// Its registry entry.
  const optimizer_info& info() const { return info_; }
  /// "SGD", "Adam", ...
  const std::string& name() const { return info_.name; }
  /// One optimisation step. The closure, when given, re-evaluates the loss with grad enabled.
  virtual Tensor step(const closure_t& closure = nullptr);
  /// PyTorch 2.x default: grads become None; set_to_none=false zeroes them in place.
  void zero_grad(bool set_to_none = true);

  std::vector<param_group>& param_groups() { return groups_; }
  const std::vector<param_group>& param_groups() const { return groups_; }
  const options& defaults() const { return defaults_; }
  void add_param_group(param_group g);
  /// The state of p (empty until the first step that touches it).
  const param_state* state(const Tensor& p) const;

 protected:
  /// Fills the defaults from info's specs, checks them (PyTorch checks the constructor's
  /// arguments first), adds the groups, runs info.check_groups and checks each group's options.
  optimizer(const optimizer_info& info, std::vector<param_group> groups, const options& given);
  /// Updates every parameter of groups[index]; called by step() under no_grad.
  virtual void update_group(std::size_t index, param_group& group) = 0;
  /// A parameter's state: the named entries, and the update rule's typed view of them (a
  /// few pointers into `named`, made in place on the parameter's first step).
  struct state_entry {
    param_state named;
    alignas(void*) unsigned char typed[6 * sizeof(void*)];
    bool typed_made = false;
  };
  state_entry& entry_of(const Tensor& p) { return state_[p.impl()]; }
  param_state& state_of(const Tensor& p) { return entry_of(p).named; }

 private:
  const optimizer_info& info_;
  std::vector<param_group> groups_;
  options defaults_;
  std::unordered_map<const TensorImpl*, state_entry> state_;
};

/// Every algorithm gradlab offers, in PyTorch's alphabetical order.
const std::vector<optimizer_info>& registry();
const optimizer_info* find_optimizer(const std::string& name);
/// torch.optim.NAME(groups, **opts), with PyTorch's errors for unknown names and options.
std::unique_ptr<optimizer> make_optimizer(const std::string& name, std::vector<param_group> groups,
                                          const options& opts);

}  // namespace gradlab::optim
