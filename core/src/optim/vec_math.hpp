#pragma once
// Small dense vector/matrix helpers for the optimizers that work on flattened parameters
// (LBFGS) or whole matrices (Adafactor, Muon). Plain loops over std::vector in row-major
// order; no dependency on the op set.
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "elementwise.hpp"

namespace gradlab::optim::detail {

using vec = std::vector<double>;

/// torch.dot: ATen hands float64 dots to BLAS's ddot, whose order is the library's (netlib's
/// is this left-to-right loop; MKL's is not published). Of the orders tried (fused, 2 to 16
/// lanes, 1 to 4 accumulators), this one lands closest to the golden LBFGS runs.
inline double dot(const vec& a, const vec& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}
inline double max_abs(const vec& a) {
  double m = 0;
  for (double x : a) m = std::max(m, std::fabs(x));
  return m;
}
/// Tensor.abs().sum() of a float64 vector, added up in ATen's order (SumKernel.cpp's
/// cascade_sum on 4-lane vectors, as on the AVX2 machines that made the golden files): whole
/// vectors go round-robin into four accumulators, which are folded into coarser levels every
/// 16 groups of four; the accumulators are then added together, the leftover elements summed
/// one by one, and the four lanes added to that. LBFGS's first step length is 1 / this sum,
/// and its two-loop recursion amplifies the last bit of it.
inline double sum_abs(const vec& a) {
  constexpr std::size_t lanes = 4, ilp = 4, levels = 4, level_step = 16;
  using lane_t = std::array<double, lanes>;
  const std::size_t n = a.size();
  if (n < lanes) {  // too short for one vector: ATen adds the elements in order
    double s = 0;
    for (double x : a) s += std::fabs(x);
    return s;
  }
  const std::size_t n_vec = n / lanes, n_groups = n_vec / ilp;
  auto add_vec = [&](lane_t& acc, std::size_t v) {
    for (std::size_t l = 0; l < lanes; ++l) acc[l] += std::fabs(a[v * lanes + l]);
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
        acc[lv - 1][k] = lane_t{};
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
  for (std::size_t i = n_vec * lanes; i < n; ++i) s += std::fabs(a[i]);
  for (double lane : acc[0][0]) s += lane;
  return s;
}
inline vec scaled(const vec& a, double s) {
  vec out(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) out[i] = a[i] * s;
  return out;
}
inline vec sub(const vec& a, const vec& b) {
  vec out(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) out[i] = a[i] - b[i];
  return out;
}
/// a <- a + alpha * b (Tensor.add_(b, alpha=alpha)). ATen's CPU kernel for add with alpha is
/// contracted to one fused multiply-add; LBFGS's two-loop recursion amplifies the difference
/// of that last bit, so gradlab fuses too (checked against the golden LBFGS trajectories).
inline void add_scaled(vec& a, const vec& b, double alpha) {
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = std::fma(alpha, b[i], a[i]);
}

/// All grads concatenated (a missing grad counts as zeros), like LBFGS._gather_flat_grad.
inline vec gather_flat_grad(const std::vector<Tensor>& params) {
  vec out;
  for (const auto& p : params) {
    const Tensor g = p.grad();
    if (!g.defined()) {
      out.insert(out.end(), p.numel(), 0.0);
      continue;
    }
    for (std::size_t i = 0, n = g.numel(); i < n; ++i) out.push_back(g.at(i));
  }
  return out;
}
inline vec gather_flat_params(const std::vector<Tensor>& params) {
  vec out;
  for (const auto& p : params)
    for (std::size_t i = 0, n = p.numel(); i < n; ++i) out.push_back(p.at(i));
  return out;
}
/// p <- p + alpha * update (LBFGS._add_grad), slice by slice, fused like add_scaled.
inline void add_to_params(std::vector<Tensor>& params, const vec& update, double alpha) {
  std::size_t offset = 0;
  for (auto& p : params) {
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pd = data_of<T>(p);
      for (std::size_t i = 0, n = p.numel(); i < n; ++i)
        pd[i] = std::fma(T(alpha), T(update[offset + i]), pd[i]);
    });
    offset += p.numel();
    p.mark_modified();
  }
}
inline void set_params(std::vector<Tensor>& params, const vec& values) {
  std::size_t offset = 0;
  for (auto& p : params) {
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pd = data_of<T>(p);
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) pd[i] = T(values[offset + i]);
    });
    offset += p.numel();
    p.mark_modified();
  }
}

}  // namespace gradlab::optim::detail
