// select (p[0]) and unbind (`*params`): forward and backward side by side (the slice rules on
// flat arrays in index.hpp).
#include "ops/index.hpp"

#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"

namespace gradlab {

namespace {

shape_t drop_dim(shape_t s, std::size_t dim) {
  s.erase(s.begin() + static_cast<long>(dim));
  return s;
}

Tensor take(const Tensor& a, std::size_t dim, std::size_t index) {
  const shape_t s = a.shape();
  const kernels::dim_split sl(s, dim);
  return dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> out = xt::xarray<T>::from_shape(drop_dim(s, dim));
    kernels::take_slice(a.data<T>().data(), out.data(), sl, index);
    return Tensor(std::move(out));
  });
}

/// Writes g into slice `index` of dst (the adjoint of take).
void put(Tensor& dst, std::size_t dim, std::size_t index, const Tensor& g) {
  const kernels::dim_split sl(dst.shape(), dim);
  dispatch(dst.dtype(), [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> tmp;
    kernels::put_slice(kernels::as<T>(g, tmp).data(), dst.mutable_data<T>().data(), sl, index);
  });
}

class SelectBackward0 : public Node {
 public:
  SelectBackward0(shape_t s, std::size_t dim, std::size_t index)
      : shape_(std::move(s)), dim_(dim), index_(index) {}
  std::string name() const override { return "SelectBackward0"; }
  // d(a[i])/da = one-hot at i: the gradient lands in slice i, zeros elsewhere (put_slice)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    Tensor out = Tensor::zeros(shape_, g[0].dtype());
    put(out, dim_, index_, g[0]);
    return {out};
  }

 private:
  shape_t shape_;
  std::size_t dim_, index_;
};

class UnbindBackward0 : public Node {
 public:
  UnbindBackward0(shape_t s, std::size_t dim, dtype d)
      : shape_(std::move(s)), dim_(dim), dtype_(d) {}
  std::string name() const override { return "UnbindBackward0"; }
  // d(unbind a)/da: the outputs' gradients stacked back along dim (None counts as zeros)
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    Tensor out = Tensor::zeros(shape_, dtype_);
    for (std::size_t i = 0; i < g.size(); ++i)
      if (g[i].defined()) put(out, dim_, i, g[i]);
    return {out};
  }

 private:
  shape_t shape_;
  std::size_t dim_;
  dtype dtype_;
};
}  // namespace

Tensor select(const Tensor& a, long long dim, long long index, bool subscript) {
  if (a.dim() == 0) index_error("select() cannot be applied to a 0-dim tensor.");
  const std::size_t d = wrap_dim(dim, a.dim());
  const long long n = static_cast<long long>(a.shape()[d]);
  if ((index < -n || index >= n) && subscript)
    index_error("index " + std::to_string(index) + " is out of bounds for dimension " +
                std::to_string(d) + " with size " + std::to_string(n));
  if (index < -n || index >= n)
    index_error("select(): index " + std::to_string(index) + " out of range for tensor of size " +
                shape_str(a.shape()) + " at dimension " + std::to_string(d));
  const std::size_t i = static_cast<std::size_t>(index < 0 ? index + n : index);
  Tensor out = take(a, d, i);
  kernels::record<SelectBackward0>(
      {&a}, out, [&] { return std::make_shared<SelectBackward0>(a.shape(), d, i); });
  return out;
}

std::vector<Tensor> unbind(const Tensor& a, long long dim) {
  if (a.dim() == 0) runtime_error("Dimension specified as 0 but tensor has no dimensions");
  const std::size_t d = wrap_dim(dim, a.dim());
  std::vector<Tensor> outs;
  for (std::size_t i = 0; i < a.shape()[d]; ++i) outs.push_back(take(a, d, i));
  if (grad_enabled() && a.requires_grad()) {
    auto node = std::make_shared<UnbindBackward0>(a.shape(), d, a.dtype());
    std::vector<Tensor*> ptrs;
    for (auto& o : outs) ptrs.push_back(&o);
    connect(node, {&a}, ptrs);
  }
  return outs;
}

// ------------------------------------------------------------------ table rows (op_table.def)
namespace op_call {
Tensor select(const op_arg* a, std::size_t) {
  return gradlab::select(op_read::tensor(a, 0, "select", "input"),
                         op_read::integer(a, 1, "select", "dim"),
                         op_read::integer(a, 2, "select", "index"), false);
}
}  // namespace op_call

}  // namespace gradlab
