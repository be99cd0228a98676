#pragma once
// Private helpers for the optimizers: raw, element-by-element access to a parameter, its grad
// and its state buffers. PyTorch's single-tensor optimizer code is a chain of elementwise
// tensor ops; writing the same chain per element, in the tensor's own dtype, reproduces its
// arithmetic (same operations, same order) without allocating a tensor per intermediate.
#include <array>
#include <cmath>
#include <string>
#include <type_traits>
#include <utility>

#include "gradlab/error.hpp"
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim::detail {

/// xarray storage is contiguous and row-major, so a flat pointer walks it in PyTorch's order.
template <class T>
T* data_of(Tensor& t) {
  return t.mutable_data<T>().data();
}
template <class T>
const T* data_of(const Tensor& t) {
  return t.data<T>().data();
}

/// The frame of an elementwise update rule: the data of a parameter p, of its grad g and of
/// its state buffers, in p's dtype, handed to the rule's loop,
///   on_data(p, g, &m, &v).apply([&](auto* pd, const auto* gd, auto* m, auto* v) { ... });
/// a null buffer gives a null pointer. p is then marked modified (its version moves once).
template <std::size_t N>
struct rule_data {
  Tensor& p;
  const Tensor& g;
  std::array<Tensor*, N> bufs;

  template <class F>
  void apply(F f) const {
    dispatch(p.dtype(), [&](auto tag) { call<decltype(tag)>(f, std::make_index_sequence<N>{}); });
    p.mark_modified();
  }
  template <class T, class F, std::size_t... I>
  void call(F& f, std::index_sequence<I...>) const {
    f(data_of<T>(p), data_of<T>(g), (bufs[I] ? data_of<T>(*bufs[I]) : static_cast<T*>(nullptr))...);
  }
};
template <class... B>
rule_data<sizeof...(B)> on_data(Tensor& p, const Tensor& g, B*... bufs) {
  return {p, g, {bufs...}};
}

/// PyTorch's first step of most rules: the grad, negated if maximize, plus weight_decay * p.
template <class T>
T l2_grad(T g, T p, bool maximize, double weight_decay) {
  if (maximize) g = -g;
  if (weight_decay != 0) g = g + T(weight_decay) * p;
  return g;
}

/// The state buffer `name` of a parameter, created on first use as torch.full_like(like, fill).
inline Tensor& buffer(param_state& st, const std::string& name, const Tensor& like,
                      double fill = 0.0) {
  auto it = st.buffers.find(name);
  if (it == st.buffers.end())
    it = st.buffers.emplace(name, Tensor::full(like.shape(), fill, like.dtype())).first;
  return it->second;
}

/// torch.lerp's formula (ATen's lerp): the weight decides which end is computed from.
template <class T>
T lerp(T self, T end, T weight) {
  return std::fabs(weight) < T(0.5) ? self + weight * (end - self)
                                    : end - (end - self) * (T(1) - weight);
}

/// PyTorch keeps step counters and a few per-parameter scalars (NAdam's mu_product, ASGD's eta
/// and mu) in 0-dim tensors of the default dtype, float32: their values are float32-rounded.
/// The steps Adam, NAdam and RAdam share for one element, in PyTorch's order: negate for
/// maximize, weight decay (L2 into the gradient, or decoupled into the parameter), then the
/// first moment by lerp and the second by v * beta2 + (1 - beta2) g^2. Returns the gradient used.
template <class T>
T adam_moments(T& p, T grad, T& m, T& v, double lr, double wd, bool decoupled, double beta1,
               double beta2, bool maximize) {
  if (maximize) grad = -grad;
  if (wd != 0) {
    if (decoupled)
      p = p * T(1 - lr * wd);
    else
      grad = grad + T(wd) * p;
  }
  m = lerp(m, grad, T(1 - beta1));
  v = v * T(beta2);
  v = v + T(1 - beta2) * grad * grad;
  return grad;
}

inline double f32(double v) { return static_cast<double>(static_cast<float>(v)); }

/// A grad that PyTorch would keep sparse (see TensorImpl::sparse_rows).
inline bool is_sparse(const Tensor& g) { return g.impl()->sparse_rows.has_value(); }

/// The "X does not support sparse gradients" RuntimeError of the dense optimizers.
inline void reject_sparse(const Tensor& g, const char* opt_name) {
  if (is_sparse(g)) runtime_error(std::string(opt_name) + " does not support sparse gradients");
}

/// Python's f"{value}" of an option in a ValueError message.
inline std::string num_repr(double v) { return py_repr(v); }

}  // namespace gradlab::optim::detail
