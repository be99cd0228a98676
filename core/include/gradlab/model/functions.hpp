#pragma once
/// \file functions.hpp
/// The ONE table from the model language's function names to gradlab's ops: arity, keyword
/// arguments, how the call lowers, and what it is called in PyTorch. A name that is not in
/// the table is an "unknown function" error; adding an op to the language is one entry.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gradlab/tensor.hpp"

namespace gradlab::model {

/// A value in the model language: a tensor, or a Python number (undefined t).
struct value {
  Tensor t;
  double num = 0;
  bool none = false;  ///< Python's None: an argument left at its default
  bool is_number() const { return !t.defined() && !none; }
  static value of(double v) { return value{Tensor(), v, false}; }
  static value of(Tensor t) { return value{std::move(t), 0, false}; }
  static value none_value() { return value{Tensor(), 0, true}; }
};

/// Arguments bound to the function's parameter slots (std::nullopt when not given).
using bound_args = std::vector<std::optional<value>>;

struct function_info {
  std::string name;                 ///< as typed: tanh, mse_loss, sum
  std::vector<std::string> params;  ///< parameter names in positional order
  std::size_t required = 1;         ///< the first `required` params must be given
  bool method = true;               ///< also callable as x.name(...) (x binds the first param)
  bool attribute = false;           ///< used as x.name without a call (x.T)
  std::string python;               ///< the PyTorch spelling of a call: torch.tanh, F.mse_loss
  /// Lowers a bound call; a plain function (every lowering is a capture-free lambda) keeps
  /// the table free of std::function's per-entry machinery.
  value (*lower)(const bound_args&) = nullptr;
};

/// Every function the language knows in this build, in a fixed order.
const std::vector<function_info>& functions();
/// The entry for name, or null.
const function_info* find_function(const std::string& name);
/// Names of all entries (for "did you mean").
std::vector<std::string> function_names();

/// Binds positional and keyword arguments to slots with Python's TypeError messages.
bound_args bind_arguments(const function_info& f, std::vector<value> positional,
                          std::vector<std::pair<std::string, value>> keywords);

// Helpers for lowerings.
/// The slot as a tensor; a number becomes a wrapped scalar shaped like `like` (or float32).
Tensor tensor_arg(const bound_args& a, std::size_t i, const std::string& fn,
                  const Tensor& like = Tensor());
/// The slot as a number; a 0-dim/1-element tensor is read with item().
double number_arg(const bound_args& a, std::size_t i, const std::string& fn);

}  // namespace gradlab::model
