#pragma once
// Private kernel helpers shared by the op files: dtype resolution, casting and the
// broadcasting elementwise loops. Only this layer touches raw xtensor storage.
#include <type_traits>
#include <xtensor/xarray.hpp>

#include "gradlab/autograd.hpp"
#include "gradlab/tensor.hpp"
#include "util/inline.hpp"

namespace gradlab::kernels {

/// PyTorch's result dtype for a binary op: wrapped numbers never promote, and 0-dim
/// tensors promote only when every operand is 0-dim.
dtype result_dtype(const Tensor& a, const Tensor& b);

/// t's storage as xarray<T>: a reference when the dtype already matches, else a cast copy in tmp.
template <class T>
const xt::xarray<T>& as(const Tensor& t, xt::xarray<T>& tmp) {
  if (auto* p = std::get_if<xt::xarray<T>>(&t.storage())) return *p;
  return std::visit(
      [&](const auto& a) -> const xt::xarray<T>& {
        tmp = xt::xarray<T>::from_shape(a.shape());
        for (std::size_t i = 0; i < a.size(); ++i) tmp.data()[i] = static_cast<T>(a.data()[i]);
        return tmp;
      },
      t.storage());
}

// Code size: every elementwise op instantiates only its innermost loops, one contiguous
// loop per dtype (map_loop / zip_loop below), and passes them by pointer to drivers that
// are compiled once (kernels.cpp): allocation, dtype casts and broadcasting live there.
// Inlining the broadcast cases into every op made each op 10-25 KB of WebAssembly.

/// r[i] = f(a[i]) for i < n; f points at the op's functor.
template <class T>
using map_fn = void (*)(const void* f, const T* a, T* r, std::size_t n);
/// r[i] = f(a[i], b[i]) for i < n; r is a fresh buffer, a and b may alias each other.
template <class T>
using zip_fn = void (*)(const void* f, const T* a, const T* b, T* r, std::size_t n);

/// An elementwise functor whose work per element is one long dependency chain (exp and log
/// by Horner polynomials in double): its loop runs two vectors per trip. V8 overlaps little
/// of one trip's chain with the next, and a second independent chain takes a third off (BCE
/// with logits on 1000 elements, op overhead included: 19.4 -> 13.0 ns per element; sigmoid
/// 7.8 -> 6.2). Only float32 loops: float64 ones call libm and do not vectorise. Cheap
/// functors keep the single loop, which is smaller code. Wrap with long_chain{f}.
template <class F>
struct long_chain : F {};
template <class F>
long_chain(F) -> long_chain<F>;

template <class F>
struct interleaved : std::false_type {};
template <class F>
struct interleaved<long_chain<F>> : std::true_type {};

#if defined(__clang__)
#define GRADLAB_TWO_VECTORS_PER_TRIP _Pragma("clang loop interleave_count(2)")
#else
#define GRADLAB_TWO_VECTORS_PER_TRIP
#endif

template <class T, class F>
void map_loop(const void* fp, const T* __restrict a, T* __restrict r, std::size_t n) {
  const F f = *static_cast<const F*>(fp);  // a local copy: its captures stay in registers
  if constexpr (interleaved<F>::value && std::is_same_v<T, float>) {
    GRADLAB_TWO_VECTORS_PER_TRIP
    for (std::size_t i = 0; i < n; ++i) r[i] = static_cast<T>(f(a[i]));
  } else {
    for (std::size_t i = 0; i < n; ++i) r[i] = static_cast<T>(f(a[i]));
  }
}

template <class T, class F>
void zip_loop(const void* fp, const T* __restrict a, const T* __restrict b, T* __restrict r,
              std::size_t n) {
  const F f = *static_cast<const F*>(fp);
  if constexpr (interleaved<F>::value && std::is_same_v<T, float>) {
    GRADLAB_TWO_VECTORS_PER_TRIP
    for (std::size_t i = 0; i < n; ++i) r[i] = static_cast<T>(f(a[i], b[i]));
  } else {
    for (std::size_t i = 0; i < n; ++i) r[i] = static_cast<T>(f(a[i], b[i]));
  }
}

/// r[i] = f(x[i], y[i], z[i]) for i < n.
template <class T>
using zip3_fn = void (*)(const void* f, const T* x, const T* y, const T* z, T* r, std::size_t n);

template <class T, class F>
void zip3_loop(const void* fp, const T* __restrict x, const T* __restrict y, const T* __restrict z,
               T* __restrict r, std::size_t n) {
  const F f = *static_cast<const F*>(fp);
  for (std::size_t i = 0; i < n; ++i) r[i] = static_cast<T>(f(x[i], y[i], z[i]));
}

/// Strides of `in` viewed at the broadcast shape `out` (0 on broadcast dims).
std::vector<std::size_t> broadcast_strides(const shape_t& in, const shape_t& out);

/// Whether `in` (leading 1s aside) is the trailing part of `out`: then `in` repeats as
/// whole rows of out, the bias of a linear layer being the common case.
template <class Shape>
bool is_trailing(const Shape& in, const shape_t& out) {
  std::size_t lead = 0;
  while (lead < in.size() && in[lead] == 1) ++lead;
  const std::size_t k = in.size() - lead;
  if (k > out.size()) return false;
  for (std::size_t i = 0; i < k; ++i)
    if (in[lead + i] != out[out.size() - k + i]) return false;
  return true;
}

/// a and b broadcast to `out`, combined by `loop` (a zip_loop) into a fresh array.
template <class T>
xt::xarray<T> zip(const xt::xarray<T>& a, const xt::xarray<T>& b, const shape_t& out,
                  zip_fn<T> loop, const void* f);

template <class T, class F>
xt::xarray<T> map_binary(const xt::xarray<T>& a, const xt::xarray<T>& b, const shape_t& out, F f) {
  return zip<T>(a, b, out, &zip_loop<T, F>, &f);
}

Tensor unary_with(const Tensor& t, map_fn<float> f32, map_fn<double> f64, const void* f);
Tensor binary_with(const Tensor& a, const Tensor& b, zip_fn<float> f32, zip_fn<double> f64,
                   const void* f);

Tensor ternary_with(const Tensor& x, const Tensor& y, const Tensor& z, zip3_fn<float> f32,
                    zip3_fn<double> f64, const void* f);

/// Applies f(x) elementwise in t's dtype.
template <class F>
Tensor unary(const Tensor& t, F f) {
  return unary_with(t, &map_loop<float, F>, &map_loop<double, F>, &f);
}

/// Applies f(x, y) elementwise with broadcasting and PyTorch's dtype promotion.
template <class F>
Tensor binary(const Tensor& a, const Tensor& b, F f) {
  return binary_with(a, b, &zip_loop<float, F>, &zip_loop<double, F>, &f);
}

/// Applies f(x, y, z) elementwise in x's dtype and shape, y and z broadcast to it: a backward
/// formula, x being the incoming gradient (whose shape is the broadcast of the op's inputs).
template <class F>
Tensor ternary(const Tensor& x, const Tensor& y, const Tensor& z, F f) {
  return ternary_with(x, y, z, &zip3_loop<float, F>, &zip3_loop<double, F>, &f);
}

/// A row-major array seen as outer x size x inner blocks around one dimension: the loop
/// structure of every op that works along a dim (reductions, softmax, cat, ...).
struct dim_split {
  std::size_t outer = 1, size = 1, inner = 1;
  dim_split(const shape_t& s, std::size_t dim) {
    for (std::size_t i = 0; i < dim; ++i) outer *= s[i];
    size = s[dim];
    for (std::size_t i = dim + 1; i < s.size(); ++i) inner *= s[i];
  }
};

/// A copy of t's values under another shape of the same size (no graph).
Tensor with_shape(const Tensor& t, const shape_t& shape);

/// Whole-number values of a float tensor used as indices (gradlab has no integer dtype).
std::vector<std::int64_t> to_indices(const Tensor& t);

/// Makes the node and wires it when any input requires grad in grad mode; returns null
/// otherwise. `make` builds the node (its saved tensors) only when it is needed.
template <class NodeT, class Make>
std::shared_ptr<NodeT> record(std::initializer_list<const Tensor*> inputs, Tensor& out, Make make) {
  if (!grad_enabled()) return nullptr;
  bool any = false;
  for (auto* t : inputs) any = any || (t->defined() && t->requires_grad());
  if (!any) return nullptr;
  std::shared_ptr<NodeT> node = make();
  connect(node, std::vector<const Tensor*>(inputs), {&out});
  return node;
}

/// record() for a one-input op whose node is NodeT(args...).
template <class NodeT, class... Args>
void record_one(const Tensor& a, Tensor& out, const Args&... args) {
  record<NodeT>({&a}, out, [&] { return std::make_shared<NodeT>(args...); });
}

/// What a one-input op's backward keeps: its input, or its result.
enum class keep { input, result };

/// The forward of a one-input elementwise op: f(a) in a's dtype, recording NodeT(kept,
/// is_result) (a OneSavedNode) when a needs grad.
template <class NodeT, class F>
Tensor unary_op(const Tensor& a, keep k, F f) {
  Tensor out = unary(a, f);
  record_one<NodeT>(a, out, k == keep::result ? out : a, k == keep::result);
  return out;
}

}  // namespace gradlab::kernels
