// session::apply(): a whole configuration in, the least work done. The page sends its whole
// engine state on every change and the session compares it with what it holds, so that no
// message can leave the engine out of step with the page, and each kind of change costs
// only what it needs:
//   lr (no scheduler)               the optimizer's param_groups' lr, nothing restarts
//   model text                      one compile (none when check_model() compiled it)
//   data, normalisation             the data built again, the training step recompiled
//   other options, optimizer class, initial parameters and a fresh optimizer: the run
//   scheduler, batch size, seed,    starts over, as the page has always done: a link or a
//   the teaching switches           PyTorch export replays one setting from the start, and
//                                   a trap's fix (no_grad ticked) starts a clean run
#include <chrono>
#include <exception>
#include <new>

#include "gradlab/error.hpp"
#include "gradlab/model/data.hpp"
#include "gradlab/session.hpp"

namespace gradlab {

namespace {
/// Runs f; an exception becomes the entry's error (PyTorch's type and message).
template <class F>
bool take(std::optional<config_error>& slot, F&& f) {
  try {
    f();
    return true;
  } catch (const model::model_error& e) {
    slot = config_error{e.type(), e.what(), e.where()};
  } catch (const gradlab::error& e) {
    slot = config_error{e.type(), e.what(), std::nullopt};
  } catch (const std::bad_alloc&) {
    slot = config_error{"RuntimeError", "out of memory", std::nullopt};
  } catch (const std::exception& e) {
    slot = config_error{"RuntimeError", e.what(), std::nullopt};
  }
  return false;
}

bool same_data(const model::dataset& a, const model::dataset& b) {
  if (a.name != b.name || a.target != b.target || a.matrix != b.matrix ||
      a.normalized_by != b.normalized_by || a.columns.size() != b.columns.size())
    return false;
  for (std::size_t i = 0; i < a.columns.size(); ++i)
    if (a.columns[i].name != b.columns[i].name || a.columns[i].values != b.columns[i].values)
      return false;
  return true;
}

bool same_options(const optim::options& a, const optim::options& b) {
  return a.values() == b.values();
}

/// The two dictionaries differ in lr only, and both have one.
bool only_lr_differs(const optim::options& a, const optim::options& b) {
  if (!a.has("lr") || !b.has("lr")) return false;
  optim::option_map x = a.values(), y = b.values();
  x.erase("lr");
  y.erase("lr");
  return x == y;
}
}  // namespace

apply_result session::apply(const session_config& c) {
  apply_result r;
  const bool first = !applied_;
  const bool data_changed = apply_data(c, r);
  applied_ = true;
  bool restart = first || data_changed;

  const bool norm = c.normalize.value_or(preset_.normalize);
  if (first || data_changed || norm != normalize_) {
    normalize_ = norm;
    std::optional<config_error> e;
    if (!take(e, [&] { rebuild_columns(); })) {
      full_columns_.clear();
      ++columns_version_;
      if (!r.data_error) r.data_error = e;
    }
    restart = true;
  }

  const std::string text = c.model.value_or(preset_.model_text);
  if (first || data_changed || text != model_text_) {
    const auto t0 = std::chrono::steady_clock::now();
    const bool ok = take(r.model_error, [&] {
      model_ = compile(text);
      model_text_ = text;
    });
    r.compiled = ok;
    r.compile_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!ok && (first || data_changed)) {  // the previous model does not fit the new data
      model_ = model::compiled_model();
      model_text_.clear();
    }
    if (ok || first || data_changed) {
      columns_or_model_changed();
      restart = true;
    }
  }

  restart = apply_optimizer(c, first || data_changed, r) || restart;
  if (c.batch_size != batch_size_ || c.seed != batch_seed_ || c.copy_params != copy_params_ ||
      c.zero_grad != zero_grad_on_ || c.set_to_none != set_to_none_ ||
      c.manual_no_grad != manual_no_grad_)
    restart = true;
  batch_size_ = c.batch_size;
  batch_seed_ = c.seed;
  copy_params_ = c.copy_params;
  zero_grad_on_ = c.zero_grad;
  set_to_none_ = c.set_to_none;
  manual_no_grad_ = c.manual_no_grad;

  if (restart) {
    take(r.optimizer_error, [&] { reset(); });
    r.restarted = true;
  } else if (opt_ && opt_opts_.has("lr")) {  // (a refused change left the last good one)
    // an lr change: what `for g in opt.param_groups: g['lr'] = lr` does in PyTorch
    for (auto& g : opt_->param_groups()) g.opts.set("lr", opt_opts_.get("lr"));
  }
  return r;
}

bool session::apply_data(const session_config& c, apply_result& r) {
  const bool same_source = data_source_ && data_source_->preset == c.preset &&
                           data_source_->seed == c.seed && data_source_->csv == c.csv &&
                           data_source_->target == c.target;
  if (same_source) {  // built already: its errors stand as long as the source does
    r.preset_error = source_errors_[0];
    r.data_error = source_errors_[1];
    return false;
  }
  model::preset p;
  if (!c.preset.empty()) take(r.preset_error, [&] { p = model::make_preset(c.preset, c.seed); });
  if (!c.csv.empty()) {
    take(r.data_error, [&] {
      model::dataset d = model::parse_csv(c.csv, c.target);
      p.data = std::move(d);
    });
  }
  data_source_ = session_config();
  data_source_->preset = c.preset;
  data_source_->seed = c.seed;
  data_source_->csv = c.csv;
  data_source_->target = c.target;
  source_errors_[0] = r.preset_error;
  source_errors_[1] = r.data_error;
  model::dataset d = std::move(p.data);
  p.data = model::dataset();
  preset_ = std::move(p);
  if (applied_ && same_data(d, data_)) return false;  // e.g. a seed the data does not use
  data_ = std::move(d);
  return true;
}

bool session::apply_optimizer(const session_config& c, bool new_preset, apply_result& r) {
  bool restart = false;
  const std::string name = c.optimizer.value_or(preset_.optimizer);
  const optim::options opts = c.options.value_or(preset_.options);
  if (name != opt_name_ || !same_options(opts, opt_opts_)) {
    const bool ok = take(r.optimizer_error, [&] {
      check_optimizer(name, opts);  // PyTorch's errors; on one the previous settings stay
      const bool live = name == opt_name_ && only_lr_differs(opts, opt_opts_) &&
                        sched_name_.empty() && c.scheduler.empty();
      opt_name_ = name;
      opt_opts_ = opts;
      restart = !live;
    });
    if (!ok && new_preset) {  // ... or, with new data, the preset's own (a link's typo)
      opt_name_ = preset_.optimizer;
      opt_opts_ = preset_.options;
      restart = true;
    }
  }
  const std::string sched = opt_name_ == kManualUpdate ? "" : c.scheduler;  // none by hand
  if (sched != sched_name_ || !same_options(c.scheduler_options, sched_opts_) ||
      (restart && !sched.empty())) {
    const std::string before = sched_name_;
    if (!take(r.optimizer_error, [&] { check_scheduler(sched, c.scheduler_options); })) {
      sched_name_.clear();
      sched_opts_ = {};
      return restart || !before.empty();
    }
    sched_name_ = sched;
    sched_opts_ = c.scheduler_options;
    restart = true;
  }
  return restart;
}

}  // namespace gradlab
