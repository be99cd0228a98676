// The training session: setup, the four phases, and recording into flat arrays.
#include "gradlab/session.hpp"

#include <cmath>
#include <limits>
#include <numeric>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/model/presets.hpp"
#include "gradlab/ops.hpp"
#include "session/fused_train.hpp"
#include "session/shuffle.hpp"

namespace gradlab {

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const char* kManual = "manual";

/// Appends t's values, as float, to out (the history's storage type).
void append_values(std::vector<float>& out, const Tensor& t) {
  dispatch(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const auto& a = t.data<T>();
    out.insert(out.end(), a.begin(), a.end());
  });
}

bool all_finite(const Tensor& t) {
  return dispatch(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    for (T v : t.data<T>())
      if (!std::isfinite(v)) return false;
    return true;
  });
}
}  // namespace

session::session() : last_loss_(kNaN) { opt_opts_.set("lr", 1e-2); }
session::~session() = default;

// ------------------------------------------------------------------ setup
void session::load_preset(const std::string& name, std::uint64_t seed) {
  model::preset p = model::make_preset(name, seed);
  const model::columns_t cols = model::make_columns(p.data, p.normalize);
  model::compiled_model m = model::compiled_model::compile(p.model_text, cols, p.data.target);
  data_ = std::move(p.data);
  normalize_ = p.normalize;
  full_columns_ = cols;
  model_ = std::move(m);
  model_text_ = p.model_text;
  opt_name_ = p.optimizer;
  opt_opts_ = p.options;
  sched_name_.clear();  // a preset brings its own optimizer settings, without a schedule
  sched_opts_ = {};
  reset();
}

void session::set_data(model::dataset d) {
  model::validate(d);
  const model::columns_t cols = model::make_columns(d, normalize_);
  model::compiled_model m;
  if (!model_text_.empty()) m = model::compiled_model::compile(model_text_, cols, d.target);
  data_ = std::move(d);
  full_columns_ = cols;
  model_ = std::move(m);
  reset();
}

void session::set_model(const std::string& text) {
  model::compiled_model m = model::compiled_model::compile(text, full_columns_, data_.target);
  model_ = std::move(m);
  model_text_ = text;
  reset();
}

void session::set_optimizer(const std::string& name, const optim::options& opts) {
  if (name != kManual) {
    // Build one on a dummy parameter first: PyTorch's errors for bad names and options.
    Tensor probe = Tensor::zeros({1}).requires_grad_(true);
    optim::make_optimizer(name, {{{probe}, {}}}, opts);
  } else {
    if (!opts.has("lr")) type_error("the manual update needs lr");
    for (const auto& [k, v] : opts.values())
      if (k != "lr") type_error("the manual update takes only lr, not '" + k + "'");
  }
  opt_name_ = name;
  opt_opts_ = opts;
  if (name == kManual) sched_name_.clear();
  reset();
}

void session::set_scheduler(const std::string& name, const optim::options& opts) {
  if (!name.empty()) {
    if (opt_name_ == kManual)
      value_error("an lr scheduler needs an optimizer, not the manual update");
    // Build one on a probe optimizer first: PyTorch's errors for bad names and arguments.
    Tensor probe = Tensor::zeros({1}).requires_grad_(true);
    auto o = optim::make_optimizer(opt_name_, {{{probe}, {}}}, opt_opts_);
    sched::make_scheduler(name, *o, opts);
  }
  sched_name_ = name;
  sched_opts_ = opts;
  reset();
}

void session::set_normalize(bool on) {
  normalize_ = on;
  rebuild_columns();
  reset();
}

void session::set_optimizer_gets_copy(bool on) {
  copy_params_ = on;
  reset();
}

void session::set_batch_size(std::size_t k, std::uint64_t seed) {
  batch_size_ = k;
  batch_seed_ = seed;
  reset();
}

void session::rebuild_columns() { full_columns_ = model::make_columns(data_, normalize_); }

void session::init_params() {
  params_.clear();
  for (const auto& ps : model_.params()) params_.push_back(ps.init.clone().requires_grad_(true));
}

void session::make_optimizer() {
  sched_.reset();
  opt_.reset();
  opt_params_.clear();
  for (const auto& p : params_)
    opt_params_.push_back(copy_params_ ? p.detach().requires_grad_(true) : p);
  if (opt_name_ != kManual && !opt_params_.empty())
    opt_ = optim::make_optimizer(opt_name_, {{opt_params_, {}}}, opt_opts_);
  if (opt_ && !sched_name_.empty()) sched_ = sched::make_scheduler(sched_name_, *opt_, sched_opts_);
}

bool session::step_needs_closure() const {
  const optim::optimizer_info* info = optim::find_optimizer(opt_name_);  // null: manual
  return info && info->needs_closure;
}

bool session::scheduler_takes_metric() const {
  const sched::scheduler_info* info = sched::find_scheduler(sched_name_);
  return info && info->takes_metric;
}

void session::reset() {
  init_params();
  make_optimizer();
  fused_.reset();
  if (!model_text_.empty()) fused_ = detail::fused_train::compile(model_, full_columns_, params_);
  hist_ = history();
  state_slots_.clear();
  for (std::size_t i = 0; i < params_.size(); ++i) {
    param_history h;
    h.name = model_.params()[i].name;
    h.shape = params_[i].shape();
    h.numel = params_[i].numel();
    hist_.params.push_back(std::move(h));
  }
  errors_.clear();
  loss_ = Tensor();
  trace_.clear();
  last_loss_ = kNaN;
  backward_done_ = step_done_ = false;
  epoch_order_.clear();
  batch_index_ = 0;
  epoch_loss_sum_ = 0;
  epoch_batches_ = 0;
  order_log_.clear();
  shuffle_ = model::rng(batch_seed_);
}

std::vector<std::string> session::parameter_names() const {
  std::vector<std::string> v;
  for (const auto& p : model_.params()) v.push_back(p.name);
  return v;
}

// ------------------------------------------------------------------ phases
void session::record_error(const std::string& phase, const std::string& type,
                           const std::string& message) {
  errors_.push_back({epoch() + 1, phase, type, message});
}

template <class F>
bool session::guarded(const char* phase, F&& f) {
  try {
    f();
    return true;
  } catch (const gradlab::error& e) {
    record_error(phase, e.type(), e.what());
  } catch (const std::exception& e) {
    record_error(phase, "RuntimeError", e.what());
  }
  return false;
}

std::size_t session::batches_per_epoch() const {
  const std::size_t n = data_.rows();
  if (batch_size_ == 0 || n == 0 || batch_size_ >= n) return 1;
  return (n + batch_size_ - 1) / batch_size_;
}

std::vector<std::size_t> session::batch_rows() {
  const std::size_t n = data_.rows();
  if (epoch_order_.empty()) {
    epoch_order_.resize(n);
    std::iota(epoch_order_.begin(), epoch_order_.end(), std::size_t{0});
    if (batches_per_epoch() > 1) {
      // the session's own seeded rng: the same seed, the same batches
      epoch_order_ = detail::shuffled_rows(shuffle_, n);
      for (auto r : epoch_order_) order_log_.push_back(static_cast<std::uint32_t>(r));
    }
  }
  if (batches_per_epoch() == 1) return epoch_order_;
  const std::size_t b = batch_index_ * batch_size_;
  const std::size_t e = std::min(n, b + batch_size_);
  return std::vector<std::size_t>(epoch_order_.begin() + static_cast<long>(b),
                                  epoch_order_.begin() + static_cast<long>(e));
}

bool session::forward() {
  if (model_text_.empty()) {
    record_error("forward", "RuntimeError", "no model: set one first");
    return false;
  }
  return guarded("forward", [&] {
    std::vector<Tensor> cols;
    if (batches_per_epoch() == 1) {
      batch_rows();  // starts the epoch's (trivial) order
      for (const auto& c : full_columns_) cols.push_back(c.second);
    } else {
      const auto rows = batch_rows();
      for (const auto& c : model::make_columns(data_, normalize_, &rows)) cols.push_back(c.second);
    }
    std::vector<model::trace_entry> trace;
    Tensor loss = model_.loss(params_, cols, &trace);
    forward_params_.clear();
    for (const auto& p : params_) forward_params_.push_back(p.detach());
    forward_cols_ = cols;
    loss_ = loss;
    trace_ = std::move(trace);
    last_loss_ = loss.item();
    backward_done_ = false;
    step_done_ = false;
  });
}

bool session::zero_grad() {
  return guarded("zero_grad", [&] {
    if (opt_name_ != kManual) {
      if (opt_) opt_->zero_grad(set_to_none_);
      return;
    }
    for (auto& p : params_) {  // the book's manual loop: if p.grad is not None: p.grad.zero_()
      Tensor g = p.grad();
      if (!g.defined()) continue;
      if (set_to_none_) {
        p.set_grad(Tensor());
      } else {
        no_grad_guard ng;
        g.zero_();
      }
    }
  });
}

bool session::backward() {
  return guarded("backward", [&] {
    if (!loss_.defined()) runtime_error("no loss yet: run forward() first");
    loss_.backward();
    backward_done_ = true;
  });
}

bool session::step() {
  if (!loss_.defined()) {
    record_error("step", "RuntimeError", "no loss yet: run forward() first");
    return false;
  }
  // What step() reads: every parameter's value and .grad, before it changes them. Kept in
  // member buffers: this runs every epoch, and allocating here was most of an epoch's cost.
  step_values_.clear();
  step_grads_.clear();
  step_has_.clear();
  for (const auto& p : params_) {
    append_values(step_values_, p);
    Tensor g = p.grad();
    step_has_.push_back(g.defined() ? 1 : 0);
    if (g.defined())
      append_values(step_grads_, g);
    else
      step_grads_.insert(step_grads_.end(), p.numel(), std::numeric_limits<float>::quiet_NaN());
  }
  const double lr = opt_ ? opt_->param_groups()[0].opts.num("lr") : opt_opts_.num("lr");
  const bool ok = guarded("step", [&] {
    if (opt_name_ != kManual) {
      if (!opt_) return;
      if (opt_->info().needs_closure) {
        // the optimizer re-evaluates the loss itself (LBFGS): the closure PyTorch's docs give
        opt_->step([&] {
          opt_->zero_grad(set_to_none_);
          Tensor l = model_.loss(params_, forward_cols_);
          l.backward();
          return l;
        });
      } else {
        opt_->step();
      }
      return;
    }
    for (auto& p : params_) {
      Tensor g = p.grad();
      if (!g.defined()) type_error("unsupported operand type(s) for *: 'float' and 'NoneType'");
      if (manual_no_grad_) {
        no_grad_guard ng;
        p.sub_(lr * g);
      } else {
        p.sub_(lr * g);  // outside no_grad: PyTorch's in-place leaf error
      }
    }
  });
  if (!ok) return false;
  step_done_ = true;

  hist_.step_loss.push_back(last_loss_);
  epoch_loss_sum_ += last_loss_;
  ++epoch_batches_;
  ++batch_index_;
  if (batch_index_ < batches_per_epoch()) return true;

  // The epoch is complete: one row in every series.
  const long e = epoch() + 1;
  const double epoch_loss = epoch_loss_sum_ / static_cast<double>(epoch_batches_);
  hist_.loss.push_back(epoch_loss);
  hist_.lr.push_back(lr);
  if (record_params_now()) record_params();
  if (hist_.first_nonfinite_epoch == 0 && !std::isfinite(epoch_loss))
    hist_.first_nonfinite_epoch = e;
  if (hist_.first_nonfinite_param.empty()) {
    // the first parameter whose gradient (as step() read it) or updated value is not finite
    for (std::size_t i = 0, off = 0; i < params_.size() && hist_.first_nonfinite_param.empty();
         ++i) {
      bool bad = false;
      const std::size_t n = hist_.params[i].numel;
      for (std::size_t j = off; j < off + n; ++j)
        bad = bad || (step_has_[i] && !std::isfinite(step_grads_[j]));
      bad = bad || !all_finite(params_[i]);
      if (bad) {
        hist_.first_nonfinite_param = hist_.params[i].name;
        hist_.first_nonfinite_param_epoch = e;
      }
      off += n;
    }
  }
  batch_index_ = 0;
  epoch_order_.clear();
  epoch_loss_sum_ = 0;
  epoch_batches_ = 0;
  if (sched_) {
    return guarded("scheduler", [&] {
      if (scheduler_takes_metric())
        sched_->step(epoch_loss);
      else
        sched_->step();
    });
  }
  return true;
}

bool session::fast_path_active() const {
  // a closure (LBFGS) re-evaluates the loss through the general engine
  return fast_path_ && fused_ && batches_per_epoch() == 1 && !step_needs_closure();
}

// One full-batch epoch through the compiled step: the four phases as run() does them, with
// forward and backward computed without a graph. zero_grad and step are the usual ones.
bool session::fused_epoch() {
  last_loss_ = fused_->forward(params_);
  if (!loss_.defined()) loss_ = Tensor::scalar(last_loss_);  // step() follows a forward
  backward_done_ = step_done_ = false;
  if (zero_grad_on_ && !zero_grad()) return false;
  fused_->backward(params_);
  backward_done_ = true;
  return step();
}

bool session::run(long epochs) {
  const bool fast = fast_path_active();
  for (long e = 0; e < epochs; ++e) {
    if (fast && e + 1 < epochs) {
      if (!fused_epoch()) return false;
      continue;
    }
    for (std::size_t b = 0, nb = batches_per_epoch(); b < nb; ++b) {
      if (!forward()) return false;
      if (zero_grad_on_ && !zero_grad()) return false;
      if (!backward()) return false;
      if (!step()) return false;
    }
  }
  return true;
}

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
          if (state_history* sh = series(k, t.numel())) append_values(sh->values, t);
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
  if (opt_name_ == kManual && !manual_no_grad_)
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
