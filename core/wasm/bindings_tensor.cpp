// The tensor's own functions for the JS API, exported as plain C functions over slot numbers
// (tensor_table.hpp): creation, metadata, data, autograd fields, backward, in-place ops, and
// the spill/restore pair with which the JS side moves a tensor's state out of the heap and
// back. Numbers and slots only: each call is a direct WebAssembly call, no Embind invoker.
// Every function is guarded: an engine error lands in the error slot (gl_has_error), and the
// function returns 0 (no slot), NaN or nothing.
#include <cmath>
#include <variant>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "tensor_table.hpp"

using gradlab::Tensor;
using gradlab::TensorImpl;
using gradlab_wasm::g_error;
using gradlab_wasm::g_tensors;
using gradlab_wasm::guarded;
using gradlab_wasm::put;
using gradlab_wasm::scratch;
using gradlab_wasm::T;

namespace {

gradlab::dtype dtype_of(int code) {
  return code ? gradlab::dtype::float64 : gradlab::dtype::float32;
}
int code_of(gradlab::dtype d) { return d == gradlab::dtype::float64 ? 1 : 0; }

std::uintptr_t data_address(const Tensor& t) {
  return std::visit([](const auto& a) { return reinterpret_cast<std::uintptr_t>(a.data()); },
                    t.storage());
}

// Flags shared by gl_meta and the spill record.
enum : int { kRequiresGrad = 1, kLeaf = 2, kHasGrad = 4, kFloat64 = 8 };

int flags_of(const Tensor& t) {
  return (t.requires_grad() ? kRequiresGrad : 0) | (t.is_leaf() ? kLeaf : 0) |
         (t.impl()->grad ? kHasGrad : 0) | (t.dtype() == gradlab::dtype::float64 ? kFloat64 : 0);
}

// Whether the JS side may copy t's state out and free it without anything observable
// changing, but for the documented loss of a spent graph: nothing in the engine holds it (no
// graph saved it, no optimizer, no other slot: use_count 1), its graph (if any) has been
// released by a backward, and its grad (if any) is a plain dense tensor that only it holds,
// or it and the JS side's view of t.grad (grad_view: that view's slot, or 0), which is then
// spilled with it.
bool spillable(const Tensor& t, int grad_view) {
  const auto& p = t.impl_ptr();
  if (p.use_count() != 1) return false;
  const TensorImpl& i = *p;
  if (i.wrapped_number || i.sparse_rows || !i.grad_accumulator.expired()) return false;
  if (i.grad_fn && (!i.grad_fn->released() || i.grad)) return false;
  if (const auto& g = i.grad) {
    const long holders = grad_view && T(grad_view).impl_ptr() == g ? 2 : 1;
    if (g.use_count() != holders || g->grad_fn || g->requires_grad || g->grad || g->sparse_rows ||
        !g->grad_accumulator.expired() || g->data.index() != i.data.index())
      return false;
    const bool same_shape = std::visit(
        [&](const auto& a) {
          return std::visit([&](const auto& b) { return a.shape() == b.shape(); }, g->data);
        },
        i.data);
    if (!same_shape) return false;
  }
  return true;
}

}  // namespace

GL_EXPORT(gl_has_error) int gl_has_error() { return g_error.set ? 1 : 0; }

GL_EXPORT(gl_scratch) double* gl_scratch(int n) {
  auto& s = scratch();
  if (n > 0 && static_cast<std::size_t>(n) > s.size()) s.resize(static_cast<std::size_t>(n));
  return s.data();
}

GL_EXPORT(gl_release) void gl_release(int id) {
  guarded([&] { g_tensors.release(id); });
}
GL_EXPORT(gl_live_slots) int gl_live_slots() { return static_cast<int>(g_tensors.live()); }

// PyTorch's size errors for the ndim sizes in the scratch buffer, before anything is
// allocated on either side (tensor() checks its nested list's shape with this first).
GL_EXPORT(gl_check_shape) void gl_check_shape(int ndim) {
  guarded([&] { gradlab_wasm::checked_shape(scratch().data(), ndim); });
}

// torch.full(shape, value): shape (ndim sizes) in the scratch buffer.
GL_EXPORT(gl_full) int gl_full(int dtype, int ndim, double value, int requires_grad) {
  return put([&] {
    Tensor t =
        Tensor::full(gradlab_wasm::checked_shape(scratch().data(), ndim), value, dtype_of(dtype));
    if (requires_grad) t.requires_grad_(true);
    return t;
  });
}

// The data's address in the heap (valid until the next call that may allocate).
GL_EXPORT(gl_data) std::uintptr_t gl_data(int id) {
  return guarded([&] { return data_address(T(id)); });
}
// The data's size in bytes (the JS side's budget of what it keeps in the heap).
GL_EXPORT(gl_nbytes) double gl_nbytes(int id) {
  return guarded([&] {
    return static_cast<double>(T(id).numel() * (T(id).dtype() == gradlab::dtype::float64 ? 8 : 4));
  });
}
GL_EXPORT(gl_numel) int gl_numel(int id) {
  return guarded([&] { return static_cast<int>(T(id).numel()); });
}
// ndim; the sizes go to the scratch buffer.
GL_EXPORT(gl_shape) int gl_shape(int id) {
  return guarded([&] {
    const auto s = T(id).shape();
    auto& out = scratch();
    if (out.size() < s.size()) out.resize(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) out[i] = static_cast<double>(s[i]);
    return static_cast<int>(s.size());
  });
}
GL_EXPORT(gl_meta) int gl_meta(int id) {
  return guarded([&] { return flags_of(T(id)); });
}
GL_EXPORT(gl_version) double gl_version(int id) {
  return guarded([&] { return static_cast<double>(T(id).version()); });
}
GL_EXPORT(gl_same) int gl_same(int a, int b) {
  return guarded([&] { return T(a).same(T(b)) ? 1 : 0; });
}
// The name's number (gradlab_wasm::name_of), or -1 for a leaf.
GL_EXPORT(gl_grad_fn_name) int gl_grad_fn_name(int id) {
  return guarded([&] {
    const auto& fn = T(id).grad_fn();
    return fn ? gradlab_wasm::name_id(fn->name()) : -1;
  });
}

GL_EXPORT(gl_set_requires_grad) void gl_set_requires_grad(int id, int on) {
  guarded([&] { g_tensors.at(id).requires_grad_(on != 0); });
}
GL_EXPORT(gl_grad) int gl_grad(int id) {
  return put([&] { return T(id).grad(); });
}
// Whether slot g holds t's current grad (the JS side hands out one wrapper per grad, as
// PyTorch's p.grad is the same object each time).
GL_EXPORT(gl_is_grad_of) int gl_is_grad_of(int g, int t) {
  return guarded([&] { return T(t).impl()->grad == T(g).impl_ptr() ? 1 : 0; });
}
// grad_id 0: None.
GL_EXPORT(gl_set_grad) void gl_set_grad(int id, int grad_id) {
  guarded([&] { g_tensors.at(id).set_grad(grad_id ? T(grad_id) : Tensor()); });
}
GL_EXPORT(gl_item) double gl_item(int id) {
  return guarded([&] { return T(id).item(); });
}
GL_EXPORT(gl_detach) int gl_detach(int id) {
  return put([&] { return T(id).detach(); });
}
GL_EXPORT(gl_clone) int gl_clone(int id) {
  return put([&] { return T(id).clone(); });
}
GL_EXPORT(gl_to) int gl_to(int id, int dtype) {
  return put([&] { return T(id).to(dtype_of(dtype)); });
}
// gradient_id 0: implicit (a scalar's 1).
GL_EXPORT(gl_backward) void gl_backward(int id, int gradient_id, int retain_graph) {
  guarded([&] { T(id).backward(gradient_id ? T(gradient_id) : Tensor(), retain_graph != 0); });
}
GL_EXPORT(gl_wrap_scalar) int gl_wrap_scalar(double v, int like) {
  return put([&] { return gradlab::wrap_scalar(v, T(like)); });
}

// in place
GL_EXPORT(gl_add_) void gl_add_(int a, int b, double alpha) {
  guarded([&] { g_tensors.at(a).add_(T(b), alpha); });
}
GL_EXPORT(gl_mul_) void gl_mul_(int a, int b) {
  guarded([&] { g_tensors.at(a).mul_(T(b)); });
}
GL_EXPORT(gl_div_) void gl_div_(int a, int b) {
  guarded([&] { g_tensors.at(a).div_(T(b)); });
}
GL_EXPORT(gl_copy_) void gl_copy_(int a, int b) {
  guarded([&] { g_tensors.at(a).copy_(T(b)); });
}
GL_EXPORT(gl_zero_) void gl_zero_(int a) {
  guarded([&] { g_tensors.at(a).zero_(); });
}

// Spill: -1 when the tensor may not leave the heap (see spillable), else its ndim, with the
// record in the scratch buffer: [dtype, flags, version, grad version, grad_fn name or -1,
// numel, sizes...]. The JS side then copies the data (gl_data, gl_grad_data) and releases
// the slot (and grad_view's, when the grad is shared with it: gl_is_grad_of).
GL_EXPORT(gl_spill) int gl_spill(int id, int grad_view) {
  return guarded([&] {
    const Tensor& t = T(id);
    if (!spillable(t, grad_view)) return -1;
    const auto shape = t.shape();
    auto& out = scratch();
    if (out.size() < 6 + shape.size()) out.resize(6 + shape.size());
    out[0] = code_of(t.dtype());
    out[1] = flags_of(t);
    out[2] = t.version();
    out[3] = t.impl()->grad ? t.impl()->grad->version : 0;
    out[4] = t.grad_fn() ? gradlab_wasm::name_id(t.grad_fn()->name()) : -1;
    out[5] = static_cast<double>(t.numel());
    for (std::size_t i = 0; i < shape.size(); ++i) out[6 + i] = static_cast<double>(shape[i]);
    return static_cast<int>(shape.size());
  });
}
GL_EXPORT(gl_grad_data) std::uintptr_t gl_grad_data(int id) {
  return guarded([&] { return data_address(T(id).grad()); });
}
// The inverse: a tensor with the recorded sizes (in the scratch buffer), dtype, flags and
// versions; a non-leaf gets a released grad_fn of the recorded name. The JS side writes the
// data (and the grad's) through gl_data and gl_grad_data.
GL_EXPORT(gl_restore)
int gl_restore(int dtype, int ndim, int flags, double version, double grad_version, int name) {
  return put([&] {
    const auto shape = gradlab_wasm::checked_shape(scratch().data(), ndim);
    Tensor t = Tensor::zeros(shape, dtype_of(dtype));
    if (!(flags & kLeaf)) {
      gradlab::attach_released_grad_fn(t, gradlab_wasm::name_of(name));
    } else if (flags & kRequiresGrad) {
      t.requires_grad_(true);
    }
    if (flags & kHasGrad) {
      Tensor g = Tensor::zeros(shape, dtype_of(dtype));
      g.impl()->version = static_cast<std::uint32_t>(grad_version);
      t.impl()->grad = g.impl_ptr();
    }
    t.impl()->version = static_cast<std::uint32_t>(version);
    return t;
  });
}
