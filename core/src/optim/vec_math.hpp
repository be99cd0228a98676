#pragma once
// Small dense vector/matrix helpers for the optimizers that work on flattened parameters
// (LBFGS) or whole matrices (Adafactor, Muon). Plain loops over std::vector in row-major
// order; no dependency on the op set (sum_abs shares sum()'s kernel, ops/reduce.hpp).
#include <algorithm>
#include <cmath>
#include <vector>

#include "elementwise.hpp"
#include "ops/reduce.hpp"

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
/// Tensor.abs().sum() of a float64 vector, in ATen's order (kernels::cascade_sum). LBFGS's
/// first step length is 1 / this sum, and its two-loop recursion amplifies the last bit of it.
inline double sum_abs(const vec& a) {
  return kernels::cascade_sum(a.data(), a.size(), [](double x) { return std::fabs(x); });
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
