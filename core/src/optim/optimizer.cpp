#include "gradlab/optim/optimizer.hpp"

#include <algorithm>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"

namespace gradlab::optim {

optimizer::optimizer(const optimizer_info& info, std::vector<param_group> groups,
                     const options& given)
    : info_(info), defaults_(given) {
  for (const auto& s : info.specs)
    if (!defaults_.has(s.name)) defaults_.set(s.name, s.default_value);
  run_checks(info.specs, defaults_);
  if (groups.empty()) value_error("optimizer got an empty parameter list");
  for (auto& g : groups) add_param_group(std::move(g));
  if (info.check_groups) info.check_groups(groups_);
  // PyTorch checks only the constructor's arguments; gradlab also refuses a group's own
  // invalid options (the same ValueErrors) rather than stepping with them
  for (const auto& g : groups_) run_checks(info.specs, g.opts, /*group=*/true);
}

void optimizer::add_param_group(param_group g) {
  if (g.params.empty()) value_error("optimizer got an empty parameter list");
  for (const auto& [k, v] : defaults_.values())
    if (!g.opts.has(k)) g.opts.set(k, v);
  for (const auto& p : g.params) {
    if (!p.defined())
      type_error("optimizer can only optimize Tensors, but one of the params is None");
    if (!p.is_leaf()) value_error("can't optimize a non-leaf Tensor");
    for (const auto& other : groups_)
      for (const auto& q : other.params)
        if (q.same(p)) value_error("some parameters appear in more than one parameter group");
  }
  groups_.push_back(std::move(g));
}

void optimizer::zero_grad(bool set_to_none) {
  for (auto& g : groups_)
    for (auto& p : g.params) {
      Tensor grad = p.grad();
      if (!grad.defined()) continue;
      if (set_to_none) {
        p.set_grad(Tensor());
      } else {
        no_grad_guard ng;
        grad.zero_();
      }
    }
}

Tensor optimizer::step(const closure_t& closure) {
  Tensor loss;
  if (closure) {
    enable_grad_guard eg;
    loss = closure();
  }
  no_grad_guard ng;
  for (std::size_t i = 0; i < groups_.size(); ++i) update_group(i, groups_[i]);
  return loss;
}

const param_state* optimizer::state(const Tensor& p) const {
  auto it = state_.find(p.impl());
  return it == state_.end() ? nullptr : &it->second.named;
}

const optimizer_info* find_optimizer(const std::string& name) {
  for (const auto& info : registry())
    if (info.name == name) return &info;
  return nullptr;
}

std::unique_ptr<optimizer> make_optimizer(const std::string& name, std::vector<param_group> groups,
                                          const options& opts) {
  const optimizer_info* info = find_optimizer(name);
  if (!info) {
    std::string known;
    for (const auto& i : registry()) known += (known.empty() ? "" : ", ") + i.name;
    attribute_error("module 'torch.optim' has no attribute '" + name + "' (gradlab offers " +
                    known + ")");
  }
  check_known_options(name, info->specs, opts);
  return info->make(*info, std::move(groups), opts);
}

}  // namespace gradlab::optim
