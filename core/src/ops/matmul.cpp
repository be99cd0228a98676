// Matrix products: dot, mv, mm, addmm, matmul's dispatch and linear; forward and backward
// side by side. All of them run on the blocked kernel in gemm.cpp.
#include <vector>

#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "ops/gemm.hpp"
#include "ops/kernels.hpp"
#include "ops/op_call.hpp"
#include "ops/saved_node.hpp"
#include "ops/view_node.hpp"

namespace gradlab {

namespace {
std::string dims_str(const shape_t& s) {  // "2x3", as PyTorch's matmul messages print shapes
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? "x" : "") + std::to_string(s[i]);
  return out;
}

const char* c10_name(dtype d) { return d == dtype::float32 ? "float" : "double"; }

/// op(a) @ op(b) for matrices, where op transposes when asked (materialised into a reused
/// buffer, so the kernel always runs its contiguous i-k-j loop).
Tensor matprod(const Tensor& a, bool ta, const Tensor& b, bool tb) {
  const shape_t as = a.shape(), bs = b.shape();
  const std::size_t m = ta ? as[1] : as[0], k = ta ? as[0] : as[1];
  const std::size_t n = tb ? bs[0] : bs[1];
  check_numel({m, n});  // [N, 1] @ [1, N] outgrows its inputs
  return dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    static thread_local std::vector<T> bbuf;
    const T* ap = a.data<T>().data();
    const T* bp = b.data<T>().data();
    // a^T is read in place by the kernel; b^T (in the backward, a weight: small) is copied
    if (tb) {
      // grow only: resize() to a larger size zero-fills the new part, and the products of
      // a network alternate between weight sizes, so shrinking made every call a memset
      if (bbuf.size() < k * n) bbuf.resize(k * n);
      kernels::transpose_into(bs[0], bs[1], bp, bbuf.data());
      bp = bbuf.data();
    }
    xt::xarray<T> out = xt::xarray<T>::from_shape({m, n});
    kernels::gemm<T>(m, n, k, ap, bp, out.data(), false, ta);
    return Tensor(std::move(out));
  });
}

void check_same_dtype(const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype())
    runtime_error(std::string("expected m1 and m2 to have the same dtype, but got: ") +
                  c10_name(a.dtype()) + " != " + c10_name(b.dtype()));
}

class MmBackward0 : public TwoSavedNode {
 public:
  using TwoSavedNode::TwoSavedNode;
  std::string name() const override { return "MmBackward0"; }
  // d(a @ b)/da = g @ b^T, d(a @ b)/db = a^T @ g
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    Tensor ga, gb;
    if (needs_input_grad(0)) ga = matprod(g[0], false, saved_b(), true);
    if (needs_input_grad(1)) gb = matprod(saved_a(), true, g[0], false);
    return {ga, gb};
  }
};

class AddmmBackward0 : public TwoSavedNode {
 public:
  using TwoSavedNode::TwoSavedNode;
  std::string name() const override { return "AddmmBackward0"; }
  // d(bias + a @ b): g for bias (summed to its shape by the engine), g @ b^T, a^T @ g
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    Tensor ga, gb;
    if (needs_input_grad(1)) ga = matprod(g[0], false, saved_b(), true);
    if (needs_input_grad(2)) gb = matprod(saved_a(), true, g[0], false);
    return {g[0], ga, gb};
  }
};

class MvBackward0 : public Node {
 public:
  MvBackward0(const Tensor& a, const Tensor& v) : a_(a), v_(v) {}
  std::string name() const override { return "MvBackward0"; }
  bool saves_values() const override { return true; }
  // d(a @ v)/da = outer(g, v), d(a @ v)/dv = a^T @ g
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    Tensor ga, gv;
    const Tensor gcol = kernels::with_shape(g[0], {g[0].numel(), 1});
    if (needs_input_grad(0)) {
      const Tensor v = v_.unpack();
      ga = matprod(gcol, false, kernels::with_shape(v, {1, v.numel()}), false);
    }
    if (needs_input_grad(1)) {
      const Tensor a = a_.unpack();
      gv = kernels::with_shape(matprod(a, true, gcol, false), {a.shape()[1]});
    }
    return {ga, gv};
  }
  void release_saved() override {
    a_.reset();
    v_.reset();
  }

 private:
  SavedTensor a_, v_;
};

class DotBackward0 : public TwoSavedNode {
 public:
  using TwoSavedNode::TwoSavedNode;
  std::string name() const override { return "DotBackward0"; }
  // d(a . b)/da = g b, d(a . b)/db = g a
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    Tensor ga, gb;
    if (needs_input_grad(0)) ga = mul(g[0], saved_b());
    if (needs_input_grad(1)) gb = mul(g[0], saved_a());
    return {ga, gb};
  }
};
}  // namespace

Tensor mm(const Tensor& a, const Tensor& b) {
  if (a.dim() != 2) runtime_error("self must be a matrix");
  if (b.dim() != 2) runtime_error("mat2 must be a matrix");
  if (a.shape()[1] != b.shape()[0])
    runtime_error("mat1 and mat2 shapes cannot be multiplied (" + dims_str(a.shape()) + " and " +
                  dims_str(b.shape()) + ")");
  check_same_dtype(a, b);
  Tensor out = matprod(a, false, b, false);
  kernels::record<MmBackward0>({&a, &b}, out, [&] {
    return std::make_shared<MmBackward0>(b.requires_grad() ? a : Tensor(),
                                         a.requires_grad() ? b : Tensor());
  });
  return out;
}

Tensor addmm(const Tensor& bias, const Tensor& a, const Tensor& b) {
  if (a.dim() != 2 || b.dim() != 2) runtime_error("mat1 and mat2 must be matrices");
  if (a.shape()[1] != b.shape()[0])
    runtime_error("mat1 and mat2 shapes cannot be multiplied (" + dims_str(a.shape()) + " and " +
                  dims_str(b.shape()) + ")");
  check_same_dtype(a, b);
  const shape_t target{a.shape()[0], b.shape()[1]};
  const shape_t bs = bias.shape();
  for (std::size_t i = 0; i < bs.size() && bs.size() <= 2; ++i) {
    const std::size_t t = target[i + 2 - bs.size()];
    if (bs[i] != t && bs[i] != 1)
      runtime_error("The expanded size of the tensor (" + std::to_string(t) +
                    ") must match the existing size (" + std::to_string(bs[i]) +
                    ") at non-singleton dimension " + std::to_string(i + 2 - bs.size()) +
                    ".  Target sizes: " + shape_str(target) + ".  Tensor sizes: " + shape_str(bs));
  }
  if (bs.size() > 2) runtime_error("addmm: bias must have at most 2 dimensions");
  Tensor prod = matprod(a, false, b, false);
  Tensor out;
  {
    no_grad_guard ng;
    out = add(bias.to(a.dtype()), prod);
  }
  kernels::record<AddmmBackward0>({&bias, &a, &b}, out, [&] {
    return std::make_shared<AddmmBackward0>(b.requires_grad() ? a : Tensor(),
                                            a.requires_grad() ? b : Tensor());
  });
  return out;
}

Tensor mv(const Tensor& a, const Tensor& v) {
  if (a.dim() != 2 || v.dim() != 1)
    runtime_error("vector + matrix @ vector expected, got 1, " + std::to_string(a.dim()) + ", " +
                  std::to_string(v.dim()));
  if (a.shape()[1] != v.shape()[0])
    runtime_error("size mismatch, got input (" + std::to_string(a.shape()[0]) + "), mat (" +
                  dims_str(a.shape()) + "), vec (" + std::to_string(v.shape()[0]) + ")");
  check_same_dtype(a, v);
  Tensor out = kernels::with_shape(matprod(a, false, kernels::with_shape(v, {v.numel(), 1}), false),
                                   {a.shape()[0]});
  kernels::record<MvBackward0>({&a, &v}, out, [&] {
    return std::make_shared<MvBackward0>(v.requires_grad() ? a : Tensor(),
                                         a.requires_grad() ? v : Tensor());
  });
  return out;
}

Tensor dot(const Tensor& a, const Tensor& b) {
  if (a.dim() != 1 || b.dim() != 1)
    runtime_error("1D tensors expected, but got " + std::to_string(a.dim()) + "D and " +
                  std::to_string(b.dim()) + "D tensors");
  if (a.numel() != b.numel())
    runtime_error("inconsistent tensor size, expected tensor [" + std::to_string(a.numel()) +
                  "] and src [" + std::to_string(b.numel()) +
                  "] to have the same number of elements, but got " + std::to_string(a.numel()) +
                  " and " + std::to_string(b.numel()) + " elements respectively");
  if (a.dtype() != b.dtype())
    runtime_error(std::string("dot : expected both vectors to have same dtype, but found ") +
                  (a.dtype() == dtype::float32 ? "Float" : "Double") + " and " +
                  (b.dtype() == dtype::float32 ? "Float" : "Double"));
  Tensor out = dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* ap = a.data<T>().data();
    const T* bp = b.data<T>().data();
    T s = 0;
    for (std::size_t i = 0; i < a.numel(); ++i) s += ap[i] * bp[i];
    return Tensor::scalar(static_cast<double>(s), a.dtype());
  });
  kernels::record<DotBackward0>({&a, &b}, out, [&] {
    return std::make_shared<DotBackward0>(b.requires_grad() ? a : Tensor(),
                                          a.requires_grad() ? b : Tensor());
  });
  return out;
}

Tensor matmul(const Tensor& a, const Tensor& b) {
  const std::size_t da = a.dim(), db = b.dim();
  if (da == 0 || db == 0)
    runtime_error("both arguments to matmul need to be at least 1D, but they are " +
                  std::to_string(da) + "D and " + std::to_string(db) + "D");
  if (da == 1 && db == 1) return dot(a, b);
  if (da == 2 && db == 1) return mv(a, b);
  if (da == 1 && db == 2) {
    // PyTorch: a.unsqueeze(0).mm(b).squeeze_(0), hence grad_fn SqueezeBackward4
    const Tensor row = named_view(a, {1, a.numel()}, "UnsqueezeBackward0");
    const Tensor prod = mm(row, b);
    return named_view(prod, {b.shape()[1]}, "SqueezeBackward4");
  }
  if (da == 2 && db == 2) return mm(a, b);
  if (da >= 3 && db <= 2) {
    // PyTorch folds the batch dims of a into rows: one mm, then an unsafe view back
    const shape_t as = a.shape();
    const std::size_t k = as.back();
    const Tensor folded = named_view(a, {a.numel() / k, k}, "ViewBackward0");
    const Tensor rhs = db == 2 ? b : named_view(b, {b.numel(), 1}, "UnsqueezeBackward0");
    const Tensor prod = mm(folded, rhs);
    shape_t out_shape(as.begin(), as.end() - 1);
    if (db == 2) out_shape.push_back(b.shape()[1]);
    return named_view(prod, out_shape, "UnsafeViewBackward0");
  }
  runtime_error("gradlab: matmul with a batched (3-D or more) right operand is not supported");
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  if (x.dim() == 0 || weight.dim() == 0)
    runtime_error("both arguments to linear need to be at least 1D, but they are " +
                  std::to_string(x.dim()) + "D and " + std::to_string(weight.dim()) + "D");
  if (x.dim() == 2 && bias.defined()) return addmm(bias, x, t(weight));
  std::size_t bias_dims = 0;  // PyTorch fuses a bias that is 1-D after squeeze()
  if (bias.defined())
    for (auto s : bias.shape()) bias_dims += s != 1;
  if (bias.defined() && weight.dim() == 2 && (bias.dim() == 1 || bias_dims == 1)) {
    // PyTorch's _flatten_nd_linear: rows folded into a matrix, one addmm, a view back
    const shape_t xs = x.shape();
    const std::size_t k = xs.back();
    const Tensor flat = named_view(x, {x.numel() / k, k}, "ViewBackward0");
    const Tensor out = addmm(bias, flat, t(weight));
    shape_t os = xs;
    os.back() = out.shape()[1];
    return named_view(out, os, "ViewBackward0");
  }
  Tensor out = matmul(x, t(weight));
  return bias.defined() ? add(out, bias) : out;
}

// ------------------------------------------------------------------ table rows (op_table.def)
namespace op_call {
Tensor matmul(const op_arg* a, std::size_t) {
  return with_tensor(&gradlab::matmul, a, "matmul", "other");
}
Tensor mm(const op_arg* a, std::size_t) { return with_tensor(&gradlab::mm, a, "mm", "mat2"); }
Tensor mv(const op_arg* a, std::size_t) { return with_tensor(&gradlab::mv, a, "mv", "vec"); }
Tensor dot(const op_arg* a, std::size_t) { return with_tensor(&gradlab::dot, a, "dot", "tensor"); }
Tensor addmm(const op_arg* a, std::size_t) {
  return gradlab::addmm(op_read::tensor(a, 0, "addmm", "input"),
                        op_read::tensor(a, 1, "addmm", "mat1"),
                        op_read::tensor(a, 2, "addmm", "mat2"));
}
Tensor linear(const op_arg* a, std::size_t) {
  return gradlab::linear(op_read::tensor(a, 0, "linear", "input"),
                         op_read::tensor(a, 1, "linear", "weight"),
                         op_read::optional_tensor(a, 2, "linear", "bias"));
}
}  // namespace op_call

}  // namespace gradlab
