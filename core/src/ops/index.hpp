#pragma once
// Private: select's forward and backward on flat arrays, shared by index.cpp and the
// session's fused training step (session/fused_train.cpp).
#include "ops/kernels.hpp"

namespace gradlab::kernels {

/// a[..., index, ...] along the dim `s` splits a around: out gets slice `index`.
template <class T>
void take_slice(const T* a, T* out, const dim_split& s, std::size_t index) {
  for (std::size_t o = 0; o < s.outer; ++o)
    for (std::size_t i = 0; i < s.inner; ++i)
      out[o * s.inner + i] = a[(o * s.size + index) * s.inner + i];
}

/// d(a[index])/da = one-hot at index: g lands in slice `index` of out (zeros elsewhere).
template <class T>
void put_slice(const T* g, T* out, const dim_split& s, std::size_t index) {
  for (std::size_t o = 0; o < s.outer; ++o)
    for (std::size_t i = 0; i < s.inner; ++i)
      out[(o * s.size + index) * s.inner + i] = g[o * s.inner + i];
}

}  // namespace gradlab::kernels
