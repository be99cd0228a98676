#pragma once
/// \file session.hpp
/// A training session: the object the playground UI and the CLI drive. It holds a model,
/// its data and parameters, one optimizer (or the book's manual update), runs the four
/// phases of a training step one at a time or whole epochs in bulk, and records everything
/// a view needs into flat arrays. Nothing is global: compare runs with several sessions.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gradlab/model/data.hpp"
#include "gradlab/model/model.hpp"
#include "gradlab/model/presets.hpp"
#include "gradlab/model/rng.hpp"
#include "gradlab/optim/optimizer.hpp"
#include "gradlab/sched.hpp"
#include "gradlab/session_config.hpp"

namespace gradlab {

namespace detail {
class fused_train;
}

/// An error a phase met, kept for display instead of thrown; the session stays usable.
struct session_error {
  long epoch = 0;     ///< the epoch being run (1-based)
  std::string phase;  ///< forward, zero_grad, backward, step
  std::string type;   ///< RuntimeError, TypeError, ...
  std::string message;
};

/// One parameter's trajectory: values and .grad as step() read them, epoch after epoch,
/// flattened (epoch-major) into one contiguous buffer each.
struct param_history {
  std::string name;
  shape_t shape;
  std::size_t numel = 0;
  std::vector<float> values;
  std::vector<float> grads;            ///< NaN where .grad was None
  std::vector<std::uint8_t> has_grad;  ///< per epoch: 0 when .grad was None
};

/// One optimizer state entry (momentum_buffer, exp_avg, step, ...) after each epoch's step;
/// NaN before it existed.
struct state_history {
  std::string param;
  std::string key;
  std::size_t numel = 0;
  std::vector<float> values;
};

struct history {
  std::vector<double> loss;       ///< per epoch (mean of the batch losses with mini-batches)
  std::vector<double> lr;         ///< the lr step() used
  std::vector<double> step_loss;  ///< every step's (batch's) loss, mini-batches included
  std::vector<param_history> params;
  std::vector<state_history> state;
  long first_nonfinite_epoch = 0;  ///< 1-based epoch where the loss stopped being finite; 0 = never
  std::string first_nonfinite_param;  ///< the parameter that blew up first ("" = none)
  long first_nonfinite_param_epoch = 0;
  /// Epochs whose parameters, gradients and optimizer state are recorded: all of them, up to
  /// kParamHistoryBudget numbers in all (loss and lr are recorded for every epoch).
  std::size_t param_epochs = 0;
  /// A 2-16-16-1 MLP under Adam records ~1,350 numbers per epoch; without a bound a
  /// million-epoch run would keep gigabytes, in the worker and again in the page.
  static constexpr std::size_t kParamHistoryBudget = std::size_t{16} << 20;
  std::size_t epochs() const { return loss.size(); }
};

/// A node of the latest forward's graph, for drawing.
struct graph_node {
  int id = 0;
  std::string kind;   ///< "op", "accumulate" (AccumulateGrad), "param", "data"
  std::string name;   ///< grad_fn class name, parameter or column name
  std::string label;  ///< the source text an op came from
  shape_t shape;
  std::vector<double> value;  ///< up to 8 leading values
  double min = 0, max = 0, mean = 0;
  bool has_grad = false;     ///< leaves: whether .grad is set
  std::vector<double> grad;  ///< up to 8 leading values of .grad
};
/// Gradient flows from `from` to `to` (PyTorch's next_functions): to = from's input input_nr.
struct graph_edge {
  int from = 0;
  int to = 0;
  int input_nr = 0;
};
/// How many nodes of one name (a grad_fn class, "AccumulateGrad") or kind ("param", "data")
/// the whole graph holds.
struct graph_count {
  std::string kind;
  std::string name;
  std::size_t count = 0;
};
struct graph_snapshot {
  std::vector<graph_node> nodes;  ///< nodes[0] is the loss's grad_fn; ids in walk order
  std::vector<graph_edge> edges;  ///< those between the nodes kept
  std::size_t total_nodes = 0;    ///< in the whole graph (more than nodes.size() when cut)
  std::size_t total_edges = 0;
  std::vector<graph_count> counts;  ///< over the whole graph, in order of first sight
};

/// Loss over a grid of two parameter elements: grid point k is (ix, iy) = (k % n, k / n);
/// loss[k - first] holds points first, first + 1, ... (the whole grid unless a slice was asked).
struct landscape_grid {
  std::size_t n = 0;
  std::size_t first = 0;
  double x_min = 0, x_max = 0, y_min = 0, y_max = 0;
  std::string x_label, y_label;  ///< "w", "p[1]"
  std::vector<float> loss;
};

/// Which parameter element a landscape axis moves: parameter index and flat element index.
struct param_element {
  std::size_t param = 0;
  std::size_t element = 0;
};

class session {
 public:
  session();
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  // ------------------------------------------------------------ setup
  /// Takes a whole configuration, compares it with what the session holds and does the
  /// least work: an lr change (no scheduler) sets the optimizer's lr and the run goes on; a
  /// new model text is compiled once (not at all when check_model() compiled it); data,
  /// model, optimizer class or other options, scheduler, batch size, seed or a teaching
  /// switch start the run over (without compiling what did not change). Never throws for a
  /// bad entry: its error is in the result and the rest is applied.
  apply_result apply(const session_config& c);
  /// Compiles text against the current data without changing the run; throws
  /// model::model_error. The compiled model is kept: apply() with the same text and data
  /// takes it instead of compiling again.
  void check_model(const std::string& text);
  /// Work done so far (compiles, compiled steps, restarts), for tests and benchmarks.
  const session_counters& counters() const { return counters_; }

  // each of these starts the run over
  /// Data, model text, optimizer and switches of a preset.
  void load_preset(const std::string& name, std::uint64_t seed = 0);
  void set_data(model::dataset d);
  /// Compiles text against the data. On error throws model::model_error and keeps the
  /// previous model (the session stays usable).
  void set_model(const std::string& text);
  /// A registered optimizer name ("SGD", "Adam", ...) or kManualUpdate (p -= lr * p.grad).
  /// Options are checked now (PyTorch's errors); on error nothing changes.
  void set_optimizer(const std::string& name, const optim::options& opts);
  /// An lr scheduler from torch.optim.lr_scheduler by name ("" for none), stepped once after
  /// each epoch (ReduceLROnPlateau with the epoch's loss). Needs an optimizer (not manual).
  void set_scheduler(const std::string& name, const optim::options& opts = {});
  const std::string& scheduler_name() const { return sched_name_; }
  /// Back to the initial parameters, empty history, a fresh optimizer (the compiled model
  /// and training step are kept).
  void reset();

  // ------------------------------------------------------------ teaching switches
  void set_zero_grad(bool on) { zero_grad_on_ = on; }
  void set_set_to_none(bool on) { set_to_none_ = on; }
  /// Manual update inside no_grad (the book's loop). Off raises PyTorch's leaf error.
  void set_manual_no_grad(bool on) { manual_no_grad_ = on; }
  /// Input normalisation (the book's t_un for t_u; others standardised). Resets the run.
  void set_normalize(bool on);
  /// Hands the optimizer copies of the parameters instead of the tensors themselves.
  void set_optimizer_gets_copy(bool on);
  /// 0 = full batch; k = mini-batches of k rows, shuffled each epoch from seed. Resets.
  void set_batch_size(std::size_t k, std::uint64_t seed = 0);
  /// The most parameter, .grad and optimizer-state numbers the history keeps (default
  /// history::kParamHistoryBudget). Sessions sharing one heap (the embed widgets) split one
  /// budget between them; lowering it keeps what was recorded and stops recording further.
  void set_param_history_budget(std::size_t numbers) { param_budget_ = numbers; }
  std::size_t param_history_budget() const { return param_budget_; }

  bool zero_grad_enabled() const { return zero_grad_on_; }
  bool set_to_none() const { return set_to_none_; }
  bool normalize() const { return normalize_; }
  std::size_t batch_size() const { return batch_size_; }

  // ------------------------------------------------------------ the four phases
  // Each returns false after recording an error (see errors()).
  bool forward();
  bool zero_grad();
  bool backward();
  bool step();
  /// n whole epochs: forward, zero_grad (if on), backward, step per batch. Stops at an error.
  /// Full-batch runs of elementwise models go through a compiled training step (no graph is
  /// built) for all but the last epoch, which builds the graph the views draw; both give the
  /// same numbers bit for bit.
  bool run(long epochs);
  /// The compiled step is on by default; off runs every epoch through the general engine.
  void set_fast_path(bool on) { fast_path_ = on; }
  /// Whether run() can use the compiled step for the current model and settings.
  bool fast_path_active() const;

  // ------------------------------------------------------------ what views read
  const model::compiled_model& model() const { return model_; }
  const std::string& model_text() const { return model_text_; }
  const model::dataset& data() const { return data_; }
  const std::vector<Tensor>& parameters() const { return params_; }
  std::vector<std::string> parameter_names() const;
  const std::string& optimizer_name() const { return opt_name_; }
  const optim::options& optimizer_options() const { return opt_opts_; }
  const optim::optimizer* optimizer() const { return opt_.get(); }
  const history& records() const { return hist_; }
  const std::vector<session_error>& errors() const { return errors_; }
  /// Epochs completed.
  long epoch() const { return static_cast<long>(hist_.loss.size()); }
  /// The loss of the latest forward (NaN before any).
  double last_loss() const { return last_loss_; }
  /// The row order of every epoch run so far (mini-batches only), concatenated.
  const std::vector<std::uint32_t>& batch_order() const { return order_log_; }
  /// Explanations of what the switches are doing to this run (e.g. why the loss never moves).
  std::vector<std::string> diagnostics() const;

  /// The graph of the latest forward, walked through Node::next_edges from the loss. Only the
  /// first max_nodes nodes met (nearest the loss) are kept with their labels and values; the
  /// rest are counted (total_nodes, total_edges, counts), so a huge graph costs little.
  graph_snapshot graph(std::size_t max_nodes = static_cast<std::size_t>(-1)) const;
  /// Loss on an n x n grid over two parameter elements, the others fixed at their current
  /// values, evaluated without building graphs. first/count pick a slice of the grid's points
  /// (see landscape_grid), so that a caller can spread a slow grid over many short calls.
  landscape_grid landscape(param_element x, double x_min, double x_max, param_element y,
                           double y_min, double y_max, std::size_t n, std::size_t first = 0,
                           std::size_t count = static_cast<std::size_t>(-1)) const;

  /// A runnable PyTorch script that replays this session's settings for `epochs` epochs
  /// from the initial parameters, printing "epoch N loss X" with X = repr(loss.item()).
  std::string export_pytorch(long epochs) const;

 private:
  void rebuild_columns();
  /// The model and columns changed: the compiled training step is built again at reset().
  void columns_or_model_changed() { fused_stale_ = true; }
  /// Compiles text against the current columns (or takes check_model()'s compile of it).
  model::compiled_model compile(const std::string& text);
  /// PyTorch's errors for an optimizer (or the manual update) and its options; changes nothing.
  static void check_optimizer(const std::string& name, const optim::options& opts);
  /// ... and for a scheduler on the current optimizer.
  void check_scheduler(const std::string& name, const optim::options& opts) const;
  /// apply()'s steps: the data (true when it changed), the model, the optimizer.
  bool apply_data(const session_config& c, apply_result& r);
  bool apply_optimizer(const session_config& c, bool new_preset, apply_result& r);
  void init_params();
  void make_optimizer();
  /// step() re-evaluates the loss through a closure (LBFGS), as its registry entry says.
  bool step_needs_closure() const;
  /// The scheduler steps on the epoch's loss (ReduceLROnPlateau), as its registry entry says.
  bool scheduler_takes_metric() const;
  void record_error(const std::string& phase, const std::string& type, const std::string& message);
  template <class F>
  bool guarded(const char* phase, F&& f);
  bool record_params_now() const;
  std::size_t params_per_epoch() const;
  void record_params();
  bool fused_epoch();
  /// The rows of the batch forward() uses next (all rows for full batch).
  std::vector<std::size_t> batch_rows();
  std::size_t batches_per_epoch() const;

  model::dataset data_;
  std::string model_text_;
  model::compiled_model model_;
  model::columns_t full_columns_;
  std::vector<Tensor> params_;
  std::vector<Tensor> opt_params_;  // params_ or their copies
  std::string opt_name_ = "SGD";
  optim::options opt_opts_;
  std::unique_ptr<optim::optimizer> opt_;
  std::string sched_name_;
  optim::options sched_opts_;
  std::unique_ptr<sched::lr_scheduler> sched_;

  bool zero_grad_on_ = true, set_to_none_ = true, manual_no_grad_ = true, normalize_ = false,
       copy_params_ = false;
  std::size_t batch_size_ = 0;
  std::uint64_t batch_seed_ = 0;
  model::rng shuffle_{0};

  // the step in progress
  Tensor loss_;
  std::vector<model::trace_entry> trace_;
  std::vector<Tensor> forward_params_;  // parameter values and data of the latest forward,
  std::vector<Tensor> forward_cols_;    // for the graph's interior gradients
  double last_loss_;
  bool step_done_ = false;  // the batch's step ran: the next forward starts a new batch
  bool backward_done_ = false;
  std::vector<std::size_t> epoch_order_;  // rows of the current epoch
  std::size_t batch_index_ = 0;           // next batch within the epoch
  double epoch_loss_sum_ = 0;
  std::size_t epoch_batches_ = 0;
  std::vector<std::uint32_t> order_log_;

  history hist_;
  std::vector<session_error> errors_;

  std::vector<float> step_values_, step_grads_;  // what the latest step() read
  std::vector<std::uint8_t> step_has_;
  std::vector<std::size_t> state_slots_;  // hist_.state index of each recorded entry, in order
  std::unique_ptr<detail::fused_train> fused_;  // null when the model is outside its subset
  bool fast_path_ = true;
  std::size_t param_budget_ = history::kParamHistoryBudget;

  bool fused_stale_ = true;  // model or columns changed since the training step was compiled
  session_counters counters_;
  std::uint64_t columns_version_ = 0;  // bumped whenever full_columns_ changes
  struct checked_model {               // check_model()'s last compile that succeeded
    std::string text;
    std::uint64_t columns_version = 0;
    model::compiled_model model;
  };
  std::optional<checked_model> checked_;
  /// Where the data came from (apply()'s preset, seed, csv, target); unset after
  /// set_data()/load_preset() by hand, so that apply() builds it again.
  std::optional<session_config> data_source_;
  std::optional<config_error> source_errors_[2];  // the preset's and the data's, as built
  bool applied_ = false;                          // apply() ran at least once
  model::preset preset_;                          // the last preset's defaults (its data moved out)
};

}  // namespace gradlab
