#pragma once
// Private: sum's and mean's rules over a flat array, forward and backward side by side, and
// the broadcast reduction's row sums (sum_to), shared by reduce.cpp and the session's fused
// training step (session/fused_train.cpp).
#include <array>
#include <cstddef>
#include <type_traits>

namespace gradlab::kernels {

/// The float64 sum of f(a[0]) ... f(a[n - 1]) added up in ATen's order (SumKernel.cpp's
/// cascade_sum on 4-lane vectors: the AVX2 kernel, which PyTorch also runs on AVX-512
/// machines): whole vectors go round-robin into four accumulators, which are folded into
/// coarser levels every 16 groups of four; the accumulators are then added together, the
/// leftover elements summed one by one, and the four lanes added to that. Checked against
/// torch.sum for n = 1 to 300, 1000, 5000 and 70000 (single-threaded, as golden files are
/// made). mean() and the losses divide this sum, LBFGS steps by 1 / |g|_1, and iterative
/// runs amplify its last bit.
template <class F>
double cascade_sum(const double* a, std::size_t n, F f) {
  constexpr std::size_t lanes = 4, ilp = 4, levels = 4, level_step = 16;
  using lane_t = std::array<double, lanes>;
  if (n < lanes) {  // too short for one vector: ATen adds the elements in order
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += f(a[i]);
    return s;
  }
  const std::size_t n_vec = n / lanes, n_groups = n_vec / ilp;
  auto add_vec = [&](lane_t& acc, std::size_t v) {
    for (std::size_t l = 0; l < lanes; ++l) acc[l] += f(a[v * lanes + l]);
  };
  auto add_to = [](lane_t& acc, const lane_t& b) {
    for (std::size_t l = 0; l < lanes; ++l) acc[l] += b[l];
  };
  // multi_row_sum: acc[level][k] for the k-th vector of each group of four
  std::array<std::array<lane_t, ilp>, levels> acc{};
  std::size_t g = 0;
  while (g + level_step <= n_groups) {
    for (std::size_t j = 0; j < level_step; ++j, ++g)
      for (std::size_t k = 0; k < ilp; ++k) add_vec(acc[0][k], g * ilp + k);
    for (std::size_t lv = 1; lv < levels; ++lv) {
      for (std::size_t k = 0; k < ilp; ++k) {
        add_to(acc[lv][k], acc[lv - 1][k]);
        // element by element: Emscripten's clang with -msimd128 miscompiled `= lane_t{}`
        // here (the fold lost a level's sums; the [reduce] test catches it)
        for (double& x : acc[lv - 1][k]) x = 0;
      }
      if ((g & ((level_step - 1) << (lv * 4))) != 0) break;
    }
  }
  for (; g < n_groups; ++g)
    for (std::size_t k = 0; k < ilp; ++k) add_vec(acc[0][k], g * ilp + k);
  for (std::size_t lv = 1; lv < levels; ++lv)
    for (std::size_t k = 0; k < ilp; ++k) add_to(acc[0][k], acc[lv][k]);
  // row_sum: the vectors left over go into the first partial sum, then the partials are added
  for (std::size_t v = n_groups * ilp; v < n_vec; ++v) add_vec(acc[0][0], v);
  for (std::size_t k = 1; k < ilp; ++k) add_to(acc[0][0], acc[0][k]);
  // vectorized_inner_sum: the elements after the last whole vector, then the lanes
  double s = 0;
  for (std::size_t i = n_vec * lanes; i < n; ++i) s += f(a[i]);
  for (double lane : acc[0][0]) s += lane;
  return s;
}

/// sum(a): float64 in ATen's order (cascade_sum); float32 accumulated in double (sums of the
/// book's 11 values stay exact-ish) and rounded once. Backward: d(sum a)/da_i = 1: every
/// element gets the gradient.
template <class T>
T sum_of(const T* a, std::size_t n) {
  if constexpr (std::is_same_v<T, double>) {
    return cascade_sum(a, n, [](double x) { return x; });
  } else {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += a[i];
    return static_cast<T>(s);
  }
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
