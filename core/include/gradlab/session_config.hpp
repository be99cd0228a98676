#pragma once
/// \file session_config.hpp
/// Everything a training session is built from, as one value: session::apply() compares it
/// with what the session holds and does the least work (see session.hpp).
#include <cstdint>
#include <optional>
#include <string>

#include "gradlab/model/diagnostic.hpp"
#include "gradlab/optim/options.hpp"

namespace gradlab {

/// The book's manual update (p -= lr * p.grad) among the optimizers' names, and its lr: the
/// book's learning_rate = 1e-2 (also a new session's lr). Written here only; the page and
/// the widgets read them from the engine.
inline constexpr const char* kManualUpdate = "manual";
inline constexpr double kBookLr = 1e-2;

/// A session's settings. Unset optionals take the preset's own (its model text, optimizer,
/// options and normalisation), as load_preset() does.
struct session_config {
  std::string preset;           ///< a preset's data and defaults ("" = none: no data)
  std::uint64_t seed = 0;       ///< draws the preset's data (the 2-D sets) and the batch order
  std::string csv;              ///< CSV text that replaces the preset's data ("" = the preset's)
  std::string target = "last";  ///< the CSV's target column: a name, "last" or "" for none
  std::optional<std::string> model;
  std::optional<std::string> optimizer;  ///< a registered optimizer, or "manual"
  std::optional<optim::options> options;
  std::string scheduler;  ///< "" for none; ignored under the manual update
  optim::options scheduler_options;
  std::optional<bool> normalize;
  std::size_t batch_size = 0;  ///< 0 = full batch
  bool zero_grad = true;
  bool set_to_none = true;
  bool manual_no_grad = true;
  bool copy_params = false;
};

/// A setting apply() could not take: PyTorch's exception type and message; `where` for a
/// model text that does not compile (the editor underlines it).
struct config_error {
  std::string type;
  std::string message;
  std::optional<model::diagnostic> where;
};

/// What apply() did. Each entry's error is reported and the rest is applied.
struct apply_result {
  std::optional<config_error> preset_error, data_error, model_error, optimizer_error;
  bool restarted = false;  ///< the run started over (initial parameters, empty history)
  bool compiled = false;   ///< a model text was compiled (or a checked one taken)
  double compile_ms = 0;   ///< parsing and one dry-run forward: what one forward costs
};

/// Work the session has done since it was made, counted (tests measure work, not time).
struct session_counters {
  std::size_t compiles = 0;        ///< model texts compiled (check_model() included)
  std::size_t fused_compiles = 0;  ///< compiled training steps built
  std::size_t restarts = 0;        ///< runs started over (reset(), or a setting that needs one)
};

}  // namespace gradlab
