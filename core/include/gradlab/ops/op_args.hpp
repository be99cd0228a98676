#pragma once
/// \file op_args.hpp
/// The op table at run time (op_table.def): each row's names and its generic entry `call`,
/// which receives the arguments bound in the order of the row's PARAMS. One binder,
/// bind_op_args, fills the defaults PARAMS gives and raises Python's TypeErrors; the model
/// language and the JS API bind with it; the Python interpreter binds with its own signature
/// machinery (PARAMS is exactly what ip.def accepts) and converts its values to op_arg.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "gradlab/tensor.hpp"

namespace gradlab {

/// One bound argument.
struct op_arg {
  enum kind_t { none, boolean, integer, real, tensor, ints, string };
  kind_t kind = none;
  bool b = false;
  long long i = 0;
  double r = 0;
  Tensor t;
  std::vector<long long> list;
  std::string s;

  static op_arg of_none() { return {}; }
  static op_arg of_bool(bool v);
  static op_arg of_int(long long v);
  static op_arg of_real(double v);
  static op_arg of_tensor(Tensor v);
  static op_arg of_ints(std::vector<long long> v);
  static op_arg of_string(std::string v);
  bool is_none() const { return kind == none; }
  bool is_number() const { return kind == integer || kind == real || kind == boolean; }
  /// Python's type name for messages: NoneType, bool, int, float, Tensor, tuple, str.
  const char* type_name() const;
};

/// Where PyTorch exposes an op (a row's NAMESPACES).
enum op_namespace : unsigned {
  ns_torch = 1,       ///< torch.NAME(x, ...)
  ns_tensor = 2,      ///< x.NAME(...)
  ns_functional = 4,  ///< torch.nn.functional.NAME(x, ...)
  ns_model = 8,       ///< NAME(x, ...) in the model language
};

/// A row's generic entry: the arguments bound in PARAMS order (bind_op_args).
using op_call_fn = Tensor (*)(const op_arg* args, std::size_t n);

/// One row of op_table.def.
struct op_info {
  const char* name;     ///< PyTorch's name, gradlab's C++ function and model-language name
  const char* grad_fn;  ///< the backward node's name after a call with the defaults
  const char* params;  ///< the Python signature's parameters, e.g. "input, dim=None, keepdim=False"
  unsigned namespaces;          ///< a sum of op_namespace
  const char* js;               ///< the JS API's name
  Tensor (*fn)(const Tensor&);  ///< GRADLAB_UNARY_OP rows: the op itself; else null
  op_call_fn call;              ///< every row: the op over bound arguments
  /// GRADLAB_UNARY_OP rows: the element rule in float32, the op's own functor
  /// (kernels::NAME_fn, ops/unary.hpp), for the fused evaluators; else null
  float (*f32)(float);
  bool in(op_namespace ns) const { return (namespaces & ns) != 0; }
};

/// The rows, in the table's order (a row's index is its id in the WASM bindings).
const std::vector<op_info>& op_table();
/// The row named name, or null.
const op_info* find_op(const std::string& name);
/// Whether name is a PyTorch function the table lists as planned (not in this build yet).
bool planned_op(const std::string& name);

/// Binds positional and keyword arguments to the row's PARAMS: defaults filled in, Python's
/// TypeErrors ("mean() takes from 1 to 3 positional arguments but 5 were given", "... got an
/// unexpected keyword argument 'k'", "... missing 1 required positional argument: 'target'").
std::vector<op_arg> bind_op_args(const op_info& op, std::vector<op_arg> positional,
                                 std::vector<std::pair<std::string, op_arg>> keywords);
/// bind_op_args, then the row's call.
Tensor call_op(const op_info& op, std::vector<op_arg> positional,
               std::vector<std::pair<std::string, op_arg>> keywords = {});

/// The row adapters' argument readers: PyTorch's TypeError "NAME(): argument 'PARAM'
/// (position N) must be T, not U" when the kind does not fit. PARAMS order is N - 1.
namespace op_read {
/// A Tensor (a number is refused, as PyTorch's Tensor parameters do).
Tensor tensor(const op_arg* a, std::size_t i, const char* op, const char* param);
/// A Tensor or None (an undefined Tensor).
Tensor optional_tensor(const op_arg* a, std::size_t i, const char* op, const char* param);
/// A Number-or-Tensor operand: a number becomes a wrapped scalar shaped like `like`.
Tensor operand(const op_arg* a, std::size_t i, const Tensor& like, const char* op,
               const char* param);
/// An int (a whole float is taken too: the model language and JS have one number type).
long long integer(const op_arg* a, std::size_t i, const char* op, const char* param);
/// A float (an int or bool is taken, as Python's float parameters do).
double real(const op_arg* a, std::size_t i, const char* op, const char* param);
/// A float, or dflt for None.
double optional_real(const op_arg* a, std::size_t i, double dflt, const char* op,
                     const char* param);
/// A bool (0 and 1 are taken: the model language has no bool type).
bool boolean(const op_arg* a, std::size_t i, const char* op, const char* param);
/// A list of ints (one int is a list of one).
std::vector<long long> ints(const op_arg* a, std::size_t i, const char* op, const char* param);
/// A str.
std::string string(const op_arg* a, std::size_t i, const char* op, const char* param);
}  // namespace op_read

/// Each GRADLAB_OP row's adapter (defined beside its op in the op's source file).
namespace op_call {
#define GRADLAB_UNARY_OP(NAME, GRAD_FN, PARAMS, NAMESPACES, JS)
#define GRADLAB_OP(NAME, GRAD_FN, PARAMS, NAMESPACES, JS) \
  Tensor NAME(const op_arg* args, std::size_t n);
#include "gradlab/ops/op_table.def"
}  // namespace op_call

}  // namespace gradlab
