#pragma once
// Private: sum's and mean's rules over a flat array, forward and backward side by side, and
// the broadcast reduction's row sums (sum_to), shared by reduce.cpp and the session's fused
// training step (session/fused_train.cpp).
#include <cstddef>

namespace gradlab::kernels {

/// sum(a): accumulated in double (float32 sums of the book's 11 values stay exact-ish),
/// rounded to T once. Backward: d(sum a)/da_i = 1: every element gets the gradient.
template <class T>
T sum_of(const T* a, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += a[i];
  return static_cast<T>(s);
}

/// mean(a): the sum in a's dtype, then divided, as PyTorch's mean does.
template <class T>
T mean_of(const T* a, std::size_t n) {
  return sum_of(a, n) / static_cast<T>(n);
}
/// d(mean a)/da_i = 1/n: every element gets g / n.
template <class T>
T mean_grad(T g, std::size_t n) {
  return g / static_cast<T>(n);
}

/// out[j] = sum over rows r of in[r * m + j]: n values as whole rows of m, summed in row order
/// (the reverse of broadcasting a trailing block, sum_to's common case). out holds m zeros.
template <class T>
void sum_rows(const T* in, std::size_t n, std::size_t m, T* out);

}  // namespace gradlab::kernels
