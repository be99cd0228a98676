#include "ops/kernels.hpp"

#include <algorithm>
#include <cmath>

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
