// sum and mean over one dimension (keepdim or not): forward and backward side by side.
#include <string>
#include <vector>

#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"

namespace gradlab {

namespace {
shape_t reduced_shape(shape_t s, std::size_t dim, bool keepdim) {
  if (keepdim)
    s[dim] = 1;
  else
    s.erase(s.begin() + static_cast<long>(dim));
  return s;
}

/// g (the reduced shape) copied along dim back to `shape`, each value divided by `divisor`.
Tensor expand_along(const Tensor& g, const shape_t& shape, std::size_t dim, double divisor) {
  const kernels::dim_split sp(shape, dim);
  return dispatch(g.dtype(), [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> out = xt::xarray<T>::from_shape(shape);
    const T* gp = g.data<T>().data();
    T* op = out.data();
    const T d = static_cast<T>(divisor);
    for (std::size_t o = 0; o < sp.outer; ++o)
      for (std::size_t s = 0; s < sp.size; ++s)
        for (std::size_t i = 0; i < sp.inner; ++i)
          op[(o * sp.size + s) * sp.inner + i] =
              divisor == 1.0 ? gp[o * sp.inner + i] : gp[o * sp.inner + i] / d;
    return Tensor(std::move(out));
  });
}

/// Sum along dim, accumulated in double (close to PyTorch's cascade summation for float32).
Tensor sum_along(const Tensor& a, std::size_t dim, bool keepdim, double divisor) {
  const shape_t s = a.shape();
  const kernels::dim_split sp(s, dim);
  return dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> out = xt::xarray<T>::from_shape(reduced_shape(s, dim, keepdim));
    const T* ap = a.data<T>().data();
    T* op = out.data();
    for (std::size_t o = 0; o < sp.outer; ++o)
      for (std::size_t i = 0; i < sp.inner; ++i) {
        double acc = 0;
        for (std::size_t k = 0; k < sp.size; ++k) acc += ap[(o * sp.size + k) * sp.inner + i];
        // mean divides the sum in the tensor's dtype, as PyTorch's mean does
        op[o * sp.inner + i] =
            divisor == 1.0 ? static_cast<T>(acc) : static_cast<T>(acc) / static_cast<T>(divisor);
      }
    return Tensor(std::move(out));
  });
}

class SumBackward1 : public Node {
 public:
  SumBackward1(shape_t s, std::size_t dim) : shape_(std::move(s)), dim_(dim) {}
  std::string name() const override { return "SumBackward1"; }
  // d(sum_dim a)/da_i = 1: the gradient is copied along dim
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {expand_along(g[0], shape_, dim_, 1.0)};
  }

 private:
  shape_t shape_;
  std::size_t dim_;
};

class MeanBackward1 : public Node {
 public:
  MeanBackward1(shape_t s, std::size_t dim) : shape_(std::move(s)), dim_(dim) {}
  std::string name() const override { return "MeanBackward1"; }
  // d(mean_dim a)/da_i = 1/n, n = size of dim
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {expand_along(g[0], shape_, dim_, static_cast<double>(shape_[dim_]))};
  }

 private:
  shape_t shape_;
  std::size_t dim_;
};
}  // namespace

Tensor sum(const Tensor& a, long long dim, bool keepdim) {
  const std::size_t d = wrap_dim(dim, a.dim());
  if (a.dim() == 0) return sum(a);  // a 0-dim tensor reduces to itself
  Tensor out = sum_along(a, d, keepdim, 1.0);
  kernels::record<SumBackward1>({&a}, out,
                                [&] { return std::make_shared<SumBackward1>(a.shape(), d); });
  return out;
}

Tensor mean(const Tensor& a, long long dim, bool keepdim) {
  const std::size_t d = wrap_dim(dim, a.dim());
  if (a.dim() == 0) return mean(a);
  Tensor out = sum_along(a, d, keepdim, static_cast<double>(a.shape()[d]));
  kernels::record<MeanBackward1>({&a}, out,
                                 [&] { return std::make_shared<MeanBackward1>(a.shape(), d); });
  return out;
}

// ------------------------------------------------------------------ table rows (op_table.def)
namespace op_call {
namespace {
// sum/mean(input, dim=None, keepdim=False): over everything, or over one dim
Tensor reduction(Tensor (*all)(const Tensor&), Tensor (*along)(const Tensor&, long long, bool),
                 const op_arg* a, const char* op) {
  const Tensor x = op_read::tensor(a, 0, op, "input");
  const bool keep = op_read::boolean(a, 2, op, "keepdim");
  if (a[1].is_none()) {
    if (keep) type_error(std::string(op) + "(): keepdim needs dim");
    return all(x);
  }
  const std::vector<long long> dims = op_read::ints(a, 1, op, "dim");
  if (dims.size() != 1)
    not_implemented_error(std::string(op) + "(): gradlab reduces over one dim at a time (got " +
                          std::to_string(dims.size()) + ")");
  return along(x, dims[0], keep);
}
Tensor sum_all(const Tensor& x) { return gradlab::sum(x); }
Tensor mean_all(const Tensor& x) { return gradlab::mean(x); }
Tensor sum_dim(const Tensor& x, long long d, bool k) { return gradlab::sum(x, d, k); }
Tensor mean_dim(const Tensor& x, long long d, bool k) { return gradlab::mean(x, d, k); }
}  // namespace
Tensor sum(const op_arg* a, std::size_t) { return reduction(&sum_all, &sum_dim, a, "sum"); }
Tensor mean(const op_arg* a, std::size_t) { return reduction(&mean_all, &mean_dim, a, "mean"); }
}  // namespace op_call

}  // namespace gradlab
