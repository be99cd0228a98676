// The session's compiled training step, run (see fused_train.hpp; fused_compile.cpp builds it).
// Each node below is one op of the general evaluator (model.cpp), computed by that op's own
// element rules (ops/*.hpp): this file holds only the order and the buffers.
// tests/cpp/fused_train_test.cpp checks the two agree bit for bit.
#include "session/fused_train.hpp"

#include <algorithm>

#include "ops/add.hpp"
#include "ops/index.hpp"
#include "ops/mul.hpp"
#include "ops/pow_scalar.hpp"
#include "ops/reduce.hpp"

namespace gradlab::detail {

using node = fused_train::node;
using op = fused_train::op;

// ------------------------------------------------------------------ forward
fused_train::view fused_train::operand(int id, const float& konst) const {
  if (id < 0) return {&konst, 0};  // a Python number, broadcast
  const std::vector<float>& v = values_[static_cast<std::size_t>(id)];
  return {v.data(), v.size() == 1 ? std::size_t{0} : std::size_t{1}};
}

namespace {
/// g(the element rule of a binary node's op)
template <class G>
void with_rule(op code, G g) {
  if (code == op::add) g(kernels::add_fn{});
  if (code == op::sub) g(kernels::sub_fn{});
  if (code == op::mul) g(kernels::mul_fn{});
  if (code == op::div) g(kernels::div_fn{});
}
}  // namespace

float fused_train::forward(const std::vector<Tensor>& params) {
  param_values_.clear();
  for (const auto& p : params) param_values_.push_back(p.data<float>().data());
  return evaluate(param_values_);
}

float fused_train::evaluate(const std::vector<const float*>& param_values) {
  for (std::size_t k = 0; k < nodes_.size(); ++k) {
    const node& n = nodes_[k];
    std::vector<float>& out = values_[k];
    const view A = operand(n.a, n.ka), B = operand(n.b, n.kb);
    switch (n.code) {
      case op::column:  // filled in by compile()
        break;
      case op::param:
        out[0] = param_values[n.param][0];
        break;
      case op::select:
        kernels::take_slice(param_values[n.param], out.data(),
                            kernels::dim_split(param_shape_[n.param], 0), n.index);
        break;
      case op::add:
      case op::sub:
      case op::mul:
      case op::div:
        with_rule(n.code, [&](auto f) {
          for (std::size_t i = 0; i < out.size(); ++i) out[i] = f(A[i], B[i]);
        });
        break;
      case op::neg:
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = kernels::neg_fn{}(A[i]);
        break;
      case op::pow:
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = kernels::pow_scalar_fn{n.e}(A[i]);
        break;
      case op::mean:
      case op::sum: {
        const std::vector<float>& in = values_[static_cast<std::size_t>(n.a)];
        out[0] = n.code == op::mean ? kernels::mean_of(in.data(), in.size())
                                    : kernels::sum_of(in.data(), in.size());
        break;
      }
    }
  }
  return values_.back()[0];
}

// ------------------------------------------------------------------ backward
void fused_train::backward(std::vector<Tensor>& params) {
  std::fill(has_grad_.begin(), has_grad_.end(), 0);
  std::fill(param_has_grad_.begin(), param_has_grad_.end(), 0);
  const std::size_t last = nodes_.size() - 1;
  grads_[last][0] = 1.0f;  // loss.backward(): a gradient of ones
  has_grad_[last] = 1;

  // engine.cpp's deliver(): fit to the input's shape (sum_to's row sums), then add to what
  // arrived before (add_gradients).
  auto accumulate = [](std::vector<float>& buf, char& has, const float* g) {
    if (!has) {
      std::copy(g, g + buf.size(), buf.begin());
      has = 1;
      return;
    }
    for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = kernels::add_fn{}(buf[i], g[i]);
  };
  std::vector<float>& tmp = scratch_;
  auto deliver = [&](int id, const std::vector<float>& g) {
    const node& in = nodes_[static_cast<std::size_t>(id)];
    float summed = 0.0f;
    const float* fitted = g.data();
    if (g.size() > 1 && !in.row) {
      kernels::sum_rows(g.data(), g.size(), 1, &summed);
      fitted = &summed;
    }
    if (in.code == op::param) {
      accumulate(param_grad_[in.param], param_has_grad_[in.param], fitted);
    } else {
      accumulate(grads_[static_cast<std::size_t>(id)], has_grad_[static_cast<std::size_t>(id)],
                 fitted);
    }
  };
  // tmp[i] = f(g[i], X[i]), delivered to input `id`
  auto deliver_map = [&](int id, const std::vector<float>& g, const view& X, auto f) {
    for (std::size_t i = 0; i < g.size(); ++i) tmp[i] = f(g[i], X[i]);
    deliver(id, tmp);
  };

  // Each op's backward, as its Node computes it (the derivatives are in ops/*.hpp).
  for (std::size_t k = last + 1; k-- > 0;) {
    const node& n = nodes_[k];
    if (!n.grad || !has_grad_[k] || n.code == op::param) continue;
    const std::vector<float>& g = grads_[k];
    const view A = operand(n.a, n.ka), B = operand(n.b, n.kb);
    const bool ga = n.a >= 0 && nodes_[static_cast<std::size_t>(n.a)].grad;
    const bool gb = n.b >= 0 && nodes_[static_cast<std::size_t>(n.b)].grad;
    tmp.resize(g.size());
    switch (n.code) {
      case op::column:
      case op::param:
        break;
      case op::select: {  // SelectBackward0: zeros of the parameter's shape, g in the slice
        std::vector<float>& one_hot = scratch2_;
        one_hot.assign(param_grad_[n.param].size(), 0.0f);
        kernels::put_slice(g.data(), one_hot.data(), kernels::dim_split(param_shape_[n.param], 0),
                           n.index);
        accumulate(param_grad_[n.param], param_has_grad_[n.param], one_hot.data());
        break;
      }
      case op::add:
        if (ga) deliver(n.a, g);
        if (gb) deliver(n.b, g);
        break;
      case op::sub:
        if (ga) deliver(n.a, g);
        if (gb) {
          for (std::size_t i = 0; i < g.size(); ++i) tmp[i] = kernels::neg_fn{}(g[i]);
          deliver(n.b, tmp);
        }
        break;
      case op::mul:
        if (ga) deliver_map(n.a, g, B, kernels::mul_fn{});
        if (gb) deliver_map(n.b, g, A, kernels::mul_fn{});
        break;
      case op::div:
        if (ga) deliver_map(n.a, g, B, kernels::div_fn{});
        if (gb) {
          for (std::size_t i = 0; i < g.size(); ++i)
            tmp[i] = kernels::div_grad_b_fn{}(g[i], A[i], B[i]);
          deliver(n.b, tmp);
        }
        break;
      case op::neg:
        for (std::size_t i = 0; i < g.size(); ++i) tmp[i] = kernels::neg_fn{}(g[i]);
        deliver(n.a, tmp);
        break;
      case op::pow:
        deliver_map(n.a, g, A, kernels::pow_scalar_grad_fn{n.e});
        break;
      case op::mean:
      case op::sum: {  // SumBackward0 / MeanBackward0: the gradient expanded to a's shape
        const std::size_t in_size = values_[static_cast<std::size_t>(n.a)].size();
        std::vector<float>& full = scratch2_;
        full.assign(in_size, n.code == op::mean ? kernels::mean_grad(g[0], in_size) : g[0]);
        deliver(n.a, full);
        break;
      }
    }
  }

  // AccumulateGrad: the first gradient becomes .grad; later ones are added in place.
  for (std::size_t p = 0; p < params.size(); ++p) {
    if (!param_has_grad_[p]) continue;
    const std::vector<float>& g = param_grad_[p];
    Tensor current = params[p].grad();
    if (!current.defined()) {
      xt::xarray<float> a = xt::xarray<float>::from_shape(param_shape_[p]);
      std::copy(g.begin(), g.end(), a.data());
      params[p].set_grad(Tensor(std::move(a)));
    } else {
      float* d = current.mutable_data<float>().data();
      for (std::size_t i = 0; i < g.size(); ++i) d[i] = kernels::add_fn{}(d[i], g[i]);
    }
  }
}

}  // namespace gradlab::detail
