// torch.Tensor on the interpreter: a native object holding a gradlab::Tensor, with the
// attributes and methods of the chapter (grad, requires_grad, is_leaf, grad_fn, shape, dtype,
// item, tolist, detach, backward, zero_, ...) and PyTorch's repr. The arithmetic is in
// tensor_ops.cpp; grad_fn objects are here too.
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "gradlab/ops/arith.hpp"
#include "python/torch/torch_internal.hpp"

namespace gradlab::py::torch {

namespace {
std::unordered_map<const runtime*, torch_types> g_types;  // one entry per interpreter
}  // namespace

torch_types& types() { return g_types[&rt()]; }

bool is_tensor(const value& v) {
  return v.is_object() && v.as_object()->type->is_subtype(types().tensor);
}

Tensor& tensor_arg(const value& v, const char* what) {
  if (!is_tensor(v)) raisef(rt().e_type, "%s must be Tensor, not %s", what, tname(v));
  Tensor& t = native_value<Tensor>(v);
  if (!t.defined()) raise(rt().e_runtime, "the tensor was made without data (torch.Tensor())");
  return t;
}

value wrap(Tensor t) { return new_native<Tensor>(types().tensor, std::move(t)); }
value wrap_or_none(const Tensor& t) { return t.defined() ? wrap(t) : value::none(); }

Tensor operand(const value& v, const Tensor& like, const char* op) {
  if (is_tensor(v)) return tensor_arg(v);
  if (v.is_float()) return wrap_scalar(v.as_float(), like);
  if (v.is_int()) return wrap_scalar(static_cast<double>(v.as_int()), like);
  if (v.is_bool()) return wrap_scalar(v.as_bool() ? 1.0 : 0.0, like);
  raisef(rt().e_type, "%s(): argument 'other' must be Tensor or Number, not %s", op, tname(v));
}

value wrap_dtype(gradlab::dtype d) {
  return value::borrow(d == gradlab::dtype::float64 ? types().float64 : types().float32);
}

gradlab::dtype dtype_arg(const value& v) {
  if (v.is_null() || v.is_none()) return gradlab::dtype::float32;
  if (v.is_object() && v.as_object()->type == types().dtype) return native_value<gradlab::dtype>(v);
  raisef(rt().e_type, "dtype must be torch.dtype, not %s", tname(v));
}

value make_size(const shape_t& s) {
  std::vector<value> dims;
  dims.reserve(s.size());
  for (std::size_t d : s) dims.push_back(value::from_int(static_cast<std::int64_t>(d)));
  value tuple = make_tuple(std::move(dims));
  return call(value::borrow(types().size), {tuple});
}

shape_t shape_args(const value* args, std::size_t n) {
  // size(2, 3) or size((2, 3)) / size([2, 3]) / size(torch.Size([2, 3]))
  std::vector<value> dims;
  if (n == 1 && args[0].is_object() && !is_int_like(args[0]))
    dims = to_vector(args[0]);
  else
    dims.assign(args, args + n);
  shape_t s;
  for (const value& d : dims) {
    if (!is_int_like(d)) raisef(rt().e_type, "size must be tuple of ints, but got %s", tname(d));
    const std::int64_t k = index_of(d, "size");
    if (k < 0)
      raisef(rt().e_runtime, "Trying to create tensor with negative dimension %lld: [%s]",
             static_cast<long long>(k), repr_s(make_list(dims)).c_str() + 1);
    s.push_back(static_cast<std::size_t>(k));
  }
  return s;
}

// ------------------------------------------------------------------ grad_fn objects

value wrap_node(const std::shared_ptr<Node>& n) {
  if (!n) return value::none();
  return new_native<std::shared_ptr<Node>>(types().node, n);
}

namespace {

using node_ptr = std::shared_ptr<Node>;
node_ptr& node_of(const value& v) { return native_value<node_ptr>(v); }

value node_repr(interpreter&, value* a, std::size_t, native_function*) {
  // CPython prints the object's address; the differential runner masks addresses
  char buf[48];
  std::snprintf(buf, sizeof buf, " object at 0x%012" PRIxPTR ">",
                reinterpret_cast<std::uintptr_t>(node_of(a[0]).get()));
  return make_str("<" + node_of(a[0])->name() + buf);
}
value node_name(interpreter&, value* a, std::size_t, native_function*) {
  // PyTorch's name() is the C++ class name: the one node not generated from derivatives.yaml
  // has its namespace in it
  const std::string n = node_of(a[0])->name();
  return make_str(n == "AccumulateGrad" ? "torch::autograd::AccumulateGrad" : n);
}
value node_next(interpreter&, value* a, std::size_t, native_function*) {
  std::vector<value> out;
  for (const Edge& e : node_of(a[0])->next_edges())
    out.push_back(make_tuple({wrap_node(e.fn), value::from_int(e.input_nr)}));
  return make_tuple(std::move(out));
}
value node_variable(interpreter&, value* a, std::size_t, native_function*) {
  auto* acc = dynamic_cast<AccumulateGrad*>(node_of(a[0]).get());
  if (!acc)
    raisef(rt().e_attr, "'%s' object has no attribute 'variable'", node_of(a[0])->name().c_str());
  return wrap(acc->variable());
}
// two grad_fn objects of the same node compare equal, as PyTorch's (one Python object per node)
value node_eq(interpreter& ip, value* a, std::size_t, native_function*) {
  if (!a[1].is_object() || a[1].as_object()->type != types().node) return ip.not_implemented();
  return value::from_bool(node_of(a[0]) == node_of(a[1]));
}
value node_hash(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_int(
      static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(node_of(a[0]).get()) >> 4));
}

// ------------------------------------------------------------------ dtype objects

value dtype_repr(interpreter&, value* a, std::size_t, native_function*) {
  return make_str(std::string("torch.") + dtype_name(native_value<gradlab::dtype>(a[0])));
}
value dtype_is_float(interpreter&, value*, std::size_t, native_function*) {
  return value::from_bool(true);  // gradlab's dtypes are float32 and float64 (int64 comes later)
}

// ------------------------------------------------------------------ Tensor attributes

Tensor& self_of(value* a) { return tensor_arg(a[0], "self"); }

value t_repr(interpreter&, value* a, std::size_t, native_function*) {
  return make_str(self_of(a).repr());
}
value t_get_grad(interpreter&, value* a, std::size_t, native_function*) {
  return wrap_or_none(self_of(a).grad());
}
value t_set_grad(interpreter&, value* a, std::size_t, native_function*) {
  Tensor& t = self_of(a);
  if (a[1].is_none()) {
    t.set_grad(Tensor());
    return value::none();
  }
  const Tensor& g = tensor_arg(a[1], "assigned grad");
  if (g.shape() != t.shape()) raise(rt().e_runtime, "assigned grad has data of a different size");
  if (g.dtype() != t.dtype()) raise(rt().e_runtime, "assigned grad has data of a different type");
  t.set_grad(g);
  return value::none();
}
value t_get_requires_grad(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_bool(self_of(a).requires_grad());
}
value t_set_requires_grad(interpreter& ip, value* a, std::size_t, native_function*) {
  self_of(a).requires_grad_(ip.truthy(a[1]));
  return value::none();
}
value t_is_leaf(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_bool(self_of(a).is_leaf());
}
value t_grad_fn(interpreter&, value* a, std::size_t, native_function*) {
  return wrap_node(self_of(a).grad_fn());
}
value t_shape(interpreter&, value* a, std::size_t, native_function*) {
  return make_size(self_of(a).shape());
}
value t_dtype(interpreter&, value* a, std::size_t, native_function*) {
  return wrap_dtype(self_of(a).dtype());
}
value t_ndim(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_int(static_cast<std::int64_t>(self_of(a).dim()));
}
// .data: the same values without the graph (gradlab's detach copies the storage, see detach)
value t_data(interpreter&, value* a, std::size_t, native_function*) {
  return wrap(self_of(a).detach());
}

// ------------------------------------------------------------------ Tensor methods

double scalar_of(const Tensor& t) {
  if (t.numel() != 1)
    raisef(rt().e_runtime, "a Tensor with %lld elements cannot be converted to Scalar",
           static_cast<long long>(t.numel()));
  return t.item();
}

value t_item(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_float(scalar_of(self_of(a)));
}
value t_float(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& t = self_of(a);
  if (t.numel() != 1)
    raise(rt().e_value, "only one element tensors can be converted to Python scalars");
  return value::from_float(t.item());
}
value t_int(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& t = self_of(a);
  if (t.numel() != 1)
    raise(rt().e_value, "only one element tensors can be converted to Python scalars");
  const double v = t.item();
  if (std::isnan(v)) raise(rt().e_value, "cannot convert float NaN to integer");
  if (std::isinf(v)) raise(rt().e_overflow, "cannot convert float infinity to integer");
  return value::from_int(static_cast<std::int64_t>(v));
}
value t_bool(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& t = self_of(a);
  if (t.numel() != 1)
    raise(rt().e_runtime, "Boolean value of Tensor with more than one value is ambiguous");
  return value::from_bool(t.item() != 0.0);
}
value t_len(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& t = self_of(a);
  if (t.dim() == 0) raise(rt().e_type, "len() of a 0-d tensor");
  return value::from_int(static_cast<std::int64_t>(t.shape()[0]));
}
// iterating a tensor unbinds its first dimension (PyTorch: grad_fn=<UnbindBackward0>)
value t_iter(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& t = self_of(a);
  if (t.dim() == 0) raise(rt().e_type, "iteration over a 0-d tensor");
  std::vector<value> items;
  for (Tensor& x : t.unbind(0)) items.push_back(wrap(std::move(x)));
  return iter(make_list(std::move(items)));
}
value t_format(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& t = self_of(a);
  if (t.dim() == 0) return format(value::from_float(t.item()), str_s(a[1]));
  if (!str_s(a[1]).empty())
    raise(rt().e_type, "unsupported format string passed to Tensor.__format__");
  return make_str(t.repr());
}
value t_hash(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_int(
      static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(a[0].as_object()) >> 4));
}

value tolist_of(const std::vector<double>& v, const shape_t& s, std::size_t dim, std::size_t& at) {
  if (dim == s.size()) return value::from_float(v[at++]);
  std::vector<value> items;
  items.reserve(s[dim]);
  for (std::size_t i = 0; i < s[dim]; ++i) items.push_back(tolist_of(v, s, dim + 1, at));
  return make_list(std::move(items));
}
value t_tolist(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& t = self_of(a);
  std::size_t at = 0;
  return tolist_of(t.to_vector(), t.shape(), 0, at);
}
value t_detach(interpreter&, value* a, std::size_t, native_function*) {
  return wrap(self_of(a).detach());
}
value t_clone(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& t = self_of(a);
  // PyTorch records CloneBackward0; gradlab's clone() is not differentiable yet, and a result
  // that silently drops the graph would print and train differently
  if (t.requires_grad() && grad_enabled())
    raise(rt().e_notimpl,
          "clone() of a tensor that requires grad is not differentiable in gradlab yet; use "
          "x.detach().clone() or x * 1");
  return wrap(t.clone());
}
value t_requires_grad_(interpreter& ip, value* a, std::size_t, native_function*) {
  self_of(a).requires_grad_(ip.truthy(a[1]));
  return a[0];
}
value t_retain_grad(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& t = self_of(a);
  if (!t.requires_grad())
    raise(rt().e_runtime, "can't retain_grad on Tensor that has requires_grad=False");
  if (!t.is_leaf())
    raise(rt().e_notimpl, "retain_grad() on a non-leaf tensor is not supported by gradlab yet");
  return value::none();  // a leaf keeps its grad anyway
}
value t_backward(interpreter& ip, value* a, std::size_t, native_function*) {
  const Tensor& t = self_of(a);
  Tensor gradient;
  if (!a[1].is_none()) gradient = tensor_arg(a[1], "gradient");
  if (!a[3].is_none() && ip.truthy(a[3]))
    raise(rt().e_notimpl, "backward(create_graph=True) is not supported by gradlab yet");
  const bool retain = a[2].is_none() ? false : ip.truthy(a[2]);
  t.backward(gradient, retain);
  return value::none();
}
value t_zero_(interpreter&, value* a, std::size_t, native_function*) {
  self_of(a).zero_();
  return a[0];
}
value t_fill_(interpreter&, value* a, std::size_t, native_function*) {
  self_of(a).fill_(to_double(a[1]));
  return a[0];
}
value t_numel(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_int(static_cast<std::int64_t>(self_of(a).numel()));
}
value t_dim(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_int(static_cast<std::int64_t>(self_of(a).dim()));
}
value t_size(interpreter&, value* a, std::size_t, native_function*) {
  const Tensor& t = self_of(a);
  if (a[1].is_none()) return make_size(t.shape());
  const auto n = static_cast<std::int64_t>(t.dim());
  std::int64_t d = index_of(a[1], "dim");
  if (d < -std::max<std::int64_t>(n, 1) || d >= std::max<std::int64_t>(n, 1))
    raisef(rt().e_index,
           "Dimension out of range (expected to be in range of [%lld, %lld], but got %lld)",
           static_cast<long long>(-std::max<std::int64_t>(n, 1)),
           static_cast<long long>(std::max<std::int64_t>(n, 1) - 1), static_cast<long long>(d));
  if (d < 0) d += n;
  return value::from_int(static_cast<std::int64_t>(t.shape()[static_cast<std::size_t>(d)]));
}
value t_to_dtype(const value& self, gradlab::dtype d) {
  const Tensor& t = tensor_arg(self, "self");
  if (t.dtype() == d) return self;
  if (t.requires_grad() && grad_enabled())
    raise(rt().e_notimpl,
          "a dtype conversion of a tensor that requires grad is not differentiable in gradlab yet");
  return wrap(t.to(d));
}
value t_float_(interpreter&, value* a, std::size_t, native_function*) {
  return t_to_dtype(a[0], gradlab::dtype::float32);
}
value t_double(interpreter&, value* a, std::size_t, native_function*) {
  return t_to_dtype(a[0], gradlab::dtype::float64);
}

}  // namespace

void method(type_object* t, const char* name, native_fn fn, const char* params) {
  add_method(t, name, fn, params);
}

void def_tensor_type(interpreter& ip, module_object& m) {
  torch_types& ts = types();
  ts = torch_types{};
  type_object* t = ts.tensor = ip.def_type(m, "Tensor", nullptr, alloc_native<Tensor>);
  t->module = "torch";
  method(t, "__repr__", t_repr, "self");
  method(t, "__float__", t_float, "self");
  method(t, "__int__", t_int, "self");
  method(t, "__bool__", t_bool, "self");
  method(t, "__len__", t_len, "self");
  method(t, "__iter__", t_iter, "self");
  method(t, "__format__", t_format, "self, format_spec");
  method(t, "__hash__", t_hash, "self");
  method(t, "item", t_item, "self");
  method(t, "tolist", t_tolist, "self");
  method(t, "detach", t_detach, "self");
  method(t, "clone", t_clone, "self");
  method(t, "requires_grad_", t_requires_grad_, "self, requires_grad=True");
  method(t, "retain_grad", t_retain_grad, "self");
  method(t, "backward", t_backward, "self, gradient=None, retain_graph=None, create_graph=False");
  method(t, "zero_", t_zero_, "self");
  method(t, "fill_", t_fill_, "self, value");
  method(t, "numel", t_numel, "self");
  method(t, "dim", t_dim, "self");
  method(t, "size", t_size, "self, dim=None");
  method(t, "float", t_float_, "self");
  method(t, "double", t_double, "self");
  t->update_slots();
  ip.def_property(t, "grad", t_get_grad, t_set_grad);
  ip.def_property(t, "requires_grad", t_get_requires_grad, t_set_requires_grad);
  ip.def_property(t, "is_leaf", t_is_leaf);
  ip.def_property(t, "grad_fn", t_grad_fn);
  ip.def_property(t, "shape", t_shape);
  ip.def_property(t, "dtype", t_dtype);
  ip.def_property(t, "ndim", t_ndim);
  ip.def_property(t, "data", t_data);

  // grad_fn objects: not creatable from Python
  type_object* n = ts.node = ip.def_type(m, "_Node", nullptr, nullptr);
  n->alloc = alloc_native<node_ptr>;
  method(n, "__repr__", node_repr, "self");
  method(n, "__eq__", node_eq, "self, other");
  method(n, "__hash__", node_hash, "self");
  method(n, "name", node_name, "self");
  n->update_slots();
  ip.def_property(n, "next_functions", node_next);
  ip.def_property(n, "variable", node_variable);

  type_object* d = ts.dtype = ip.def_type(m, "dtype", nullptr, nullptr);
  d->alloc = alloc_native<gradlab::dtype>;
  method(d, "__repr__", dtype_repr, "self");
  d->update_slots();
  ip.def_property(d, "is_floating_point", dtype_is_float);
  value f32 = new_native<gradlab::dtype>(d, gradlab::dtype::float32);
  value f64 = new_native<gradlab::dtype>(d, gradlab::dtype::float64);
  ts.float32 = f32.as_object();  // the module's names keep them alive
  ts.float64 = f64.as_object();
  ip.set(m, "float32", f32);
  ip.set(m, "float", f32);
  ip.set(m, "float64", f64);
  ip.set(m, "double", f64);
}

}  // namespace gradlab::py::torch
