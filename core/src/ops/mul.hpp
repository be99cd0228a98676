#pragma once
// Private: mul's and div's element rules, forward and backward side by side, shared by mul.cpp
// and the session's fused training step (session/fused_train.cpp): one formula for both.

namespace gradlab::kernels {

/// a * b. Backward: d(a*b)/da = b, d(a*b)/db = a: mul_fn of the gradient and the other operand.
struct mul_fn {
  template <class T>
  T operator()(T a, T b) const {
    return a * b;
  }
};

/// a / b. Backward: d(a/b)/da = 1/b: div_fn of the gradient and b; d/db: div_grad_b_fn.
struct div_fn {
  template <class T>
  T operator()(T a, T b) const {
    return a / b;
  }
};

/// d(a/b)/db = -a/b^2, of the gradient g, computed as PyTorch does: -g * ((a / b) / b).
struct div_grad_b_fn {
  template <class T>
  T operator()(T g, T a, T b) const {
    return -g * ((a / b) / b);
  }
};

}  // namespace gradlab::kernels
