#include "gradlab/tensor.hpp"

#include <algorithm>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"

namespace gradlab {

Tensor Tensor::from_values(const std::vector<double>& values, const shape_t& shape,
                           gradlab::dtype d, bool requires_grad) {
  check_numel(shape);
  if (values.size() != gradlab::numel(shape))
    runtime_error("shape '" + shape_str(shape) + "' is invalid for input of size " +
                  std::to_string(values.size()));
  Tensor t = dispatch(d, [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> a = xt::xarray<T>::from_shape(shape);
    for (std::size_t i = 0; i < values.size(); ++i) a.data()[i] = static_cast<T>(values[i]);
    return Tensor(std::move(a));
  });
  t.impl_->requires_grad = requires_grad;
  return t;
}

Tensor Tensor::scalar(double v, gradlab::dtype d) { return full({}, v, d); }
Tensor Tensor::zeros(const shape_t& shape, gradlab::dtype d) { return full(shape, 0.0, d); }

Tensor Tensor::full(const shape_t& shape, double v, gradlab::dtype d) {
  check_numel(shape);
  return dispatch(d, [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> a = xt::xarray<T>::from_shape(shape);
    a.fill(static_cast<T>(v));
    return Tensor(std::move(a));
  });
}

gradlab::dtype Tensor::dtype() const {
  return impl_->data.index() == 0 ? dtype::float32 : dtype::float64;
}

shape_t Tensor::shape() const {
  return std::visit([](const auto& a) { return shape_t(a.shape().begin(), a.shape().end()); },
                    impl_->data);
}

std::size_t Tensor::dim() const {
  return std::visit([](const auto& a) { return a.dimension(); }, impl_->data);
}

std::size_t Tensor::numel() const {
  return std::visit([](const auto& a) { return a.size(); }, impl_->data);
}

Tensor& Tensor::requires_grad_(bool on) {
  if (!is_leaf())
    runtime_error(
        "you can only change requires_grad flags of leaf variables. If you want to use a "
        "computed variable in a subgraph that doesn't require differentiation use "
        "var_no_grad = var.detach().");
  impl_->requires_grad = on;
  return *this;
}

Tensor Tensor::grad() const { return impl_->grad ? Tensor(impl_->grad) : Tensor(); }

void Tensor::set_grad(const Tensor& g) {
  if (g.defined() && g.shape() != shape())
    runtime_error("assigned grad has data of a different size");
  impl_->grad = g.impl_ptr();
}

void Tensor::backward(const Tensor& gradient, bool retain_graph) const {
  gradlab::backward({*this}, {gradient}, retain_graph);
}

Tensor Tensor::detach() const { return clone_data(*this); }

Tensor Tensor::clone() const {
  // clone() is differentiable in PyTorch (CloneBackward0); x * 1 gives the same gradient,
  // but a plain copy is all gradlab's callers need today.
  return clone_data(*this);
}

Tensor Tensor::clone_data(const Tensor& t) {
  auto impl = std::make_shared<TensorImpl>();
  impl->data = t.impl_->data;
  impl->sparse_rows = t.impl_->sparse_rows;  // a sparse gradient stays sparse when copied
  return Tensor(std::move(impl));
}

Tensor Tensor::to(gradlab::dtype d) const {
  if (d == dtype()) return *this;
  return dispatch(d, [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> tmp;
    kernels::as<T>(*this, tmp);
    return Tensor(std::move(tmp));
  });
}

double Tensor::item() const {
  if (numel() != 1)
    runtime_error("a Tensor with " + std::to_string(numel()) +
                  " elements cannot be converted to Scalar");
  return at(0);
}

double Tensor::at(std::size_t i) const {
  return std::visit([i](const auto& a) { return static_cast<double>(a.data()[i]); }, impl_->data);
}

std::vector<double> Tensor::to_vector() const {
  return std::visit([](const auto& a) { return std::vector<double>(a.begin(), a.end()); },
                    impl_->data);
}

void Tensor::check_inplace() const {
  if (!grad_enabled()) return;
  if (is_leaf() && requires_grad())
    runtime_error("a leaf Variable that requires grad is being used in an in-place operation.");
  if (requires_grad())
    runtime_error(
        "gradlab does not record in-place operations on tensors that are part of a graph; "
        "use the out-of-place form (x = x + y) or wrap the update in no_grad");
}

namespace {
// The shared body of the in-place arithmetic ops: self = f(self, other), in self's dtype,
// with other broadcast to self's shape (PyTorch's rule for in-place ops).
template <class F>
Tensor& inplace_binary(Tensor& self, const Tensor& other, const char* opname, F f) {
  self.check_inplace();
  if (grad_enabled() && other.requires_grad())
    runtime_error(
        "gradlab does not record in-place operations on tensors that are part of a graph; "
        "use the out-of-place form (x = x + y) or wrap the update in no_grad");
  if (self.dtype() == other.dtype()) {
    // The optimizers' case: same shape (or a 0-dim other), same dtype. In place, with no
    // temporary array and no shape vectors: this runs for every parameter at every step.
    bool done = false;
    dispatch(self.dtype(), [&](auto tag) {
      using T = decltype(tag);
      auto& d = self.mutable_data<T>();
      const auto& o = other.data<T>();
      const bool scalar = o.dimension() == 0;
      if (!scalar &&
          !std::equal(d.shape().begin(), d.shape().end(), o.shape().begin(), o.shape().end()))
        return;
      T* dp = d.data();
      const T* op = o.data();  // may be dp itself (x.add_(x)): each element is read first
      for (std::size_t i = 0, n = d.size(); i < n; ++i)
        dp[i] = static_cast<T>(f(dp[i], op[scalar ? 0 : i]));
      done = true;
    });
    if (done) {
      self.mark_modified();
      return self;
    }
  }
  const shape_t s = self.shape();
  if (broadcast_shapes(s, other.shape()) != s)
    runtime_error("output with shape " + shape_str(s) + " doesn't match the broadcast shape " +
                  shape_str(broadcast_shapes(s, other.shape())));
  (void)opname;
  dispatch(self.dtype(), [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> tmp;
    const auto& o = kernels::as<T>(other, tmp);
    auto& d = self.mutable_data<T>();
    d = kernels::map_binary<T>(d, o, s, [&](T x, T y) { return static_cast<T>(f(x, y)); });
  });
  self.mark_modified();
  return self;
}
}  // namespace

Tensor& Tensor::add_(const Tensor& other, double alpha) {
  return inplace_binary(*this, other, "add_", [alpha](auto x, auto y) {
    using T = decltype(x);
    return alpha == 1.0 ? x + y : x + static_cast<T>(alpha) * y;
  });
}

Tensor& Tensor::sub_(const Tensor& other, double alpha) { return add_(other, -alpha); }
Tensor& Tensor::mul_(const Tensor& other) {
  return inplace_binary(*this, other, "mul_", [](auto x, auto y) { return x * y; });
}
Tensor& Tensor::mul_(double s) { return mul_(wrap_scalar(s, *this)); }
Tensor& Tensor::div_(const Tensor& other) {
  return inplace_binary(*this, other, "div_", [](auto x, auto y) { return x / y; });
}
Tensor& Tensor::copy_(const Tensor& src) {
  return inplace_binary(*this, src, "copy_", [](auto, auto y) { return y; });
}
const std::vector<std::int64_t>& Tensor::sparse_rows() const {
  static const std::vector<std::int64_t> none;
  return impl_->sparse_rows ? *impl_->sparse_rows : none;
}

Tensor& Tensor::zero_() {
  fill_(0.0);
  // a zeroed sparse gradient touches no rows (PyTorch's zero_() leaves nnz == 0)
  if (is_sparse()) impl_->sparse_rows.emplace();
  return *this;
}
Tensor& Tensor::fill_(double v) {
  check_inplace();
  std::visit(
      [v](auto& a) { a.fill(static_cast<typename std::decay_t<decltype(a)>::value_type>(v)); },
      impl_->data);
  mark_modified();
  return *this;
}

Tensor Tensor::operator[](long long i) const { return select(*this, 0, i, true); }
std::vector<Tensor> Tensor::unbind(long long d) const { return gradlab::unbind(*this, d); }
Tensor Tensor::sum() const { return gradlab::sum(*this); }
Tensor Tensor::mean() const { return gradlab::mean(*this); }
Tensor Tensor::pow(double e) const { return gradlab::pow(*this, e); }
Tensor Tensor::sum(long long d, bool k) const { return gradlab::sum(*this, d, k); }
Tensor Tensor::mean(long long d, bool k) const { return gradlab::mean(*this, d, k); }
Tensor Tensor::max() const { return gradlab::max(*this); }
Tensor Tensor::min() const { return gradlab::min(*this); }
Tensor Tensor::pow(const Tensor& e) const { return gradlab::pow(*this, e); }
#define GRADLAB_UNARY_OP(NAME, GRAD_FN, PARAMS, NAMESPACES, JS) \
  Tensor Tensor::NAME() const { return gradlab::NAME(*this); }
#include "gradlab/ops/op_table.def"
Tensor Tensor::clamp(double lo, double hi) const { return gradlab::clamp(*this, lo, hi); }
Tensor Tensor::t() const { return gradlab::t(*this); }
Tensor Tensor::transpose(long long d0, long long d1) const {
  return gradlab::transpose(*this, d0, d1);
}
Tensor Tensor::reshape(const std::vector<long long>& s) const { return gradlab::reshape(*this, s); }
Tensor Tensor::unsqueeze(long long d) const { return gradlab::unsqueeze(*this, d); }
Tensor Tensor::squeeze(long long d) const { return gradlab::squeeze(*this, d); }
Tensor Tensor::matmul(const Tensor& o) const { return gradlab::matmul(*this, o); }

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator-(const Tensor& a) { return neg(a); }
Tensor operator+(const Tensor& a, double b) { return add(a, wrap_scalar(b, a)); }
Tensor operator-(const Tensor& a, double b) { return sub(a, wrap_scalar(b, a)); }
Tensor operator*(const Tensor& a, double b) { return mul(a, wrap_scalar(b, a)); }
Tensor operator/(const Tensor& a, double b) { return div(a, wrap_scalar(b, a)); }
Tensor operator+(double a, const Tensor& b) { return add(wrap_scalar(a, b), b); }
Tensor operator-(double a, const Tensor& b) { return sub(wrap_scalar(a, b), b); }
Tensor operator*(double a, const Tensor& b) { return mul(wrap_scalar(a, b), b); }
Tensor operator/(double a, const Tensor& b) { return div(wrap_scalar(a, b), b); }

}  // namespace gradlab
