#pragma once
/// \file functions.hpp
/// The model language's function names: the op table's rows marked ns_model (op_table.def)
/// and the attributes x.T, x.mT. A name that is not here is an "unknown function" error;
/// adding an op to the language is its row in op_table.def.
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "gradlab/ops/op_args.hpp"
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

/// A function's parameter names, held as literals: with plain members the whole table is
/// constant data (no code runs to build it; as std::strings it took 20 KB of WebAssembly).
class name_list {
 public:
  constexpr name_list(std::initializer_list<const char*> names) {
    for (const char* n : names) {
      if (size_ == kMax) throw std::length_error("name_list: too many parameter names");
      names_[size_++] = n;
    }
  }
  constexpr std::size_t size() const { return size_; }
  std::string operator[](std::size_t i) const { return names_[i]; }

 private:
  static constexpr std::size_t kMax = 8;
  const char* names_[kMax] = {};
  std::size_t size_ = 0;
};

struct function_info {
  const char* name;          ///< as typed: tanh, mse_loss, sum
  name_list params;          ///< parameter names in positional order
  std::size_t required = 1;  ///< the first `required` params must be given
  bool method = true;        ///< also callable as x.name(...) (x binds the first param)
  bool attribute = false;    ///< used as x.name without a call (x.T)
  const char* python = "";   ///< the PyTorch spelling of a call: torch.tanh, F.mse_loss
  /// Lowers a bound call (entries that are no op table row: x.T, x.mT).
  value (*lower)(const bound_args&) = nullptr;
  /// The op table's row (gradlab/ops/op_args.hpp) the entry calls; params, required and
  /// lower are unused then (the row's PARAMS bind).
  const op_info* op = nullptr;
};

/// Every function the language knows in this build, in a fixed order.
const std::vector<function_info>& functions();
/// The entry for name, or null.
const function_info* find_function(const std::string& name);
/// Names of all entries (for "did you mean").
std::vector<std::string> function_names();

/// Calls f: an op row through call_op (bind_op_args's messages), else f.lower over
/// bind_arguments.
value call_function(const function_info& f, std::vector<value> positional,
                    std::vector<std::pair<std::string, value>> keywords);

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
