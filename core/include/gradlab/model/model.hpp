#pragma once
/// \file model.hpp
/// A model compiled from text: its parameters (declared with `param`, or free names that
/// become scalar parameters initialised to 0) and an evaluator that lowers the AST through
/// the public ops API. Nothing here is global: any number of models can coexist.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gradlab/autograd.hpp"
#include "gradlab/model/ast.hpp"
#include "gradlab/model/diagnostic.hpp"
#include "gradlab/model/functions.hpp"

namespace gradlab::model {

struct param_spec {
  std::string name;
  shape_t shape;          ///< {} for a scalar
  bool implicit = false;  ///< a free name, initialised to 0
  Tensor init;            ///< float32 initial values (no grad)
  span where;             ///< where it is declared or first used
};

/// One op evaluated during a traced forward: the node it made, the source text it came
/// from, its value, and a label for each operand (a data column's or a number's) so a
/// graph drawing can show inputs that have no edge of their own.
struct trace_entry {
  std::shared_ptr<Node> fn;
  std::string text;
  Tensor value;
  std::vector<std::string> operands;
};

/// The named data tensors a model reads, in a fixed order.
using columns_t = std::vector<std::pair<std::string, Tensor>>;

class compiled_model {
 public:
  compiled_model() = default;
  /// Parses, resolves names against the data columns, initialises parameters and checks
  /// shapes with one dry run. `target` is the data's target column ("" for none), used
  /// when the model has no `loss = ...`. Throws model_error.
  static compiled_model compile(const std::string& text, const columns_t& columns,
                                const std::string& target);

  const program& ast() const { return *prog_; }
  const std::vector<param_spec>& params() const { return params_; }
  const std::vector<std::string>& column_names() const { return columns_; }
  const std::string& target() const { return target_; }
  /// Whether the loss is MSE of the last expression against the target column.
  bool mse_against_target() const { return mse_; }
  /// The statement whose value is the loss (or the prediction, with mse_against_target).
  std::size_t loss_statement() const { return loss_stmt_; }

  /// The environment slot a name node reads (-1 for other nodes): columns come first, then
  /// parameters, then variables. For evaluators other than loss() (the landscape's).
  int slot_of(int node) const { return slot_[static_cast<std::size_t>(node)]; }
  /// The slot statement s assigns (-1 for none).
  int assign_slot(std::size_t s) const { return assign_slot_[s]; }
  std::size_t num_slots() const { return num_slots_; }

  /// Evaluates the model on columns (in column_names() order) with the given parameters.
  /// Returns the loss; records the ops made into trace when given. With probes (and trace),
  /// every traced result r continues as r + z for a zero leaf z pushed onto probes, in trace
  /// order: after backward, z.grad is dL/dr.
  Tensor loss(const std::vector<Tensor>& params, const std::vector<Tensor>& columns,
              std::vector<trace_entry>* trace = nullptr,
              std::vector<Tensor>* probes = nullptr) const;

 private:
  struct evaluator;
  std::shared_ptr<const program> prog_;
  std::vector<param_spec> params_;
  std::vector<std::string> columns_;
  std::string target_;
  std::size_t target_index_ = 0;
  std::vector<int> slot_;  ///< per AST node: the env slot a name reads (-1 otherwise)
  std::size_t num_slots_ = 0;
  std::vector<int> assign_slot_;  ///< per statement: the slot it writes (-1 for none)
  std::size_t loss_stmt_ = 0;
  bool mse_ = false;
};

/// The value a `param` initialiser gives, as float32 values of the declared shape
/// (declared shape empty = scalar unless a list sets it). default_seed is used by randn()
/// and uniform() without seed=.
Tensor initial_value(const program& p, int init_expr, shape_t shape, bool has_shape,
                     std::uint64_t default_seed);

}  // namespace gradlab::model
