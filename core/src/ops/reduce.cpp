// sum and mean over all elements, and sum_to (the reverse of broadcasting).
#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"

namespace gradlab {

namespace {
template <class T>
double total(const xt::xarray<T>& a) {
  double s = 0;  // accumulate wide: float32 sums of the book's 11 values stay exact-ish
  for (T v : a) s += v;
  return s;
}

class SumBackward0 : public Node {
 public:
  explicit SumBackward0(shape_t s) : shape_(std::move(s)) {}
  std::string name() const override { return "SumBackward0"; }
  // d(sum a)/da_i = 1: the gradient is expanded back to a's shape
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
  // d(mean a)/da_i = 1/n
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const double n = static_cast<double>(numel(shape_));
    return {dispatch(g[0].dtype(), [&](auto tag) {
      using T = decltype(tag);
      return Tensor::full(shape_, static_cast<T>(g[0].item()) / static_cast<T>(n), g[0].dtype());
    })};
  }

 private:
  shape_t shape_;
};
}  // namespace

Tensor sum(const Tensor& a) {
  Tensor out = dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    return Tensor::scalar(static_cast<T>(total(a.data<T>())), a.dtype());
  });
  kernels::record<SumBackward0>({&a}, out,
                                [&] { return std::make_shared<SumBackward0>(a.shape()); });
  return out;
}

Tensor mean(const Tensor& a) {
  Tensor out = dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    // sum in the tensor's dtype, then divide, as PyTorch's mean does
    const T s = static_cast<T>(total(a.data<T>()));
    return Tensor::scalar(s / static_cast<T>(a.numel()), a.dtype());
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
      const std::size_t m = out.size();
      // restrict: the output is a fresh buffer, so the row loop vectorises without the
      // overlap checks the compiler would otherwise run for every row
      T* __restrict acc = op;
      const T* __restrict in = src.data();
      // Four vectors of columns per pass, their sums in registers rather than loaded and
      // stored for every row, and four independent chains of adds in flight. Each sum still
      // adds the rows in order.
      constexpr std::size_t W = 64 / sizeof(T);
      std::size_t j0 = 0;
      for (; j0 + W <= m; j0 += W) {
        T part[W] = {};
        for (std::size_t r = j0; r < src.size(); r += m)
          for (std::size_t j = 0; j < W; ++j) part[j] += in[r + j];
        for (std::size_t j = 0; j < W; ++j) acc[j0 + j] = part[j];
      }
      if (m - j0 == 1) {  // one column (a single output's bias): its sum in a register
        T sum = 0;
        for (std::size_t r = j0; r < src.size(); r += m) sum += in[r];
        acc[j0] = sum;
      } else if (j0 < m) {  // the columns left over (none when m is a multiple of W)
        for (std::size_t r = j0; r < src.size(); r += m)
          for (std::size_t j = 0; j < m - j0; ++j) acc[j0 + j] += in[r + j];
      }
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
