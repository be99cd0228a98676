#pragma once
// Private: the element rules of the op table's Tensor -> Tensor rows (GRADLAB_UNARY_OP), one
// functor kernels::NAME_fn per row, used by the op's kernel (unary.cpp, activation.cpp), by
// the row's float rule in the table (op_info::f32) and so by the session's fused evaluators.
#include <cmath>

#include "util/inline.hpp"
#include "util/portable_math.hpp"

namespace gradlab::kernels {

/// -a. Backward: d(-a)/da = -1, so the gradient is negated by neg_fn itself.
struct neg_fn {
  template <class T>
  T operator()(T a) const {
    return -a;
  }
};
struct exp_fn {
  template <class T>
  GRADLAB_INLINE T operator()(T x) const {
    return portable::exp_of(x);
  }
};
struct log_fn {
  template <class T>
  GRADLAB_INLINE T operator()(T x) const {
    return portable::log_of(x);
  }
};
struct sqrt_fn {
  template <class T>
  T operator()(T x) const {
    return std::sqrt(x);
  }
};
struct abs_fn {
  template <class T>
  T operator()(T x) const {
    return std::fabs(x);
  }
};
struct sin_fn {
  template <class T>
  T operator()(T x) const {
    return std::sin(x);
  }
};
struct cos_fn {
  template <class T>
  T operator()(T x) const {
    return std::cos(x);
  }
};
struct atan_fn {
  template <class T>
  T operator()(T x) const {
    return std::atan(x);
  }
};
/// The tanh op runs portable::tanh_f32_loop over float32 (the same bits as tanh_f32).
struct tanh_fn {
  float operator()(float x) const { return portable::tanh_f32(x); }
  double operator()(double x) const { return portable::tanh_f64(x); }
};
struct sigmoid_fn {
  template <class T>
  GRADLAB_INLINE T operator()(T x) const {
    return 1 / (1 + portable::exp_of(-x));
  }
};
struct relu_fn {
  template <class T>
  T operator()(T x) const {
    return x > 0 ? x : 0 * x;
  }
};
struct silu_fn {
  template <class T>
  GRADLAB_INLINE T operator()(T x) const {
    return x / (1 + portable::exp_of(-x));
  }
};

}  // namespace gradlab::kernels
