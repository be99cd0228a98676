// softmax and log_softmax along a dim: forward and backward side by side, both in the
// max-shifted (log-sum-exp) form, so large inputs do not overflow.
#include <cmath>

#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"
#include "ops/op_call.hpp"
#include "ops/saved_node.hpp"

namespace gradlab {

namespace {
/// Calls f(base, stride) for every line along dim of a tensor of shape s.
template <class F>
void for_each_line(const shape_t& s, std::size_t dim, F f) {
  if (s.empty()) return f(0, 1, 1);  // a 0-dim tensor is one line of one element
  const kernels::dim_split sp(s, dim);
  for (std::size_t o = 0; o < sp.outer; ++o)
    for (std::size_t i = 0; i < sp.inner; ++i) f(o * sp.size * sp.inner + i, sp.inner, sp.size);
}

Tensor softmax_impl(const Tensor& a, std::size_t dim, bool log) {
  return dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> out = xt::xarray<T>::from_shape(a.shape());
    const T* x = a.data<T>().data();
    T* y = out.data();
    for_each_line(a.shape(), dim, [&](std::size_t base, std::size_t st, std::size_t n) {
      T mx = x[base];
      for (std::size_t k = 1; k < n; ++k) mx = std::max(mx, x[base + k * st]);
      T sum = 0;
      if (log) {
        for (std::size_t k = 0; k < n; ++k) sum += std::exp(x[base + k * st] - mx);
        const T ls = std::log(sum);
        for (std::size_t k = 0; k < n; ++k) y[base + k * st] = x[base + k * st] - mx - ls;
      } else {
        for (std::size_t k = 0; k < n; ++k)
          sum += (y[base + k * st] = std::exp(x[base + k * st] - mx));
        const T inv = 1 / sum;
        for (std::size_t k = 0; k < n; ++k) y[base + k * st] *= inv;
      }
    });
    return Tensor(std::move(out));
  });
}

/// The shared backward of both: with s = sum along dim of (g * y) for softmax, of g for
/// log_softmax, computes y * (g - s) or g - exp(y) * s.
Tensor softmax_grad(const Tensor& g, const Tensor& y, std::size_t dim, bool log) {
  return dispatch(g.dtype(), [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> out = xt::xarray<T>::from_shape(g.shape());
    const T* gp = g.data<T>().data();
    const T* yp = y.data<T>().data();
    T* o = out.data();
    for_each_line(g.shape(), dim, [&](std::size_t base, std::size_t st, std::size_t n) {
      T s = 0;
      for (std::size_t k = 0; k < n; ++k)
        s += log ? gp[base + k * st] : gp[base + k * st] * yp[base + k * st];
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t j = base + k * st;
        o[j] = log ? gp[j] - std::exp(yp[j]) * s : yp[j] * (gp[j] - s);
      }
    });
    return Tensor(std::move(out));
  });
}

class SoftmaxBackward0 : public OneSavedNode {
 public:
  SoftmaxBackward0(const Tensor& result, std::size_t dim) : OneSavedNode(result, true), dim_(dim) {}
  std::string name() const override { return "SoftmaxBackward0"; }
  // d softmax: y * (g - sum(g * y)) along dim
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {softmax_grad(g[0], saved(), dim_, false)};
  }

 private:
  std::size_t dim_;
};

class LogSoftmaxBackward0 : public OneSavedNode {
 public:
  LogSoftmaxBackward0(const Tensor& result, std::size_t dim)
      : OneSavedNode(result, true), dim_(dim) {}
  std::string name() const override { return "LogSoftmaxBackward0"; }
  // d log_softmax: g - exp(y) * sum(g) along dim
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {softmax_grad(g[0], saved(), dim_, true)};
  }

 private:
  std::size_t dim_;
};
}  // namespace

Tensor softmax(const Tensor& a, long long dim) {
  const std::size_t d = wrap_dim(dim, a.dim());
  if (a.dim() == 0) {  // a 0-dim tensor is a line of one element
    Tensor out = Tensor::full({}, 1.0, a.dtype());
    kernels::record<SoftmaxBackward0>({&a}, out,
                                      [&] { return std::make_shared<SoftmaxBackward0>(out, 0); });
    return out;
  }
  Tensor out = softmax_impl(a, d, false);
  kernels::record<SoftmaxBackward0>({&a}, out,
                                    [&] { return std::make_shared<SoftmaxBackward0>(out, d); });
  return out;
}

Tensor log_softmax(const Tensor& a, long long dim) {
  const std::size_t d = wrap_dim(dim, a.dim());
  if (a.dim() == 0) {
    Tensor out = Tensor::full({}, 0.0, a.dtype());
    kernels::record<LogSoftmaxBackward0>(
        {&a}, out, [&] { return std::make_shared<LogSoftmaxBackward0>(out, 0); });
    return out;
  }
  Tensor out = softmax_impl(a, d, true);
  kernels::record<LogSoftmaxBackward0>(
      {&a}, out, [&] { return std::make_shared<LogSoftmaxBackward0>(out, d); });
  return out;
}

// ------------------------------------------------------------------ table rows (op_table.def)
namespace op_call {
Tensor softmax(const op_arg* a, std::size_t) {
  return with_int(&gradlab::softmax, a, "softmax", "dim");
}
Tensor log_softmax(const op_arg* a, std::size_t) {
  return with_int(&gradlab::log_softmax, a, "log_softmax", "dim");
}
}  // namespace op_call

}  // namespace gradlab
