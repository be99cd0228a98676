#pragma once
/// \file unary.hpp
/// The op table's Tensor -> Tensor ops (op_table.def): their declarations, made from the
/// rows, and the table itself at run time, for the bindings that build names from it.
#include <string>
#include <vector>

#include "gradlab/tensor.hpp"

namespace gradlab {

#define GRADLAB_UNARY_OP(NAME, GRAD_FN, PARAMS, NAMESPACES, JS) Tensor NAME(const Tensor& a);
#include "gradlab/ops/op_table.def"

/// Where PyTorch exposes an op (a row's NAMESPACES).
enum op_namespace : unsigned {
  ns_torch = 1,       ///< torch.NAME(x)
  ns_tensor = 2,      ///< x.NAME()
  ns_functional = 4,  ///< torch.nn.functional.NAME(x)
  ns_model = 8,       ///< NAME(x) in the model language
};

/// One row of op_table.def.
struct op_info {
  const char* name;     ///< PyTorch's name, gradlab's C++ function and model-language name
  const char* grad_fn;  ///< the backward node's name (PyTorch's grad_fn)
  const char* params;   ///< the Python signature's parameters, e.g. "input"
  unsigned namespaces;  ///< a sum of op_namespace
  const char* js;       ///< the JS API's name
  Tensor (*fn)(const Tensor&);
  bool in(op_namespace ns) const { return (namespaces & ns) != 0; }
};

/// The rows, in the table's order (a row's index is its id in the WASM bindings).
const std::vector<op_info>& op_table();
/// The row named name, or null.
const op_info* find_op(const std::string& name);
/// Whether name is a PyTorch function the table lists as planned (not in this build yet).
bool planned_op(const std::string& name);

}  // namespace gradlab
