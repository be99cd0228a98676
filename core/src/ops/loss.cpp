// Losses with reduction="mean": forward and backward side by side, each backward the
// formula of PyTorch's own *_backward kernel.
#include <cmath>
#include <initializer_list>
#include <string>

#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"
#include "ops/reduce.hpp"
#include "ops/saved_node.hpp"
#include "util/portable_math.hpp"

namespace gradlab {

namespace {
std::string torch_size(const shape_t& s) { return "torch.Size(" + shape_str(s) + ")"; }

/// mean over all elements of f(x, y) (x, y broadcast), summed as gradlab's mean() does (ATen's
/// losses reduce with at::mean).
template <class F>
Tensor mean_of(const Tensor& a, const Tensor& b, F f) {
  const Tensor e = kernels::binary(a, b, f);
  return dispatch(e.dtype(), [&](auto tag) {
    using T = decltype(tag);
    return Tensor::scalar(kernels::mean_of(e.data<T>().data(), e.numel()), e.dtype());
  });
}

/// A loss node over (input, target): both saved; `d` gives d loss_i / d input_i times the
/// upstream scalar g and 1/n; d/dtarget is -d/dinput unless the node says otherwise.
class PairLossNode : public TwoSavedNode {
 public:
  using TwoSavedNode::TwoSavedNode;
};

class MseLossBackward0 : public PairLossNode {
 public:
  using PairLossNode::PairLossNode;
  std::string name() const override { return "MseLossBackward0"; }
  // d mean((a - b)^2)/da = 2 (a - b) g / n; d/db = the negative
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const Tensor a = saved_a(), b = saved_b();
    const double n = static_cast<double>(numel(broadcast_shapes(a.shape(), b.shape())));
    const double gv = g[0].item();
    const Tensor ga = kernels::binary(a, b, [n, gv](auto x, auto y) {
      using T = decltype(x);
      return T(2) / static_cast<T>(n) * (x - y) * static_cast<T>(gv);
    });
    return {ga, needs_input_grad(1) ? neg(ga) : Tensor()};
  }
};

class HuberLossBackward0 : public PairLossNode {
 public:
  HuberLossBackward0(const Tensor& a, const Tensor& b, double delta)
      : PairLossNode(a, b), delta_(delta) {}
  std::string name() const override { return "HuberLossBackward0"; }
  // d huber/da = (a - b) / n inside |a - b| <= delta, else delta * sign(a - b) / n; times g
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const Tensor a = saved_a(), b = saved_b();
    const double n = static_cast<double>(numel(broadcast_shapes(a.shape(), b.shape())));
    const double gv = g[0].item(), dl = delta_;
    const Tensor ga = kernels::binary(a, b, [n, gv, dl](auto x, auto y) {
      using T = decltype(x);
      const T norm = T(1) / static_cast<T>(n), d = static_cast<T>(dl), gg = static_cast<T>(gv);
      const T diff = x - y;
      if (diff < -d) return -norm * gg * d;
      if (diff > d) return norm * gg * d;
      return norm * diff * gg;
    });
    return {ga, needs_input_grad(1) ? neg(ga) : Tensor()};
  }

 private:
  double delta_;
};

class BinaryCrossEntropyBackward0 : public PairLossNode {
 public:
  using PairLossNode::PairLossNode;
  std::string name() const override { return "BinaryCrossEntropyBackward0"; }
  // d bce/dx = (x - y) / max(x (1 - x), 1e-12) * g / n; d/dy = (log(1 - x) - log(x)) g / n
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const Tensor x = saved_a(), y = saved_b();
    const double n = static_cast<double>(x.numel()), gv = g[0].item();
    Tensor gx, gy;
    if (needs_input_grad(0))
      gx = kernels::binary(x, y, [n, gv](auto p, auto t) GRADLAB_INLINE_LAMBDA {
        using T = decltype(p);
        const T eps = T(1e-12);
        return static_cast<T>(gv) * (p - t) / std::max((1 - p) * p, eps) / static_cast<T>(n);
      });
    if (needs_input_grad(1))
      gy = kernels::binary(x, y, [n, gv](auto p, auto) {
        using T = decltype(p);
        const T lo = T(-100);
        return static_cast<T>(gv) * (std::max(std::log1p(-p), lo) - std::max(std::log(p), lo)) /
               static_cast<T>(n);
      });
    return {gx, gy};
  }
};

class BinaryCrossEntropyWithLogitsBackward0 : public PairLossNode {
 public:
  using PairLossNode::PairLossNode;
  std::string name() const override { return "BinaryCrossEntropyWithLogitsBackward0"; }
  // d/dx = (sigmoid(x) - y) g / n; d/dy = -x g / n
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const Tensor x = saved_a(), y = saved_b();
    const double n = static_cast<double>(x.numel()), gv = g[0].item();
    Tensor gx, gy;
    if (needs_input_grad(0))
      gx = kernels::binary(x, y, kernels::long_chain{[n, gv](auto p, auto t) GRADLAB_INLINE_LAMBDA {
                             using T = decltype(p);
                             return (1 / (1 + portable::exp_of(-p)) - t) * static_cast<T>(gv) /
                                    static_cast<T>(n);
                           }});
    if (needs_input_grad(1))
      gy = kernels::binary(x, y, [n, gv](auto p, auto) {
        using T = decltype(p);
        return -p * static_cast<T>(gv) / static_cast<T>(n);
      });
    return {gx, gy};
  }
};

class NllLossBackward0 : public Node {
 public:
  NllLossBackward0(shape_t s, std::vector<std::int64_t> target, double total_weight)
      : shape_(std::move(s)), target_(std::move(target)), total_(total_weight) {}
  std::string name() const override { return "NllLossBackward0"; }
  // d(-mean_i x[i, t_i])/dx = -g / (number of counted targets) at each [i, t_i], else 0
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    return {dispatch(g[0].dtype(), [&](auto tag) {
      using T = decltype(tag);
      xt::xarray<T> out = xt::zeros<T>(shape_);
      const std::size_t c = shape_.size() == 1 ? shape_[0] : shape_[1];
      const T v = -static_cast<T>(g[0].item()) / static_cast<T>(total_);
      for (std::size_t i = 0; i < target_.size(); ++i)
        if (target_[i] != kIgnoreIndex)
          out.data()[i * c + static_cast<std::size_t>(target_[i])] = v;
      return Tensor(std::move(out));
    })};
  }
  static constexpr std::int64_t kIgnoreIndex = -100;

 private:
  shape_t shape_;
  std::vector<std::int64_t> target_;
  double total_;
};
}  // namespace

Tensor mse_loss(const Tensor& a, const Tensor& b) {
  Tensor out = mean_of(a, b, [](auto x, auto y) { return (x - y) * (x - y); });
  kernels::record<MseLossBackward0>({&a, &b}, out,
                                    [&] { return std::make_shared<MseLossBackward0>(a, b); });
  return out;
}

Tensor l1_loss(const Tensor& a, const Tensor& b) {
  // PyTorch composes it the same way, so the grad_fn is MeanBackward0
  return mean(abs(sub(a, b)));
}

Tensor huber_loss(const Tensor& a, const Tensor& b, double delta) {
  if (!(delta > 0)) runtime_error("huber_loss does not support non-positive values for delta.");
  Tensor out = mean_of(a, b, [delta](auto x, auto y) {
    using T = decltype(x);
    const T d = static_cast<T>(delta), z = std::fabs(x - y);
    return z < d ? T(0.5) * z * z : d * (z - T(0.5) * d);
  });
  kernels::record<HuberLossBackward0>(
      {&a, &b}, out, [&] { return std::make_shared<HuberLossBackward0>(a, b, delta); });
  return out;
}

Tensor binary_cross_entropy(const Tensor& x, const Tensor& y) {
  if (x.shape() != y.shape())
    value_error("Using a target size (" + torch_size(y.shape()) +
                ") that is different to the input size (" + torch_size(x.shape()) +
                ") is deprecated. Please ensure they have the same size.");
  for (std::size_t i = 0; i < x.numel(); ++i) {
    const double v = x.at(i);
    if (!(v >= 0 && v <= 1)) runtime_error("all elements of input should be between 0 and 1");
  }
  Tensor out = mean_of(x, y, [](auto p, auto t) {
    using T = decltype(p);
    const T lo = T(-100);  // PyTorch clamps each log at -100 so that 0 and 1 stay finite
    return (t - 1) * std::max(std::log1p(-p), lo) - t * std::max(std::log(p), lo);
  });
  kernels::record<BinaryCrossEntropyBackward0>(
      {&x, &y}, out, [&] { return std::make_shared<BinaryCrossEntropyBackward0>(x, y); });
  return out;
}

Tensor binary_cross_entropy_with_logits(const Tensor& x, const Tensor& y) {
  if (x.shape() != y.shape())
    value_error("Target size (" + torch_size(y.shape()) + ") must be the same as input size (" +
                torch_size(x.shape()) + ")");
  Tensor out = mean_of(x, y, kernels::long_chain{[](auto p, auto t) GRADLAB_INLINE_LAMBDA {
                         using T = decltype(p);
                         return std::max(p, T(0)) - p * t +
                                portable::log1p_of(portable::exp_of(-std::fabs(p)));
                       }});
  kernels::record<BinaryCrossEntropyWithLogitsBackward0>(
      {&x, &y}, out, [&] { return std::make_shared<BinaryCrossEntropyWithLogitsBackward0>(x, y); });
  return out;
}

Tensor nll_loss(const Tensor& input, const std::vector<std::int64_t>& target) {
  const shape_t s = input.shape();
  if (s.empty() || s.size() > 2) runtime_error("input tensor should be 1D or 2D");
  const std::size_t batch = s.size() == 1 ? 1 : s[0], classes = s.size() == 1 ? s[0] : s[1];
  if (target.size() != batch)
    value_error("Expected input batch_size (" + std::to_string(batch) +
                ") to match target batch_size (" + std::to_string(target.size()) + ").");
  for (auto t : target)
    if (t != NllLossBackward0::kIgnoreIndex && (t < 0 || static_cast<std::size_t>(t) >= classes))
      index_error("Target " + std::to_string(t) + " is out of bounds.");
  double total = 0;
  Tensor out = dispatch(input.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* x = input.data<T>().data();
    T sum = 0;
    for (std::size_t i = 0; i < batch; ++i) {
      if (target[i] == NllLossBackward0::kIgnoreIndex) continue;
      sum -= x[i * classes + static_cast<std::size_t>(target[i])];
      total += 1;
    }
    return Tensor::scalar(static_cast<double>(sum / static_cast<T>(total)), input.dtype());
  });
  kernels::record<NllLossBackward0>(
      {&input}, out, [&] { return std::make_shared<NllLossBackward0>(s, target, total); });
  return out;
}

Tensor cross_entropy(const Tensor& input, const std::vector<std::int64_t>& target) {
  if (input.dim() == 0 || input.dim() > 2) runtime_error("input tensor should be 1D or 2D");
  return nll_loss(log_softmax(input, input.dim() == 1 ? 0 : 1), target);
}

Tensor cross_entropy(const Tensor& input, const Tensor& target) {
  return cross_entropy(input, kernels::to_indices(target));
}

// ------------------------------------------------------------------ table rows (op_table.def)
// torch.nn.functional's signatures; the engine computes reduction='mean' without weights.
namespace op_call {
namespace {
// Python's repr of an option's value for messages
std::string repr(const op_arg& v) {
  switch (v.kind) {
    case op_arg::string:
      return v.s;
    case op_arg::integer:
      return std::to_string(v.i);
    case op_arg::boolean:
      return v.b ? "True" : "False";
    case op_arg::real:
      return py_repr(v.r);
    default:
      return v.type_name();
  }
}

// The reduction at index r, and the options the engine does not compute (None or their
// default) at the indices in unsupported.
void check_options(const op_arg* a, const char* op, std::size_t r,
                   std::initializer_list<std::size_t> unsupported, const char* const names[]) {
  const op_arg& red = a[r];
  if (red.kind != op_arg::string || (red.s != "mean" && red.s != "sum" && red.s != "none"))
    value_error(repr(red) + " is not a valid value for reduction");
  std::size_t k = 0;
  for (std::size_t i : unsupported) {
    if (!a[i].is_none())
      not_implemented_error(std::string(op) + "(): gradlab does not take " + names[k] + " (got " +
                            repr(a[i]) + ")");
    ++k;
  }
  if (red.s != "mean")
    not_implemented_error("gradlab computes losses with reduction='mean' only (got '" + red.s +
                          "')");
}
Tensor input(const op_arg* a, const char* op) { return op_read::tensor(a, 0, op, "input"); }
Tensor target(const op_arg* a, const char* op) { return op_read::tensor(a, 1, op, "target"); }
const char* const legacy[] = {"size_average", "reduce"};
}  // namespace

Tensor mse_loss(const op_arg* a, std::size_t) {
  check_options(a, "mse_loss", 4, {2, 3}, legacy);
  return gradlab::mse_loss(input(a, "mse_loss"), target(a, "mse_loss"));
}
Tensor l1_loss(const op_arg* a, std::size_t) {
  check_options(a, "l1_loss", 4, {2, 3}, legacy);
  return gradlab::l1_loss(input(a, "l1_loss"), target(a, "l1_loss"));
}
Tensor huber_loss(const op_arg* a, std::size_t) {
  check_options(a, "huber_loss", 2, {}, legacy);
  return gradlab::huber_loss(input(a, "huber_loss"), target(a, "huber_loss"),
                             op_read::real(a, 3, "huber_loss", "delta"));
}
Tensor binary_cross_entropy(const op_arg* a, std::size_t) {
  static const char* const names[] = {"weight", "size_average", "reduce"};
  check_options(a, "binary_cross_entropy", 5, {2, 3, 4}, names);
  return gradlab::binary_cross_entropy(input(a, "binary_cross_entropy"),
                                       target(a, "binary_cross_entropy"));
}
Tensor binary_cross_entropy_with_logits(const op_arg* a, std::size_t) {
  static const char* const names[] = {"weight", "size_average", "reduce", "pos_weight"};
  const char* op = "binary_cross_entropy_with_logits";
  check_options(a, op, 5, {2, 3, 4, 6}, names);
  return gradlab::binary_cross_entropy_with_logits(input(a, op), target(a, op));
}
Tensor cross_entropy(const op_arg* a, std::size_t) {
  static const char* const names[] = {"weight", "size_average", "reduce"};
  check_options(a, "cross_entropy", 6, {2, 3, 5}, names);
  if (op_read::integer(a, 4, "cross_entropy", "ignore_index") != -100)
    not_implemented_error("cross_entropy(): gradlab does not take ignore_index");
  if (op_read::real(a, 7, "cross_entropy", "label_smoothing") != 0)
    not_implemented_error("cross_entropy(): gradlab does not take label_smoothing");
  // a Tensor target of whole-number class indices (gradlab has no integer dtype; PyTorch
  // needs .long())
  return gradlab::cross_entropy(input(a, "cross_entropy"), target(a, "cross_entropy"));
}
}  // namespace op_call

}  // namespace gradlab
