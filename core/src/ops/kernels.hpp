#pragma once
// Private kernel helpers shared by the op files: dtype resolution, casting and the
// broadcasting elementwise loops. Only this layer touches raw xtensor storage.
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

template <class T, class F>
xt::xarray<T> map_unary(const xt::xarray<T>& a, F f) {
  xt::xarray<T> r = xt::xarray<T>::from_shape(a.shape());
  // restrict: r is a fresh buffer, so loops need no overlap checks before vectorising
  const T* __restrict ap = a.data();
  T* __restrict rp = r.data();
  const std::size_t n = a.size();
  for (std::size_t i = 0; i < n; ++i) rp[i] = f(ap[i]);
  return r;
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

template <class T, class F>
xt::xarray<T> map_binary(const xt::xarray<T>& a, const xt::xarray<T>& b, const shape_t& out, F f) {
  xt::xarray<T> r = xt::xarray<T>::from_shape(out);
  T* __restrict rp = r.data();  // a fresh buffer (a and b may alias each other: both only read)
  const T* __restrict ap = a.data();
  const T* __restrict bp = b.data();
  const std::size_t n = r.size();
  if (a.size() == n && b.size() == n) {  // same shape: the loop the compiler vectorises
    for (std::size_t i = 0; i < n; ++i) rp[i] = f(ap[i], bp[i]);
  } else if (b.size() == 1 && a.size() == n) {
    const T bv = bp[0];
    for (std::size_t i = 0; i < n; ++i) rp[i] = f(ap[i], bv);
  } else if (a.size() == 1 && b.size() == n) {
    const T av = ap[0];
    for (std::size_t i = 0; i < n; ++i) rp[i] = f(av, bp[i]);
  } else if (n > 0 && a.size() == n && is_trailing(b.shape(), out)) {  // b repeats per row
    const std::size_t m = b.size();
    for (std::size_t r = 0; r < n; r += m)
      for (std::size_t j = 0; j < m; ++j) rp[r + j] = f(ap[r + j], bp[j]);
  } else if (n > 0 && b.size() == n && is_trailing(a.shape(), out)) {  // a repeats per row
    const std::size_t m = a.size();
    for (std::size_t r = 0; r < n; r += m)
      for (std::size_t j = 0; j < m; ++j) rp[r + j] = f(ap[j], bp[r + j]);
  } else if (n > 0) {  // general broadcast: an odometer over the output index
    const shape_t as(a.shape().begin(), a.shape().end()), bs(b.shape().begin(), b.shape().end());
    const auto sa = broadcast_strides(as, out), sb = broadcast_strides(bs, out);
    const std::size_t nd = out.size();
    std::vector<std::size_t> idx(nd, 0);
    std::size_t ia = 0, ib = 0;
    for (std::size_t k = 0; k < n; ++k) {
      rp[k] = f(ap[ia], bp[ib]);
      for (std::size_t d = nd; d-- > 0;) {
        ia += sa[d];
        ib += sb[d];
        if (++idx[d] < out[d]) break;
        ia -= sa[d] * out[d];
        ib -= sb[d] * out[d];
        idx[d] = 0;
      }
    }
  }
  return r;
}

/// Applies f(x) elementwise in t's dtype.
template <class F>
Tensor unary(const Tensor& t, F f) {
  return dispatch(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    return Tensor(
        map_unary<T>(t.data<T>(), [&](T x) GRADLAB_INLINE_LAMBDA { return static_cast<T>(f(x)); }));
  });
}

/// Applies f(x, y) elementwise with broadcasting and PyTorch's dtype promotion.
template <class F>
Tensor binary(const Tensor& a, const Tensor& b, F f) {
  const shape_t out = broadcast_shapes(a.shape(), b.shape());
  return dispatch(result_dtype(a, b), [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> ta, tb;
    return Tensor(map_binary<T>(as<T>(a, ta), as<T>(b, tb), out,
                                [&](T x, T y)
                                    GRADLAB_INLINE_LAMBDA { return static_cast<T>(f(x, y)); }));
  });
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

}  // namespace gradlab::kernels
