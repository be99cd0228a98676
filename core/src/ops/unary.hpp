#pragma once
// Private: neg's element rule, shared by unary.cpp and the session's fused training step.

namespace gradlab::kernels {

/// -a. Backward: d(-a)/da = -1, so the gradient is negated by neg_fn itself.
struct neg_fn {
  template <class T>
  T operator()(T a) const {
    return -a;
  }
};

}  // namespace gradlab::kernels
