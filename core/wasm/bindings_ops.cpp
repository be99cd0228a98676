// The differentiable op set (core/include/gradlab/ops/*.hpp) for the JS API, one exported C
// function per op over slot numbers (tensor_table.hpp). Dims and indices arrive as doubles
// that the JS layer has checked to be integers in int64's range (PyTorch's TypeError and
// overflow errors are raised there); lists (dims, tensors, class indices) arrive in the
// scratch buffer. Every function is guarded and returns the result's slot, or 0 on error.
#include <limits>
#include <string>

#include "gradlab/error.hpp"
#include "gradlab/int_cast.hpp"
#include "gradlab/ops.hpp"
#include "tensor_table.hpp"

using gradlab::Tensor;
using gradlab_wasm::put;
using gradlab_wasm::scratch;
using gradlab_wasm::T;

namespace {

using ll = long long;
constexpr double inf = std::numeric_limits<double>::infinity();

ll I(double d) { return gradlab::saturating_cast<ll>(d); }

std::vector<ll> scratch_ints(int n) {
  const double* s = scratch().data();
  std::vector<ll> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out[i] = I(s[i]);
  return out;
}

std::vector<Tensor> scratch_tensors(int n) {
  const double* s = scratch().data();
  std::vector<Tensor> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(T(static_cast<int>(s[i])));
  return out;
}

// n results: their slots go to the scratch buffer; returns n.
int put_all(std::vector<Tensor> ts) {
  auto& out = scratch();
  if (out.size() < ts.size()) out.resize(ts.size());
  for (std::size_t i = 0; i < ts.size(); ++i)
    out[i] = gradlab_wasm::g_tensors.put(std::move(ts[i]));
  return static_cast<int>(ts.size());
}

// Reductions over a dim: the values' slot; the indices go to the scratch buffer.
int put_extreme(gradlab::values_indices r) {
  auto& out = scratch();
  if (out.size() < r.indices.size()) out.resize(r.indices.size());
  for (std::size_t i = 0; i < r.indices.size(); ++i) out[i] = static_cast<double>(r.indices[i]);
  return gradlab_wasm::g_tensors.put(std::move(r.values));
}

}  // namespace

#define GL_UNARY(js, fn)                           \
  GL_EXPORT(gl_##js) int gl_##js(int a) {          \
    return put([&] { return gradlab::fn(T(a)); }); \
  }
#define GL_BINARY(js, fn)                                \
  GL_EXPORT(gl_##js) int gl_##js(int a, int b) {         \
    return put([&] { return gradlab::fn(T(a), T(b)); }); \
  }

// The op table's Tensor -> Tensor rows, by row index (gradlab::op_table(), which the JS
// layer reads through opTable() to name its methods).
GL_EXPORT(gl_unary) int gl_unary(int op, int a) {
  return put([&] {
    const auto& rows = gradlab::op_table();
    if (op < 0 || static_cast<std::size_t>(op) >= rows.size() ||
        !rows[static_cast<std::size_t>(op)].fn)
      gradlab::runtime_error("gl_unary: no Tensor -> Tensor op " + std::to_string(op));
    return rows[static_cast<std::size_t>(op)].fn(T(a));
  });
}

// arithmetic (the JS layer turns Python numbers into wrapped scalars: gl_wrap_scalar)
GL_EXPORT(gl_add) int gl_add(int a, int b, double alpha) {
  return put([&] { return gradlab::add(T(a), T(b), alpha); });
}
GL_EXPORT(gl_sub) int gl_sub(int a, int b, double alpha) {
  return put([&] { return gradlab::sub(T(a), T(b), alpha); });
}
GL_BINARY(mul, mul)
GL_BINARY(div, div)
GL_EXPORT(gl_pow) int gl_pow(int a, double e) {
  return put([&] { return gradlab::pow(T(a), e); });
}
GL_BINARY(pow_tensor, pow)
GL_EXPORT(gl_rpow) int gl_rpow(double base, int e) {
  return put([&] { return gradlab::pow(base, T(e)); });
}

// elementwise
// has_min/has_max 0: no bound (None)
GL_EXPORT(gl_clamp) int gl_clamp(int a, int has_min, double lo, int has_max, double hi) {
  return put([&] { return gradlab::clamp(T(a), has_min ? lo : -inf, has_max ? hi : inf); });
}
GL_BINARY(maximum, maximum)

// activations
GL_EXPORT(gl_leaky_relu) int gl_leaky_relu(int a, double slope) {
  return put([&] { return gradlab::leaky_relu(T(a), slope); });
}
GL_EXPORT(gl_elu) int gl_elu(int a, double alpha) {
  return put([&] { return gradlab::elu(T(a), alpha); });
}
// approximate: 0 'none', 1 'tanh', 2 anything else (the engine raises PyTorch's error)
GL_EXPORT(gl_gelu) int gl_gelu(int a, int approximate) {
  return put([&] {
    return gradlab::gelu(T(a), approximate == 0 ? "none" : approximate == 1 ? "tanh" : "?");
  });
}
GL_EXPORT(gl_softplus) int gl_softplus(int a, double beta, double threshold) {
  return put([&] { return gradlab::softplus(T(a), beta, threshold); });
}
GL_EXPORT(gl_softmax) int gl_softmax(int a, double dim) {
  return put([&] { return gradlab::softmax(T(a), I(dim)); });
}
GL_EXPORT(gl_log_softmax) int gl_log_softmax(int a, double dim) {
  return put([&] { return gradlab::log_softmax(T(a), I(dim)); });
}

// linear algebra
GL_BINARY(matmul, matmul)
GL_BINARY(mm, mm)
GL_BINARY(mv, mv)
GL_BINARY(dot, dot)
GL_EXPORT(gl_addmm) int gl_addmm(int bias, int m1, int m2) {
  return put([&] { return gradlab::addmm(T(bias), T(m1), T(m2)); });
}
// bias 0: none
GL_EXPORT(gl_linear) int gl_linear(int x, int w, int bias) {
  return put(
      [&] { return bias ? gradlab::linear(T(x), T(w), T(bias)) : gradlab::linear(T(x), T(w)); });
}

// reductions
GL_UNARY(sum, sum)
GL_UNARY(mean, mean)
GL_UNARY(max, max)
GL_UNARY(min, min)
GL_EXPORT(gl_sum_dim) int gl_sum_dim(int a, double dim, int keepdim) {
  return put([&] { return gradlab::sum(T(a), I(dim), keepdim != 0); });
}
GL_EXPORT(gl_mean_dim) int gl_mean_dim(int a, double dim, int keepdim) {
  return put([&] { return gradlab::mean(T(a), I(dim), keepdim != 0); });
}
GL_EXPORT(gl_max_dim) int gl_max_dim(int a, double dim, int keepdim) {
  return gradlab_wasm::guarded(
      [&] { return put_extreme(gradlab::max(T(a), I(dim), keepdim != 0)); });
}
GL_EXPORT(gl_min_dim) int gl_min_dim(int a, double dim, int keepdim) {
  return gradlab_wasm::guarded(
      [&] { return put_extreme(gradlab::min(T(a), I(dim), keepdim != 0)); });
}

// shape
GL_EXPORT(gl_transpose) int gl_transpose(int a, double d0, double d1) {
  return put([&] { return gradlab::transpose(T(a), I(d0), I(d1)); });
}
GL_UNARY(t, t)
// the n sizes (-1 allowed) in the scratch buffer
GL_EXPORT(gl_reshape) int gl_reshape(int a, int n) {
  return put([&] { return gradlab::reshape(T(a), scratch_ints(n)); });
}
GL_EXPORT(gl_unsqueeze) int gl_unsqueeze(int a, double dim) {
  return put([&] { return gradlab::unsqueeze(T(a), I(dim)); });
}
GL_EXPORT(gl_squeeze) int gl_squeeze(int a, double dim) {
  return put([&] { return gradlab::squeeze(T(a), I(dim)); });
}
// the n tensors' slots in the scratch buffer
GL_EXPORT(gl_stack) int gl_stack(int n, double dim) {
  return put([&] { return gradlab::stack(scratch_tensors(n), I(dim)); });
}
GL_EXPORT(gl_cat) int gl_cat(int n, double dim) {
  return put([&] { return gradlab::cat(scratch_tensors(n), I(dim)); });
}

// indexing
GL_EXPORT(gl_select) int gl_select(int a, double dim, double index, int subscript) {
  return put([&] { return gradlab::select(T(a), I(dim), I(index), subscript != 0); });
}
// the results' slots go to the scratch buffer; returns their count (0 on error)
GL_EXPORT(gl_unbind) int gl_unbind(int a, double dim) {
  return gradlab_wasm::guarded([&] { return put_all(gradlab::unbind(T(a), I(dim))); });
}
// scratch: the n indices, then the index tensor's ndim sizes
GL_EXPORT(gl_embedding) int gl_embedding(int n, int ndim, int weight, int sparse) {
  return put([&] {
    const std::vector<ll> all = scratch_ints(n + ndim);
    const std::vector<std::int64_t> idx(all.begin(), all.begin() + n);
    gradlab::shape_t s;
    for (int i = 0; i < ndim; ++i) s.push_back(static_cast<std::size_t>(all[n + i]));
    return gradlab::embedding(idx, s, T(weight), sparse != 0);
  });
}

// losses (class targets: n indices in the scratch buffer)
GL_BINARY(mse_loss, mse_loss)
GL_BINARY(l1_loss, l1_loss)
GL_EXPORT(gl_huber_loss) int gl_huber_loss(int a, int b, double delta) {
  return put([&] { return gradlab::huber_loss(T(a), T(b), delta); });
}
GL_BINARY(binary_cross_entropy, binary_cross_entropy)
GL_BINARY(binary_cross_entropy_with_logits, binary_cross_entropy_with_logits)
GL_EXPORT(gl_nll_loss) int gl_nll_loss(int a, int n) {
  return put([&] {
    const auto t = scratch_ints(n);
    return gradlab::nll_loss(T(a), std::vector<std::int64_t>(t.begin(), t.end()));
  });
}
GL_EXPORT(gl_cross_entropy) int gl_cross_entropy(int a, int n) {
  return put([&] {
    const auto t = scratch_ints(n);
    return gradlab::cross_entropy(T(a), std::vector<std::int64_t>(t.begin(), t.end()));
  });
}
GL_BINARY(cross_entropy_probs, cross_entropy)
