#include "ops/kernels.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "gradlab/error.hpp"

namespace gradlab::kernels {

dtype result_dtype(const Tensor& a, const Tensor& b) {
  const auto* ia = a.impl();
  const auto* ib = b.impl();
  if (ia->wrapped_number && !ib->wrapped_number) return b.dtype();
  if (ib->wrapped_number && !ia->wrapped_number) return a.dtype();
  const bool za = a.dim() == 0, zb = b.dim() == 0;
  if (za != zb) return za ? b.dtype() : a.dtype();
  return promote(a.dtype(), b.dtype());
}

std::vector<std::size_t> broadcast_strides(const shape_t& in, const shape_t& out) {
  std::vector<std::size_t> s(out.size(), 0);
  std::size_t stride = 1;
  for (std::size_t i = in.size(); i-- > 0;) {
    const std::size_t o = i + (out.size() - in.size());
    s[o] = in[i] == 1 ? 0 : stride;
    stride *= in[i];
  }
  return s;
}

namespace {
// Broadcast operands are fed to the contiguous loop in chunks of this many elements, from
// a stack buffer (a repeated scalar, a bias tiled to whole rows, or a gathered block).
constexpr std::size_t kChunk = 512;

template <class T>
void fill_tiled(T* buf, const T* row, std::size_t m, std::size_t len) {
  for (std::size_t i = 0; i < len; ++i) buf[i] = row[i % m];
}
}  // namespace

template <class T>
xt::xarray<T> zip(const xt::xarray<T>& a, const xt::xarray<T>& b, const shape_t& out,
                  zip_fn<T> loop, const void* f) {
  xt::xarray<T> r = xt::xarray<T>::from_shape(out);
  T* rp = r.data();
  const T* ap = a.data();
  const T* bp = b.data();
  const std::size_t n = r.size(), na = a.size(), nb = b.size();
  if (n == 0) return r;
  if (na == n && nb == n) {  // same shape: one call, the loop the compiler vectorised
    loop(f, ap, bp, rp, n);
    return r;
  }
  T buf[kChunk];
  // One operand repeats with period m (a scalar: m = 1; a trailing block such as a bias):
  // tile it into buf in whole periods, then walk the other operand chunk by chunk. The
  // chunks start at multiples of m, so each lines up with the tile.
  const bool b_repeats = na == n && (nb == 1 || is_trailing(b.shape(), out));
  const bool a_repeats = !b_repeats && nb == n && (na == 1 || is_trailing(a.shape(), out));
  if (b_repeats || a_repeats) {
    const T* rep = b_repeats ? bp : ap;  // the repeated block, then its tiled copy
    const T* full = b_repeats ? ap : bp;
    const std::size_t m = b_repeats ? nb : na;
    // a long block (more than half a chunk) is used in place, one period at a time
    const std::size_t tile = m > kChunk / 2 ? m : (kChunk / m) * m;
    if (tile != m) {
      fill_tiled(buf, rep, m, std::min(tile, n));
      rep = buf;
    }
    for (std::size_t i = 0; i < n; i += tile) {
      const std::size_t len = std::min(tile, n - i);
      b_repeats ? loop(f, full + i, rep, rp + i, len) : loop(f, rep, full + i, rp + i, len);
    }
    return r;
  }
  // General broadcast: gather both operands along the output's odometer, a chunk at a time.
  const shape_t as(a.shape().begin(), a.shape().end()), bs(b.shape().begin(), b.shape().end());
  const auto sa = broadcast_strides(as, out), sb = broadcast_strides(bs, out);
  const std::size_t nd = out.size();
  std::vector<std::size_t> idx(nd, 0);
  std::size_t ia = 0, ib = 0;
  T abuf[kChunk];
  for (std::size_t k0 = 0; k0 < n; k0 += kChunk) {
    const std::size_t len = std::min(kChunk, n - k0);
    for (std::size_t j = 0; j < len; ++j) {
      abuf[j] = ap[ia];
      buf[j] = bp[ib];
      for (std::size_t d = nd; d-- > 0;) {
        ia += sa[d];
        ib += sb[d];
        if (++idx[d] < out[d]) break;
        ia -= sa[d] * out[d];
        ib -= sb[d] * out[d];
        idx[d] = 0;
      }
    }
    loop(f, abuf, buf, rp + k0, len);
  }
  return r;
}

template xt::xarray<float> zip(const xt::xarray<float>&, const xt::xarray<float>&, const shape_t&,
                               zip_fn<float>, const void*);
template xt::xarray<double> zip(const xt::xarray<double>&, const xt::xarray<double>&,
                                const shape_t&, zip_fn<double>, const void*);

namespace {
/// The one of (for float, for double) that serves T.
template <class T, class A, class B>
auto for_dtype(A for_float, B for_double) {
  if constexpr (std::is_same_v<T, float>)
    return for_float;
  else
    return for_double;
}
}  // namespace

Tensor unary_with(const Tensor& t, map_fn<float> f32, map_fn<double> f64, const void* f) {
  return dispatch(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const xt::xarray<T>& a = t.data<T>();
    xt::xarray<T> r = xt::xarray<T>::from_shape(a.shape());
    for_dtype<T>(f32, f64)(f, a.data(), r.data(), a.size());
    return Tensor(std::move(r));
  });
}

Tensor binary_with(const Tensor& a, const Tensor& b, zip_fn<float> f32, zip_fn<double> f64,
                   const void* f) {
  const shape_t out = broadcast_shapes(a.shape(), b.shape());
  return dispatch(result_dtype(a, b), [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> ta, tb;
    return Tensor(zip<T>(as<T>(a, ta), as<T>(b, tb), out, for_dtype<T>(f32, f64), f));
  });
}

namespace {
struct first_fn {  // zip's broadcasting, used to expand its first operand
  template <class T>
  T operator()(T a, T) const {
    return a;
  }
};
}  // namespace

Tensor ternary_with(const Tensor& x, const Tensor& y, const Tensor& z, zip3_fn<float> f32,
                    zip3_fn<double> f64, const void* f) {
  const shape_t out = x.shape();
  const Tensor cy = y.to(x.dtype()), cz = z.to(x.dtype());
  return dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const xt::xarray<T>* py = &cy.data<T>();
    const xt::xarray<T>* pz = &cz.data<T>();
    const xt::xarray<T>& tx = x.data<T>();
    xt::xarray<T> ey, ez;
    const first_fn first;
    if (py->size() != tx.size()) py = &(ey = zip<T>(*py, tx, out, &zip_loop<T, first_fn>, &first));
    if (pz->size() != tx.size()) pz = &(ez = zip<T>(*pz, tx, out, &zip_loop<T, first_fn>, &first));
    xt::xarray<T> r = xt::xarray<T>::from_shape(out);
    for_dtype<T>(f32, f64)(f, tx.data(), py->data(), pz->data(), r.data(), r.size());
    return Tensor(std::move(r));
  });
}

Tensor with_shape(const Tensor& t, const shape_t& shape) {
  return dispatch(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> out = xt::xarray<T>::from_shape(shape);
    std::copy(t.data<T>().data(), t.data<T>().data() + t.numel(), out.data());
    return Tensor(std::move(out));
  });
}

std::vector<std::int64_t> to_indices(const Tensor& t) {
  std::vector<std::int64_t> out(t.numel());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const double v = t.at(i);
    if (v != std::floor(v))
      index_error("tensors used as indices must be long, int, byte or bool tensors");
    out[i] = static_cast<std::int64_t>(v);
  }
  return out;
}

}  // namespace gradlab::kernels
