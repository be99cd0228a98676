#pragma once
/// \file unary.hpp
/// The op table's Tensor -> Tensor ops (op_table.def): their declarations, made from the
/// rows; the table at run time is in op_args.hpp.
#include "gradlab/ops/op_args.hpp"
#include "gradlab/tensor.hpp"

namespace gradlab {

#define GRADLAB_UNARY_OP(NAME, GRAD_FN, PARAMS, NAMESPACES, JS) Tensor NAME(const Tensor& a);
#include "gradlab/ops/op_table.def"

}  // namespace gradlab
