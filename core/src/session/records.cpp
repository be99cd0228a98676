// The training session's records: each epoch's parameters, gradients and optimizer state
// within the history's budget, and the diagnostics that explain a run.
#include "session/records.hpp"

#include <limits>

#include "gradlab/session.hpp"

namespace gradlab {

// Whether this epoch's parameters, gradients and optimizer state fit in the history's budget.
// (Called after the epoch's loss is pushed.) The series are the first param_epochs epochs: once
// an epoch was left out, a budget raised later must not append rows after a gap.
bool session::record_params_now() const {
  return hist_.param_epochs + 1 == hist_.epochs() &&
         (hist_.param_epochs + 1) * params_per_epoch() <= param_budget_;
}

// Numbers one epoch adds to the parameter, .grad and state series.
std::size_t session::params_per_epoch() const {
  std::size_t n = 0;
  for (const auto& h : hist_.params) n += 2 * h.numel;
  for (const auto& s : hist_.state) n += s.numel;
  return n;
}

// One epoch's row in the parameter, gradient and optimizer-state series (what step() read).
void session::record_params() {
  for (std::size_t i = 0, off = 0; i < params_.size(); ++i) {
    auto& h = hist_.params[i];
    const auto first = static_cast<long>(off), last = static_cast<long>(off + h.numel);
    h.values.insert(h.values.end(), step_values_.begin() + first, step_values_.begin() + last);
    h.grads.insert(h.grads.end(), step_grads_.begin() + first, step_grads_.begin() + last);
    h.has_grad.push_back(step_has_[i]);
    off += h.numel;
  }
  if (opt_) {
    std::size_t calls = 0;
    for (std::size_t i = 0; i < opt_params_.size(); ++i) {
      const optim::param_state* st = opt_->state(opt_params_[i]);
      if (!st) continue;
      // the series of (parameter, key), made on first sight; NaN before the entry existed
      auto series = [&](const std::string& key, std::size_t n) -> state_history* {
        const std::string& name = hist_.params[i].name;
        auto is = [&](const state_history& s) { return s.key == key && s.param == name; };
        // entries come in the same order every epoch: try last epoch's slot before a search
        state_history* sh = nullptr;
        if (calls < state_slots_.size() && is(hist_.state[state_slots_[calls]])) {
          sh = &hist_.state[state_slots_[calls]];
        } else {
          for (auto& s : hist_.state)
            if (is(s)) sh = &s;
          if (!sh) {
            hist_.state.push_back({name, key, n, {}});
            sh = &hist_.state.back();
          }
          state_slots_.resize(calls + 1);
          state_slots_[calls] = static_cast<std::size_t>(sh - hist_.state.data());
        }
        ++calls;
        if (sh->numel != n) return nullptr;  // a buffer that changed shape: not recordable
        sh->values.resize(hist_.param_epochs * sh->numel, std::numeric_limits<float>::quiet_NaN());
        return sh;
      };
      for (const auto& [k, t] : st->buffers)
        if (t.defined())
          if (state_history* sh = series(k, t.numel())) detail::append_values(sh->values, t);
      for (const auto& [k, v] : st->scalars)
        if (state_history* sh = series(k, 1)) sh->values.push_back(static_cast<float>(v));
    }
  }
  ++hist_.param_epochs;
}

std::vector<std::string> session::diagnostics() const {
  std::vector<std::string> out;
  if (hist_.param_epochs < hist_.epochs())
    out.push_back("Parameter, .grad and optimizer-state history is kept for the first " +
                  std::to_string(hist_.param_epochs) + " epochs only: this model records " +
                  std::to_string(params_per_epoch()) + " numbers per epoch, and gradlab keeps " +
                  std::to_string(param_budget_) +
                  " at most. The loss and lr are recorded for every epoch.");
  if (copy_params_ && opt_) {
    out.push_back(
        "The optimizer was given copies of the parameters, not the parameters themselves. "
        "backward() fills "
        ".grad on the model's tensors, while step() reads the copies, whose .grad stays None: "
        "nothing is "
        "updated and the loss never moves. Pass the very tensors the model uses (params, not a "
        "clone).");
  }
  if (!zero_grad_on_)
    out.push_back(
        "zero_grad() is off: every backward() adds to .grad instead of replacing it, so step() "
        "uses the sum "
        "of all gradients so far.");
  if (opt_name_ == kManualUpdate && !manual_no_grad_)
    out.push_back(
        "The manual update runs outside torch.no_grad(): an in-place change of a leaf that "
        "requires grad "
        "is an error in PyTorch.");
  if (hist_.first_nonfinite_epoch)
    out.push_back("The loss stopped being finite at epoch " +
                  std::to_string(hist_.first_nonfinite_epoch) +
                  (hist_.first_nonfinite_param.empty()
                       ? std::string(".")
                       : "; '" + hist_.first_nonfinite_param +
                             "' was the first parameter to blow up (epoch " +
                             std::to_string(hist_.first_nonfinite_param_epoch) + ")."));
  return out;
}

}  // namespace gradlab
