// The training session's setup: presets, data, model, optimizer and switches, one setter
// each, and reset(). apply() (apply.cpp) drives them from one configuration.
#include <limits>
#include <utility>

#include "gradlab/error.hpp"
#include "gradlab/model/presets.hpp"
#include "gradlab/session.hpp"
#include "session/fused_train.hpp"

namespace gradlab {

// ------------------------------------------------------------------ setup
void session::load_preset(const std::string& name, std::uint64_t seed) {
  model::preset p = model::make_preset(name, seed);
  const model::columns_t cols = model::make_columns(p.data, p.normalize);
  ++counters_.compiles;
  model::compiled_model m = model::compiled_model::compile(p.model_text, cols, p.data.target);
  data_ = std::move(p.data);
  normalize_ = p.normalize;
  full_columns_ = cols;
  ++columns_version_;
  model_ = std::move(m);
  model_text_ = p.model_text;
  opt_name_ = p.optimizer;
  opt_opts_ = p.options;
  sched_name_.clear();  // a preset brings its own optimizer settings, without a schedule
  sched_opts_ = {};
  preset_ = std::move(p);
  data_source_.reset();
  columns_or_model_changed();
  reset();
}

void session::set_data(model::dataset d) {
  model::validate(d);
  const model::columns_t cols = model::make_columns(d, normalize_);
  model::compiled_model m;
  if (!model_text_.empty()) {
    ++counters_.compiles;
    m = model::compiled_model::compile(model_text_, cols, d.target);
  }
  data_ = std::move(d);
  full_columns_ = cols;
  ++columns_version_;
  model_ = std::move(m);
  data_source_.reset();
  columns_or_model_changed();
  reset();
}

model::compiled_model session::compile(const std::string& text) {
  if (checked_ && checked_->text == text && checked_->columns_version == columns_version_) {
    model::compiled_model m = std::move(checked_->model);
    checked_.reset();
    return m;
  }
  ++counters_.compiles;
  return model::compiled_model::compile(text, full_columns_, data_.target);
}

void session::check_model(const std::string& text) {
  ++counters_.compiles;
  model::compiled_model m = model::compiled_model::compile(text, full_columns_, data_.target);
  checked_ = checked_model{text, columns_version_, std::move(m)};
}

void session::set_model(const std::string& text) {
  model_ = compile(text);
  model_text_ = text;
  columns_or_model_changed();
  reset();
}

void session::check_optimizer(const std::string& name, const optim::options& opts) {
  if (name != kManualUpdate) {
    // Build one on a dummy parameter: PyTorch's errors for bad names and options.
    Tensor probe = Tensor::zeros({1}).requires_grad_(true);
    optim::make_optimizer(name, {{{probe}, {}}}, opts);
  } else {
    if (!opts.has("lr")) type_error("the manual update needs lr");
    for (const auto& [k, v] : opts.values())
      if (k != "lr") type_error("the manual update takes only lr, not '" + k + "'");
  }
}

void session::check_scheduler(const std::string& name, const optim::options& opts) const {
  if (name.empty()) return;
  if (opt_name_ == kManualUpdate)
    value_error("an lr scheduler needs an optimizer, not the manual update");
  // Build one on a probe optimizer: PyTorch's errors for bad names and arguments.
  Tensor probe = Tensor::zeros({1}).requires_grad_(true);
  auto o = optim::make_optimizer(opt_name_, {{{probe}, {}}}, opt_opts_);
  sched::make_scheduler(name, *o, opts);
}

void session::set_optimizer(const std::string& name, const optim::options& opts) {
  check_optimizer(name, opts);
  opt_name_ = name;
  opt_opts_ = opts;
  if (name == kManualUpdate) sched_name_.clear();
  reset();
}

void session::set_scheduler(const std::string& name, const optim::options& opts) {
  check_scheduler(name, opts);
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

void session::rebuild_columns() {
  full_columns_ = model::make_columns(data_, normalize_);
  ++columns_version_;
  columns_or_model_changed();
}

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
  if (opt_name_ != kManualUpdate && !opt_params_.empty())
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
  ++counters_.restarts;
  init_params();
  if (fused_stale_) {  // the step depends on the model and the columns' values, not on the run
    fused_.reset();
    if (!model_text_.empty()) {
      ++counters_.fused_compiles;
      fused_ = detail::fused_train::compile(model_, full_columns_, params_);
    }
    fused_stale_ = false;
  }
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
  last_loss_ = std::numeric_limits<double>::quiet_NaN();
  backward_done_ = step_done_ = false;
  epoch_order_.clear();
  batch_index_ = 0;
  epoch_loss_sum_ = 0;
  epoch_batches_ = 0;
  order_log_.clear();
  shuffle_ = model::rng(batch_seed_);
  // last: an optimizer that refuses the parameters (Muon: 2-D only) throws with the run
  // already cleared and no optimizer, not half reset
  make_optimizer();
}

std::vector<std::string> session::parameter_names() const {
  std::vector<std::string> v;
  for (const auto& p : model_.params()) v.push_back(p.name);
  return v;
}
}  // namespace gradlab
