// sum and mean over all elements, and sum_to (the reverse of broadcasting); the rules over
// flat arrays are in reduce.hpp.
#include "ops/reduce.hpp"

#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"

namespace gradlab {

namespace kernels {
template <class T>
void sum_rows(const T* in, std::size_t n, std::size_t m, T* out) {
  // restrict: the output is a fresh buffer, so the row loop vectorises without the
  // overlap checks the compiler would otherwise run for every row
  T* __restrict acc = out;
  const T* __restrict src = in;
  // Four vectors of columns per pass, their sums in registers rather than loaded and
  // stored for every row, and four independent chains of adds in flight. Each sum still
  // adds the rows in order.
  constexpr std::size_t W = 64 / sizeof(T);
  std::size_t j0 = 0;
  for (; j0 + W <= m; j0 += W) {
    T part[W] = {};
    for (std::size_t r = j0; r < n; r += m)
      for (std::size_t j = 0; j < W; ++j) part[j] += src[r + j];
    for (std::size_t j = 0; j < W; ++j) acc[j0 + j] = part[j];
  }
  if (m - j0 == 1) {  // one column (a single output's bias): its sum in a register
    T sum = 0;
    for (std::size_t r = j0; r < n; r += m) sum += src[r];
    acc[j0] = sum;
  } else if (j0 < m) {  // the columns left over (none when m is a multiple of W)
    for (std::size_t r = j0; r < n; r += m)
      for (std::size_t j = 0; j < m - j0; ++j) acc[j0 + j] += src[r + j];
  }
}
template void sum_rows(const float*, std::size_t, std::size_t, float*);
template void sum_rows(const double*, std::size_t, std::size_t, double*);
}  // namespace kernels

namespace {
class SumBackward0 : public Node {
 public:
  explicit SumBackward0(shape_t s) : shape_(std::move(s)) {}
  std::string name() const override { return "SumBackward0"; }
  // d(sum a)/da_i = 1: the gradient is expanded back to a's shape (sum_of)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {Tensor::full(shape_, g[0].item(), g[0].dtype())};
  }

 private:
  shape_t shape_;
};

class MeanBackward0 : public Node {
 public:
  explicit MeanBackward0(shape_t s) : shape_(std::move(s)) {}
  std::string name() const override { return "MeanBackward0"; }
  // d(mean a)/da_i = 1/n (mean_grad)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {dispatch(g[0].dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T v = kernels::mean_grad(static_cast<T>(g[0].item()), numel(shape_));
      return Tensor::full(shape_, v, g[0].dtype());
    })};
  }

 private:
  shape_t shape_;
};
}  // namespace

Tensor sum(const Tensor& a) {
  Tensor out = dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    return Tensor::scalar(kernels::sum_of(a.data<T>().data(), a.numel()), a.dtype());
  });
  kernels::record<SumBackward0>({&a}, out,
                                [&] { return std::make_shared<SumBackward0>(a.shape()); });
  return out;
}

Tensor mean(const Tensor& a) {
  Tensor out = dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    return Tensor::scalar(kernels::mean_of(a.data<T>().data(), a.numel()), a.dtype());
  });
  kernels::record<MeanBackward0>({&a}, out,
                                 [&] { return std::make_shared<MeanBackward0>(a.shape()); });
  return out;
}

Tensor sum_to(const Tensor& g, const shape_t& shape) {
  const shape_t gs = g.shape();
  if (gs == shape) return g;
  if (broadcast_shapes(shape, gs) != gs)
    runtime_error("sum_to: shape " + shape_str(shape) + " is not broadcastable to " +
                  shape_str(gs));
  return dispatch(g.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const auto& src = g.data<T>();
    xt::xarray<T> out = xt::zeros<T>(shape);
    T* op = out.data();
    if (kernels::is_trailing(shape, gs)) {  // summing whole rows: the odometer's order, flat
      kernels::sum_rows(src.data(), src.size(), out.size(), op);
      return Tensor(std::move(out));
    }
    const auto strides = kernels::broadcast_strides(shape, gs);
    std::vector<std::size_t> idx(gs.size(), 0);
    std::size_t o = 0;
    for (std::size_t k = 0; k < src.size(); ++k) {  // odometer over g, folding into out
      op[o] += src.data()[k];
      for (std::size_t d = gs.size(); d-- > 0;) {
        o += strides[d];
        if (++idx[d] < gs[d]) break;
        o -= strides[d] * gs[d];
        idx[d] = 0;
      }
    }
    return Tensor(std::move(out));
  });
}

}  // namespace gradlab
