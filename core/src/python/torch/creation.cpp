// Making tensors: torch.tensor from nested lists of numbers, zeros/ones/full and their
// *_like, and PyTorch's random numbers (core/src/random): manual_seed, rand, randn.
//
// gradlab's tensors are float32 or float64 for now. A list of ints is an int64 tensor in
// PyTorch (and of bools a bool tensor): rather than print a float32 tensor where PyTorch
// prints `tensor([1, 2])`, those raise NotImplementedError naming int64 (or bool) until the
// engine has those dtypes.
#include "gradlab/random.hpp"
#include "python/torch/torch_internal.hpp"

namespace gradlab::py::torch {

namespace {

struct scan {
  shape_t shape;
  std::vector<double> values;
  bool any_float = false, any_int = false, any_bool = false;
};

void scan_data(const value& v, std::size_t dim, scan& s) {
  native_tick();
  if (v.is_float()) {
    s.any_float = true;
  } else if (v.is_int()) {
    s.any_int = true;
  } else if (v.is_bool()) {
    s.any_bool = true;
  } else if (is_tensor(v)) {
    const Tensor& t = tensor_arg(v);
    if (t.numel() != 1)
      raise(rt().e_value, "only one element tensors can be converted to Python scalars");
    s.any_float = true;
  } else if (v.is_object() &&
             (v.type() == rt().t_list || v.type() == rt().t_tuple ||
              v.type()->is_subtype(rt().t_list) || v.type()->is_subtype(rt().t_tuple))) {
    const std::vector<value> items = to_vector(v);
    if (dim == s.shape.size()) {
      if (s.values.empty() && dim == s.shape.size()) s.shape.push_back(items.size());
    } else if (s.shape[dim] != items.size()) {
      raisef(rt().e_value, "expected sequence of length %lld at dim %lld (got %lld)",
             static_cast<long long>(s.shape[dim]), static_cast<long long>(dim),
             static_cast<long long>(items.size()));
    }
    for (const value& x : items) scan_data(x, dim + 1, s);
    return;
  } else if (v.is_object() && v.type()->is_subtype(rt().t_str)) {
    raise(rt().e_value, "too many dimensions 'str'");
  } else {
    raisef(rt().e_runtime, "Could not infer dtype of %s", tname(v));
  }
  if (dim != s.shape.size())
    raisef(rt().e_value, "expected sequence of length %lld at dim %lld (got 0)",
           static_cast<long long>(s.shape[dim]), static_cast<long long>(dim));
  s.values.push_back(v.is_float()  ? v.as_float()
                     : v.is_int()  ? static_cast<double>(v.as_int())
                     : v.is_bool() ? (v.as_bool() ? 1.0 : 0.0)
                                   : tensor_arg(v).item());
}

[[noreturn]] void no_int_dtype(const char* what, const char* dtype) {
  raisef(rt().e_notimpl,
         "%s would make a torch.%s tensor, which gradlab does not have yet (only float32 and "
         "float64): write the numbers as floats (1.0) or pass dtype=torch.float32",
         what, dtype);
}

Tensor finish(Tensor t, interpreter& ip, const value& requires_grad) {
  if (!requires_grad.is_null() && ip.truthy(requires_grad)) t.requires_grad_(true);
  return t;
}

// tensor(data, *, dtype=None, device=None, requires_grad=False)
value f_tensor(interpreter& ip, value* a, std::size_t, native_function*) {
  scan s;
  scan_data(a[0], 0, s);
  if (a[1].is_none() && !s.any_float && (s.any_int || s.any_bool))
    no_int_dtype("torch.tensor() of integers", s.any_int ? "int64" : "bool");
  const gradlab::dtype d = dtype_arg(a[1]);
  return wrap(finish(Tensor::from_values(s.values, s.shape, d), ip, a[3]));
}

// zeros(*size, dtype=None, requires_grad=False) and friends
template <int Fill>
value f_filled(interpreter& ip, value* a, std::size_t, native_function*) {
  const std::vector<value> dims = to_vector(a[0]);
  const shape_t s = shape_args(dims.data(), dims.size());
  return wrap(finish(Tensor::full(s, Fill, dtype_arg(a[1])), ip, a[2]));
}
// full(size, fill_value, *, dtype=None, requires_grad=False)
value f_full(interpreter& ip, value* a, std::size_t, native_function*) {
  const shape_t s = shape_args(&a[0], 1);
  if (a[2].is_none() && (a[1].is_int() || a[1].is_bool()))
    no_int_dtype("torch.full() with an integer fill_value", a[1].is_int() ? "int64" : "bool");
  return wrap(finish(Tensor::full(s, to_double(a[1]), dtype_arg(a[2])), ip, a[3]));
}
gradlab::dtype like_dtype(const value& given, const Tensor& like) {
  return given.is_none() ? like.dtype() : dtype_arg(given);
}
template <int Fill>
value f_filled_like(interpreter& ip, value* a, std::size_t, native_function*) {
  const Tensor& like = tensor_arg(a[0]);
  return wrap(finish(Tensor::full(like.shape(), Fill, like_dtype(a[1], like)), ip, a[2]));
}
value f_full_like(interpreter& ip, value* a, std::size_t, native_function*) {
  const Tensor& like = tensor_arg(a[0]);
  return wrap(
      finish(Tensor::full(like.shape(), to_double(a[1]), like_dtype(a[2], like)), ip, a[3]));
}

value f_manual_seed(interpreter&, value* a, std::size_t, native_function*) {
  const std::int64_t seed = index_of(a[0], "seed");
  random::default_generator().manual_seed(static_cast<std::uint64_t>(seed));
  return value::none();
}
value f_initial_seed(interpreter&, value*, std::size_t, native_function*) {
  return value::from_int(static_cast<std::int64_t>(random::default_generator().initial_seed()));
}
template <bool Normal>
value f_random(interpreter& ip, value* a, std::size_t, native_function*) {
  const std::vector<value> dims = to_vector(a[0]);
  const shape_t s = shape_args(dims.data(), dims.size());
  const gradlab::dtype d = dtype_arg(a[1]);
  return wrap(finish(Normal ? random::randn(s, d) : random::rand(s, d), ip, a[2]));
}
template <bool Normal>
value f_random_like(interpreter& ip, value* a, std::size_t, native_function*) {
  const Tensor& like = tensor_arg(a[0]);
  const gradlab::dtype d = like_dtype(a[1], like);
  return wrap(
      finish(Normal ? random::randn(like.shape(), d) : random::rand(like.shape(), d), ip, a[2]));
}

value f_is_grad_enabled(interpreter&, value*, std::size_t, native_function*) {
  return value::from_bool(grad_enabled());
}
value f_set_grad_enabled(interpreter& ip, value* a, std::size_t, native_function*) {
  set_grad_enabled(ip.truthy(a[0]));
  return value::none();
}
value f_is_tensor(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_bool(is_tensor(a[0]));
}
value f_numel(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_int(static_cast<std::int64_t>(tensor_arg(a[0]).numel()));
}

}  // namespace

void def_creation(interpreter& ip, module_object& m) {
  ip.def(m, "tensor", f_tensor, "data, *, dtype=None, device=None, requires_grad=False");
  ip.def(m, "zeros", f_filled<0>, "*size, dtype=None, requires_grad=False");
  ip.def(m, "ones", f_filled<1>, "*size, dtype=None, requires_grad=False");
  ip.def(m, "full", f_full, "size, fill_value, *, dtype=None, requires_grad=False");
  ip.def(m, "zeros_like", f_filled_like<0>, "input, *, dtype=None, requires_grad=False");
  ip.def(m, "ones_like", f_filled_like<1>, "input, *, dtype=None, requires_grad=False");
  ip.def(m, "full_like", f_full_like, "input, fill_value, *, dtype=None, requires_grad=False");
  ip.def(m, "manual_seed", f_manual_seed, "seed");
  ip.def(m, "initial_seed", f_initial_seed, "");
  ip.def(m, "rand", f_random<false>, "*size, dtype=None, requires_grad=False");
  ip.def(m, "randn", f_random<true>, "*size, dtype=None, requires_grad=False");
  ip.def(m, "rand_like", f_random_like<false>, "input, *, dtype=None, requires_grad=False");
  ip.def(m, "randn_like", f_random_like<true>, "input, *, dtype=None, requires_grad=False");
  ip.def(m, "is_grad_enabled", f_is_grad_enabled, "");
  ip.def(m, "_set_grad_enabled", f_set_grad_enabled, "mode");
  ip.def(m, "is_tensor", f_is_tensor, "obj");
  ip.def(m, "numel", f_numel, "input");
}

}  // namespace gradlab::py::torch
