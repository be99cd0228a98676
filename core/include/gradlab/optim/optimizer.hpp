#pragma once
/// \file optimizer.hpp
/// The torch.optim.Optimizer contract: parameter groups with per-group options, lazily
/// created per-parameter state, zero_grad, and step(closure). An algorithm only implements
/// update_group(); it reads each parameter's data and grad and nothing else of the graph.
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

class optimizer {
 public:
  optimizer(std::vector<param_group> groups, const std::vector<option_spec>& specs,
            const options& defaults);
  virtual ~optimizer() = default;
  optimizer(const optimizer&) = delete;
  optimizer& operator=(const optimizer&) = delete;

  /// "SGD", "Adam", ...
  virtual std::string name() const = 0;
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
  /// Updates every parameter of one group; called by step() under no_grad.
  virtual void update_group(param_group& group) = 0;
  /// Throws PyTorch's ValueError for invalid options of one group.
  virtual void validate(const options& opts) const = 0;
  param_state& state_of(const Tensor& p) { return state_[p.impl()]; }

 private:
  std::vector<param_group> groups_;
  options defaults_;
  std::vector<option_spec> tuple_specs_;  ///< the options that are tuples, for step()'s check
  std::unordered_map<const TensorImpl*, param_state> state_;
};

/// An algorithm's entry in the registry: its name, options with defaults, and a factory.
struct optimizer_info {
  std::string name;
  std::vector<option_spec> specs;
  // plain function pointers (capture-free lambdas), not std::function: one less template
  // machinery per registry entry in the WebAssembly module
  std::unique_ptr<optimizer> (*make)(std::vector<param_group>, const options&) = nullptr;
};

/// Every algorithm gradlab offers, in PyTorch's alphabetical order.
const std::vector<optimizer_info>& registry();
const optimizer_info* find_optimizer(const std::string& name);
/// Python's ValueError for a tuple option of the wrong length, as PyTorch's unpacking
/// (`beta1, beta2 = group["betas"]`) raises it; specs give each tuple's length.
void check_tuple_sizes(const std::vector<option_spec>& specs, const options& opts);

/// torch.optim.NAME(groups, **opts), with PyTorch's errors for unknown names and options.
std::unique_ptr<optimizer> make_optimizer(const std::string& name, std::vector<param_group> groups,
                                          const options& opts);

}  // namespace gradlab::optim
