// Shape-only ops: reshape, (un)squeeze, transpose and t(). gradlab keeps every tensor
// contiguous, so each copies the values; the backward undoes the shape change.
#include <climits>
#include <string>

#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "ops/gemm.hpp"
#include "ops/kernels.hpp"
#include "ops/op_call.hpp"
#include "ops/view_node.hpp"

namespace gradlab {

namespace {
/// ViewBackward0, UnsqueezeBackward0, SqueezeBackward1/4, UnsafeViewBackward0 ...
class ReshapeBackward : public Node {
 public:
  ReshapeBackward(const char* name, shape_t in) : name_(name), in_(std::move(in)) {}
  std::string name() const override { return name_; }
  // a reshape moves no values: the gradient is reshaped back to the input's shape
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {kernels::with_shape(g[0], in_)};
  }

 private:
  const char* name_;
  shape_t in_;
};

/// a with dims d0 and d1 swapped (a copy in the new layout).
Tensor swapped(const Tensor& a, std::size_t d0, std::size_t d1) {
  const shape_t s = a.shape();
  shape_t os = s;
  std::swap(os[d0], os[d1]);
  // strides of a, permuted into the output's dim order
  std::vector<std::size_t> st(s.size());
  std::size_t acc = 1;
  for (std::size_t i = s.size(); i-- > 0;) {
    st[i] = acc;
    acc *= s[i];
  }
  std::swap(st[d0], st[d1]);
  return dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> out = xt::xarray<T>::from_shape(os);
    const T* src = a.data<T>().data();
    T* dst = out.data();
    const std::size_t n = out.size(), nd = os.size();
    if (nd >= 2 && std::min(d0, d1) == nd - 2 && std::max(d0, d1) == nd - 1) {
      // the last two dims (x.t(), x.mT, a linear layer's weight): a blocked transpose per matrix
      const std::size_t rows = s[nd - 2], cols = s[nd - 1];
      for (std::size_t k = 0; rows * cols > 0 && k < n; k += rows * cols)
        kernels::transpose_into(rows, cols, src + k, dst + k);
      return Tensor(std::move(out));
    }
    std::vector<std::size_t> idx(nd, 0);
    std::size_t off = 0;
    for (std::size_t k = 0; k < n; ++k) {  // odometer over the output
      dst[k] = src[off];
      for (std::size_t d = nd; d-- > 0;) {
        off += st[d];
        if (++idx[d] < os[d]) break;
        off -= st[d] * os[d];
        idx[d] = 0;
      }
    }
    return Tensor(std::move(out));
  });
}

class TransposeBackward0 : public Node {
 public:
  TransposeBackward0(std::size_t d0, std::size_t d1, const char* name)
      : d0_(d0), d1_(d1), name_(name) {}
  std::string name() const override { return name_; }
  // transposing is its own inverse: the gradient is transposed back
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {d0_ == d1_ ? g[0] : swapped(g[0], d0_, d1_)};
  }

 private:
  std::size_t d0_, d1_;
  const char* name_;
};

Tensor transpose_named(const Tensor& a, std::size_t d0, std::size_t d1, const char* name) {
  Tensor out = d0 == d1 ? kernels::with_shape(a, a.shape()) : swapped(a, d0, d1);
  kernels::record<TransposeBackward0>(
      {&a}, out, [&] { return std::make_shared<TransposeBackward0>(d0, d1, name); });
  return out;
}
}  // namespace

Tensor named_view(const Tensor& a, const shape_t& shape, const char* grad_fn_name) {
  Tensor out = kernels::with_shape(a, shape);
  kernels::record<ReshapeBackward>(
      {&a}, out, [&] { return std::make_shared<ReshapeBackward>(grad_fn_name, a.shape()); });
  return out;
}

Tensor reshape(const Tensor& a, const std::vector<long long>& shape) {
  const std::size_t n = a.numel();
  auto invalid = [&] {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    runtime_error("shape '" + s + "]' is invalid for input of size " + std::to_string(n));
  };
  long long known = 1;
  int infer = -1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (infer >= 0) runtime_error("only one dimension can be inferred");
      infer = static_cast<int>(i);
    } else if (shape[i] < 0) {
      runtime_error("invalid shape dimension " + std::to_string(shape[i]));
    } else {
      // saturating: a product beyond any size is invalid all the same (no overflow)
      known = shape[i] != 0 && known > LLONG_MAX / shape[i] ? LLONG_MAX : known * shape[i];
    }
  }
  shape_t out(shape.size());
  for (std::size_t i = 0; i < shape.size(); ++i) {
    // a size beyond size_t (32-bit WebAssembly) fits only an empty tensor, which gradlab
    // cannot hold: never a wrapped size
    if (shape[i] > 0 && static_cast<unsigned long long>(shape[i]) > SIZE_MAX && n != 0) invalid();
    out[i] = shape[i] < 0 ? 0 : checked_size(static_cast<unsigned long long>(shape[i]));
  }
  // in 64 bits: a product beyond 32 bits must not wrap to the input's size
  const auto wide = static_cast<unsigned long long>(known);
  if (infer >= 0) {
    if (known == 0 || n % wide != 0) invalid();
    out[static_cast<std::size_t>(infer)] = static_cast<std::size_t>(n / wide);
  } else if (wide != n) {
    invalid();
  }
  return named_view(a, out, "ViewBackward0");
}

Tensor unsqueeze(const Tensor& a, long long dim) {
  const std::size_t d = wrap_dim(dim, a.dim() + 1);
  shape_t s = a.shape();
  s.insert(s.begin() + static_cast<long>(d), 1);
  return named_view(a, s, "UnsqueezeBackward0");
}

Tensor squeeze(const Tensor& a, long long dim) {
  const std::size_t d = wrap_dim(dim, a.dim());
  shape_t s = a.shape();
  if (!s.empty() && s[d] == 1) s.erase(s.begin() + static_cast<long>(d));
  return named_view(a, s, "SqueezeBackward1");
}

Tensor transpose(const Tensor& a, long long dim0, long long dim1) {
  const std::size_t d0 = wrap_dim(dim0, a.dim()), d1 = wrap_dim(dim1, a.dim());
  if (a.dim() == 0) return transpose_named(a, 0, 0, "TransposeBackward0");
  return transpose_named(a, d0, d1, "TransposeBackward0");
}

Tensor t(const Tensor& a) {
  if (a.dim() > 2)
    runtime_error("t() expects a tensor with <= 2 dimensions, but self is " +
                  std::to_string(a.dim()) + "D");
  return a.dim() < 2 ? transpose_named(a, 0, 0, "TBackward0")
                     : transpose_named(a, 0, 1, "TBackward0");
}

// ------------------------------------------------------------------ table rows (op_table.def)
namespace op_call {
Tensor t(const op_arg* a, std::size_t) { return gradlab::t(op_read::tensor(a, 0, "t", "input")); }
Tensor transpose(const op_arg* a, std::size_t) {
  return gradlab::transpose(op_read::tensor(a, 0, "transpose", "input"),
                            op_read::integer(a, 1, "transpose", "dim0"),
                            op_read::integer(a, 2, "transpose", "dim1"));
}
Tensor reshape(const op_arg* a, std::size_t) {
  return gradlab::reshape(op_read::tensor(a, 0, "reshape", "input"),
                          op_read::ints(a, 1, "reshape", "shape"));
}
Tensor squeeze(const op_arg* a, std::size_t) {
  return with_int(&gradlab::squeeze, a, "squeeze", "dim");
}
Tensor unsqueeze(const op_arg* a, std::size_t) {
  return with_int(&gradlab::unsqueeze, a, "unsqueeze", "dim");
}
}  // namespace op_call

}  // namespace gradlab
