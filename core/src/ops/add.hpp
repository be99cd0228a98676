#pragma once
// Private: add's and sub's element rules, forward and backward side by side, shared by add.cpp
// and the session's fused training step (session/fused_train.cpp): one formula for both.
#include "ops/unary.hpp"

namespace gradlab::kernels {

/// a + b. Backward: d(a + b)/da = 1, d(a + b)/db = 1: the gradient reaches both unchanged.
/// Also how gradients arriving at one tensor are summed (engine, AccumulateGrad).
struct add_fn {
  template <class T>
  T operator()(T a, T b) const {
    return a + b;
  }
};

/// a + alpha * b (Tensor.add(b, alpha=...)). Backward: d/da = 1, d/db = alpha.
struct add_scaled_fn {
  double alpha;
  template <class T>
  T operator()(T a, T b) const {
    return a + static_cast<T>(alpha) * b;
  }
};

/// a - b. Backward: d(a - b)/da = 1, d(a - b)/db = -1: neg_fn of the gradient.
struct sub_fn {
  template <class T>
  T operator()(T a, T b) const {
    return a - b;
  }
};

/// a - alpha * b. Backward: d/da = 1, d/db = -alpha.
struct sub_scaled_fn {
  double alpha;
  template <class T>
  T operator()(T a, T b) const {
    return a - static_cast<T>(alpha) * b;
  }
};

}  // namespace gradlab::kernels
