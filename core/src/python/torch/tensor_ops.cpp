// The ops on torch and Tensor. The op table's unary rows (op_table.def) are bound in one loop
// below: torch.NAME(input) and x.NAME(). The rest (operators with Python numbers on either
// side, in-place ops, sum/mean/matmul/pow/reshape/...) are bound by hand in the second half of
// this file: THIS IS THE PLACE THE TABLE'S GENERIC ROWS REPLACE when the table grows rows with
// options and several operands (branch h/ops2: `Tensor (*call)(const op_arg*, std::size_t)`,
// arguments bound in the row's PARAMS order). Until then it is the only second list of names.
#include <cmath>
#include <limits>

#include "gradlab/ops.hpp"
#include "python/torch/torch_internal.hpp"

namespace gradlab::py::torch {

namespace {

// ------------------------------------------------------------------ the table's unary rows

// One trampoline for every row: the row rides in the function object.
value unary_row(interpreter&, value* a, std::size_t, native_function* self) {
  const auto* row = static_cast<const op_info*>(self->ptr);
  return wrap(row->fn(tensor_arg(a[0], "input")));
}

void bind_row(type_object* owner, module_object* m, const op_info& row, const char* params) {
  value f = make_native(row.name, unary_row, params, owner);
  static_cast<native_function*>(f.as_object())->ptr = const_cast<op_info*>(&row);
  if (owner)
    owner->dict->table.set(intern(row.name), f);
  else
    m->set(row.name, f);
}

// ------------------------------------------------------------------ by hand (see the header)

bool is_number(const value& v) { return v.is_float() || v.is_int() || v.is_bool(); }
double number(const value& v) {
  return v.is_float() ? v.as_float() : v.is_int() ? static_cast<double>(v.as_int()) : v.as_bool();
}
/// The other operand of an operator: a tensor or a wrapped Python number; false when neither
/// (the operator returns NotImplemented and Python tries the other side).
bool other_of(const value& v, const Tensor& like, Tensor& out) {
  if (is_tensor(v)) {
    out = tensor_arg(v);
    return true;
  }
  if (!is_number(v)) return false;
  out = wrap_scalar(number(v), like);
  return true;
}

template <Tensor (*F)(const Tensor&, const Tensor&), bool Reflected>
value binop(interpreter& ip, value* a, std::size_t, native_function*) {
  const Tensor& self = tensor_arg(a[0], "self");
  Tensor other;
  if (!other_of(a[1], self, other)) return ip.not_implemented();
  return wrap(Reflected ? F(other, self) : F(self, other));
}
Tensor add2(const Tensor& x, const Tensor& y) { return add(x, y); }
Tensor sub2(const Tensor& x, const Tensor& y) { return sub(x, y); }
// n / x is PyTorch's x.reciprocal() * n (MulBackward0, and its rounding)
Tensor rdiv(const Tensor& other, const Tensor& self) { return mul(pow(self, -1.0), other); }
Tensor pow2(const Tensor& x, const Tensor& y) {
  if (y.impl()->wrapped_number) return pow(x, y.item());  // x ** 2: PowBackward0
  return pow(x, y);
}

value t_rpow(interpreter& ip, value* a, std::size_t, native_function*) {
  const Tensor& self = tensor_arg(a[0], "self");
  if (!is_number(a[1])) return ip.not_implemented();
  return wrap(pow(number(a[1]), self));  // 2 ** x: PowBackward2
}
value t_neg(interpreter&, value* a, std::size_t, native_function*) {
  return wrap(neg(tensor_arg(a[0], "self")));
}
value t_pos(interpreter&, value* a, std::size_t, native_function*) { return a[0]; }

// in place: x op= y keeps x's Python object (and its storage), as PyTorch's __iadd__ etc.
enum class inplace { add, sub, mul, div };
template <inplace Op>
value iop(interpreter& ip, value* a, std::size_t, native_function*) {
  Tensor& self = tensor_arg(a[0], "self");
  Tensor other;
  if (!other_of(a[1], self, other)) return ip.not_implemented();
  switch (Op) {
    case inplace::add:
      self.add_(other);
      break;
    case inplace::sub:
      self.sub_(other);
      break;
    case inplace::mul:
      self.mul_(other);
      break;
    case inplace::div:
      self.div_(other);
      break;
  }
  return a[0];
}
// x.add_(other, *, alpha=1) / x.sub_(...): a non-number, non-tensor is a TypeError here
template <bool Sub>
value add_sub_(interpreter&, value* a, std::size_t, native_function*) {
  Tensor& self = tensor_arg(a[0], "self");
  const Tensor other = operand(a[1], self, Sub ? "sub_" : "add_");
  if (Sub)
    self.sub_(other, to_double(a[2]));
  else
    self.add_(other, to_double(a[2]));
  return a[0];
}
template <bool Div>
value mul_div_(interpreter&, value* a, std::size_t, native_function*) {
  Tensor& self = tensor_arg(a[0], "self");
  const Tensor other = operand(a[1], self, Div ? "div_" : "mul_");
  if (Div)
    self.div_(other);
  else
    self.mul_(other);
  return a[0];
}
// torch.add(input, other, *, alpha=1) and x.add(...)
template <bool Sub>
value add_sub(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& self = tensor_arg(a[0], "input");
  const Tensor other = operand(a[1], self, Sub ? "sub" : "add");
  const double alpha = to_double(a[2]);
  return wrap(Sub ? sub(self, other, alpha) : add(self, other, alpha));
}
template <bool Div>
value mul_div(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& self = tensor_arg(a[0], "input");
  const Tensor other = operand(a[1], self, Div ? "div" : "mul");
  return wrap(Div ? div(self, other) : mul(self, other));
}
value t_pow(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& self = tensor_arg(a[0], "input");
  if (is_number(a[1])) return wrap(pow(self, number(a[1])));
  return wrap(pow(self, tensor_arg(a[1], "exponent")));
}
value t_matmul(interpreter& ip, value* a, std::size_t, native_function*) {
  if (!is_tensor(a[1])) return ip.not_implemented();
  return wrap(matmul(tensor_arg(a[0], "input"), tensor_arg(a[1], "other")));
}
value t_matmul_fn(interpreter&, value* a, std::size_t, native_function*) {
  return wrap(matmul(tensor_arg(a[0], "input"), tensor_arg(a[1], "other")));
}

long long dim_arg(const value& v) {
  if (v.is_object() && !is_int_like(v))
    raise(rt().e_notimpl,
          "reducing over several dimensions (a tuple dim) is not supported by gradlab yet");
  return index_of(v, "dim");
}
// sum(input, dim=None, keepdim=False) and mean(...)
template <bool Mean>
value reduce(interpreter& ip, value* a, std::size_t, native_function*) {
  const Tensor& self = tensor_arg(a[0], "input");
  if (a[1].is_none()) return wrap(Mean ? mean(self) : sum(self));
  const long long d = dim_arg(a[1]);
  const bool keep = ip.truthy(a[2]);
  return wrap(Mean ? mean(self, d, keep) : sum(self, d, keep));
}
template <bool Max>
value extreme(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& self = tensor_arg(a[0], "input");
  if (!a[1].is_none())
    raise(rt().e_notimpl,
          "max/min over a dim (values and int64 indices) needs int64 tensors, which gradlab does "
          "not have yet");
  return wrap(Max ? max(self) : min(self));
}
value t_clamp(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& self = tensor_arg(a[0], "input");
  if (a[1].is_none() && a[2].is_none())
    raise(rt().e_runtime, "torch.clamp: At least one of 'min' or 'max' must not be None");
  const double inf = std::numeric_limits<double>::infinity();
  return wrap(
      clamp(self, a[1].is_none() ? -inf : to_double(a[1]), a[2].is_none() ? inf : to_double(a[2])));
}
value t_t(interpreter&, value* a, std::size_t, native_function*) {
  return wrap(t(tensor_arg(a[0], "input")));
}
value t_transpose(interpreter&, value* a, std::size_t, native_function*) {
  return wrap(transpose(tensor_arg(a[0], "input"), index_of(a[1], "dim0"), index_of(a[2], "dim1")));
}
// x.reshape(2, 3) / x.reshape((2, 3)) / torch.reshape(x, (2, 3)); -1 infers a size
value t_reshape(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& self = tensor_arg(a[0], "self");
  const value& shape = a[1];  // a tuple of the arguments (*shape)
  std::vector<value> dims = to_vector(shape);
  if (dims.size() == 1 && dims[0].is_object() && !is_int_like(dims[0])) dims = to_vector(dims[0]);
  std::vector<long long> s;
  for (const value& d : dims) s.push_back(index_of(d, "shape"));
  return wrap(reshape(self, s));
}
value t_reshape_fn(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& self = tensor_arg(a[0], "input");
  std::vector<long long> s;
  for (const value& d : to_vector(a[1])) s.push_back(index_of(d, "shape"));
  return wrap(reshape(self, s));
}
value t_unsqueeze(interpreter&, value* a, std::size_t, native_function*) {
  return wrap(unsqueeze(tensor_arg(a[0], "input"), index_of(a[1], "dim")));
}
value t_squeeze(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& self = tensor_arg(a[0], "input");
  if (a[1].is_none()) {
    if (self.dim() == 0) return wrap(squeeze(self, 0));
    raise(rt().e_notimpl, "squeeze() without a dim is not supported by gradlab yet; pass dim");
  }
  return wrap(squeeze(self, index_of(a[1], "dim")));
}
value t_getitem(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& self = tensor_arg(a[0], "self");
  if (!is_int_like(a[1]))
    raisef(rt().e_notimpl,
           "indexing a tensor with %s is not supported by gradlab yet (only an int)", tname(a[1]));
  return wrap(self[index_of(a[1], "index")]);
}

// x == y, x < y, ...: elementwise bool tensors in PyTorch. Without bool tensors, refusing is
// better than Python's default (== as identity, a bool where PyTorch gives a tensor).
value t_compare(interpreter&, value*, std::size_t, native_function*) {
  raise(rt().e_notimpl, "tensor comparisons give bool tensors, which gradlab does not have yet");
}

struct entry {
  const char* name;
  native_fn fn;
  const char* params;
};

// Tensor methods (self first)
const entry kMethods[] = {
    {"__add__", binop<add2, false>, "self, other"},
    {"__radd__", binop<add2, true>, "self, other"},
    {"__sub__", binop<sub2, false>, "self, other"},
    {"__rsub__", binop<sub2, true>, "self, other"},
    {"__mul__", binop<mul, false>, "self, other"},
    {"__rmul__", binop<mul, true>, "self, other"},
    {"__truediv__", binop<div, false>, "self, other"},
    {"__rtruediv__", binop<rdiv, true>, "self, other"},
    {"__pow__", binop<pow2, false>, "self, other"},
    {"__rpow__", t_rpow, "self, other"},
    {"__matmul__", t_matmul, "self, other"},
    {"__neg__", t_neg, "self"},
    {"__pos__", t_pos, "self"},
    {"__iadd__", iop<inplace::add>, "self, other"},
    {"__isub__", iop<inplace::sub>, "self, other"},
    {"__imul__", iop<inplace::mul>, "self, other"},
    {"__itruediv__", iop<inplace::div>, "self, other"},
    {"__getitem__", t_getitem, "self, index"},
    {"__eq__", t_compare, "self, other"},
    {"__ne__", t_compare, "self, other"},
    {"__lt__", t_compare, "self, other"},
    {"__le__", t_compare, "self, other"},
    {"__gt__", t_compare, "self, other"},
    {"__ge__", t_compare, "self, other"},
    {"add_", add_sub_<false>, "self, other, *, alpha=1"},
    {"sub_", add_sub_<true>, "self, other, *, alpha=1"},
    {"mul_", mul_div_<false>, "self, other"},
    {"div_", mul_div_<true>, "self, other"},
    {"add", add_sub<false>, "self, other, *, alpha=1"},
    {"sub", add_sub<true>, "self, other, *, alpha=1"},
    {"mul", mul_div<false>, "self, other"},
    {"div", mul_div<true>, "self, other"},
    {"pow", t_pow, "self, exponent"},
    {"matmul", t_matmul_fn, "self, other"},
    {"sum", reduce<false>, "self, dim=None, keepdim=False"},
    {"mean", reduce<true>, "self, dim=None, keepdim=False"},
    {"max", extreme<true>, "self, dim=None"},
    {"min", extreme<false>, "self, dim=None"},
    {"clamp", t_clamp, "self, min=None, max=None"},
    {"t", t_t, "self"},
    {"transpose", t_transpose, "self, dim0, dim1"},
    {"reshape", t_reshape, "self, *shape"},
    {"view", t_reshape, "self, *shape"},
    {"unsqueeze", t_unsqueeze, "self, dim"},
    {"squeeze", t_squeeze, "self, dim=None"},
};

// torch.NAME functions (input first)
const entry kFunctions[] = {
    {"add", add_sub<false>, "input, other, *, alpha=1"},
    {"sub", add_sub<true>, "input, other, *, alpha=1"},
    {"mul", mul_div<false>, "input, other"},
    {"div", mul_div<true>, "input, other"},
    {"pow", t_pow, "input, exponent"},
    {"matmul", t_matmul_fn, "input, other"},
    {"sum", reduce<false>, "input, dim=None, keepdim=False"},
    {"mean", reduce<true>, "input, dim=None, keepdim=False"},
    {"max", extreme<true>, "input, dim=None"},
    {"min", extreme<false>, "input, dim=None"},
    {"clamp", t_clamp, "input, min=None, max=None"},
    {"t", t_t, "input"},
    {"transpose", t_transpose, "input, dim0, dim1"},
    {"reshape", t_reshape_fn, "input, shape"},
    {"unsqueeze", t_unsqueeze, "input, dim"},
    {"squeeze", t_squeeze, "input, dim=None"},
};

}  // namespace

void def_tensor_ops(interpreter&, module_object& m, type_object* tensor) {
  for (const op_info& row : op_table()) {
    if (row.in(ns_tensor)) bind_row(tensor, nullptr, row, "self");
    if (row.in(ns_torch)) bind_row(nullptr, &m, row, row.params);
  }
  for (const entry& e : kMethods) method(tensor, e.name, e.fn, e.params);
  for (const entry& e : kFunctions) add_function(&m, e.name, e.fn, e.params);
  tensor->update_slots();
}

}  // namespace gradlab::py::torch
