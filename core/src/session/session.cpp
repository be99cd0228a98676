// The training session's four phases, one at a time or whole epochs (the compiled step for
// full-batch elementwise models). Setup: setup.cpp, apply.cpp; records: records.cpp.
#include "gradlab/session.hpp"

#include <cmath>
#include <limits>
#include <numeric>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "session/fused_train.hpp"
#include "session/records.hpp"
#include "session/shuffle.hpp"

namespace gradlab {

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();

bool all_finite(const Tensor& t) {
  return dispatch(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    for (T v : t.data<T>())
      if (!std::isfinite(v)) return false;
    return true;
  });
}
}  // namespace

session::session() : last_loss_(kNaN) { opt_opts_.set("lr", kBookLr); }
session::~session() = default;

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
    if (opt_name_ != kManualUpdate) {
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
    detail::append_values(step_values_, p);
    Tensor g = p.grad();
    step_has_.push_back(g.defined() ? 1 : 0);
    if (g.defined())
      detail::append_values(step_grads_, g);
    else
      step_grads_.insert(step_grads_.end(), p.numel(), std::numeric_limits<float>::quiet_NaN());
  }
  const double lr = opt_ ? opt_->param_groups()[0].opts.num("lr") : opt_opts_.num("lr");
  const bool ok = guarded("step", [&] {
    if (opt_name_ != kManualUpdate) {
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

}  // namespace gradlab
