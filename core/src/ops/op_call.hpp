#pragma once
// Private: the common shapes of the op table's row adapters (op_call::NAME): an op over its
// input and one more argument.
#include "gradlab/ops/op_args.hpp"

namespace gradlab::op_call {

/// f(input, int PARAM), PARAM at position 2.
inline Tensor with_int(Tensor (*f)(const Tensor&, long long), const op_arg* a, const char* op,
                       const char* param) {
  return f(op_read::tensor(a, 0, op, "input"), op_read::integer(a, 1, op, param));
}

/// f(input, Tensor PARAM), PARAM at position 2.
inline Tensor with_tensor(Tensor (*f)(const Tensor&, const Tensor&), const op_arg* a,
                          const char* op, const char* param) {
  return f(op_read::tensor(a, 0, op, "input"), op_read::tensor(a, 1, op, param));
}

}  // namespace gradlab::op_call
