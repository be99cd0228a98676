#pragma once
/// \file tensor.hpp
/// gradlab's Tensor: an evaluated xtensor array of one dtype plus the autograd fields that
/// PyTorch exposes (requires_grad, grad, is_leaf, grad_fn). A Tensor is a cheap handle;
/// copies share the same storage and autograd identity, like Python references.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>
#include <xtensor/xarray.hpp>

#include "gradlab/dtype.hpp"
#include "gradlab/shape.hpp"

namespace gradlab {

class Node;

/// Storage is always evaluated: graph nodes never hold lazy xtensor expressions, so nothing
/// can dangle (xtensor's pitfall with `auto`).
using array_variant = std::variant<xt::xarray<float>, xt::xarray<double>>;

struct TensorImpl {
  array_variant data;
  bool requires_grad = false;
  std::shared_ptr<TensorImpl> grad;      ///< null means None
  std::shared_ptr<Node> grad_fn;         ///< null for leaves
  std::uint32_t output_nr = 0;           ///< which output of grad_fn this tensor is
  std::weak_ptr<Node> grad_accumulator;  ///< the leaf's AccumulateGrad, made on demand
  std::uint32_t version = 0;             ///< bumped by every in-place change
  /// A Python number turned into a 0-dim tensor: takes no part in dtype promotion.
  bool wrapped_number = false;
  /// Set on a gradient that PyTorch would hold as a sparse COO tensor (the grad of
  /// embedding(..., sparse=True)): the data stays dense-shaped, and this lists the indices of
  /// the rows it touches (with repeats, as PyTorch's uncoalesced indices). Rows not listed are
  /// zero. Optimizers that need dense grads reject it; SparseAdam updates only these rows.
  std::optional<std::vector<std::int64_t>> sparse_rows;

  TensorImpl() = default;
  TensorImpl(const TensorImpl&) = delete;
  TensorImpl& operator=(const TensorImpl&) = delete;
  /// Hands grad_fn to the autograd graveyard, so that freeing a long graph is a loop, not
  /// a recursion through every node (which overflows the stack, above all in WebAssembly).
  ~TensorImpl();
};

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}
  template <class T>
  explicit Tensor(xt::xarray<T> a) : impl_(std::make_shared<TensorImpl>()) {
    impl_->data = std::move(a);
  }

  /// torch.tensor(values).reshape(shape) in dtype d.
  static Tensor from_values(const std::vector<double>& values, const shape_t& shape,
                            dtype d = dtype::float32, bool requires_grad = false);
  /// A 0-dim tensor holding v.
  static Tensor scalar(double v, dtype d = dtype::float32);
  static Tensor zeros(const shape_t& shape, dtype d = dtype::float32);
  static Tensor full(const shape_t& shape, double v, dtype d = dtype::float32);

  bool defined() const { return impl_ != nullptr; }
  TensorImpl* impl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }
  bool same(const Tensor& o) const { return impl_ == o.impl_; }

  gradlab::dtype dtype() const;
  shape_t shape() const;
  std::size_t dim() const;
  std::size_t numel() const;

  bool requires_grad() const { return impl_->requires_grad; }
  /// Only leaves may change requires_grad (PyTorch's rule).
  Tensor& requires_grad_(bool on = true);
  bool is_leaf() const { return impl_->grad_fn == nullptr; }
  const std::shared_ptr<Node>& grad_fn() const { return impl_->grad_fn; }
  /// The accumulated gradient, or an undefined Tensor for None.
  Tensor grad() const;
  void set_grad(const Tensor& g);

  /// loss.backward(gradient, retain_graph). gradient may be undefined for scalars.
  void backward(const Tensor& gradient = Tensor(), bool retain_graph = false) const;

  /// A new leaf sharing no graph with this one (torch.Tensor.detach copies nothing in
  /// PyTorch; gradlab copies, so that in-place edits never surprise a learner).
  Tensor detach() const;
  Tensor clone() const;
  Tensor to(gradlab::dtype d) const;

  double item() const;
  std::vector<double> to_vector() const;
  /// Element at flat (row-major) index i, as double.
  double at(std::size_t i) const;

  template <class T>
  const xt::xarray<T>& data() const {
    return std::get<xt::xarray<T>>(impl_->data);
  }
  /// Mutable storage for in-place kernels; callers bump the version themselves via mark_modified.
  template <class T>
  xt::xarray<T>& mutable_data() {
    return std::get<xt::xarray<T>>(impl_->data);
  }
  const array_variant& storage() const { return impl_->data; }
  /// Whether this is a sparse gradient (see TensorImpl::sparse_rows), as torch's is_sparse.
  bool is_sparse() const { return impl_->sparse_rows.has_value(); }
  /// The row indices a sparse gradient lists (with repeats); empty for a dense tensor.
  const std::vector<std::int64_t>& sparse_rows() const;
  /// Marks this tensor as a sparse gradient over `rows`, or dense with std::nullopt.
  void set_sparse_rows(std::optional<std::vector<std::int64_t>> rows) {
    impl_->sparse_rows = std::move(rows);
  }
  std::uint32_t version() const { return impl_->version; }

  // In-place ops. Outside no_grad, using them on a leaf that requires grad is PyTorch's
  // "a leaf Variable that requires grad is being used in an in-place operation." error.
  Tensor& zero_();
  Tensor& fill_(double v);
  Tensor& add_(const Tensor& other, double alpha = 1.0);
  Tensor& sub_(const Tensor& other, double alpha = 1.0);
  Tensor& mul_(const Tensor& other);
  Tensor& mul_(double s);
  Tensor& div_(const Tensor& other);
  Tensor& copy_(const Tensor& src);
  /// Called by in-place kernels: the version check behind PyTorch's "modified by an
  /// inplace operation" error.
  void mark_modified() { ++impl_->version; }
  /// Raises PyTorch's leaf error when an in-place op would corrupt the graph.
  void check_inplace() const;

  // Methods mirroring torch.Tensor; all defined in ops.
  Tensor operator[](long long i) const;
  std::vector<Tensor> unbind(long long dim = 0) const;
  Tensor sum() const;
  Tensor mean() const;
  Tensor pow(double e) const;
  Tensor sum(long long dim, bool keepdim = false) const;
  Tensor mean(long long dim, bool keepdim = false) const;
  Tensor max() const;
  Tensor min() const;
  Tensor pow(const Tensor& e) const;
  // t.NAME() for each Tensor -> Tensor row of the op table
#define GRADLAB_UNARY_OP(NAME, GRAD_FN, PARAMS, NAMESPACES, JS) Tensor NAME() const;
#include "gradlab/ops/op_table.def"
  Tensor clamp(double min, double max) const;
  Tensor t() const;
  Tensor transpose(long long dim0, long long dim1) const;
  Tensor reshape(const std::vector<long long>& shape) const;
  Tensor unsqueeze(long long dim) const;
  Tensor squeeze(long long dim) const;
  Tensor matmul(const Tensor& other) const;

  /// PyTorch's repr, e.g. "tensor([  5.3671, -17.3012], requires_grad=True)".
  std::string repr() const;

 private:
  static Tensor clone_data(const Tensor& t);
  std::shared_ptr<TensorImpl> impl_;
};

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a);
Tensor operator+(const Tensor& a, double b);
Tensor operator-(const Tensor& a, double b);
Tensor operator*(const Tensor& a, double b);
Tensor operator/(const Tensor& a, double b);
Tensor operator+(double a, const Tensor& b);
Tensor operator-(double a, const Tensor& b);
Tensor operator*(double a, const Tensor& b);
Tensor operator/(double a, const Tensor& b);

}  // namespace gradlab
