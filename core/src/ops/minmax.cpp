// max and min, over all elements and along a dim: forward and backward side by side.
#include <cmath>

#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "ops/kernels.hpp"
#include "ops/saved_node.hpp"

namespace gradlab {

namespace {
template <class T>
bool better(T x, T best, bool is_max) {  // nan wins, as nan propagates in PyTorch
  if (std::isnan(best)) return false;
  if (std::isnan(x)) return true;
  return is_max ? x > best : x < best;
}

/// MaxBackward1 / MinBackward1: the all-reduce; ties share the gradient evenly.
class ExtremumAllBackward : public Node {
 public:
  ExtremumAllBackward(const Tensor& a, const Tensor& result, bool is_max)
      : a_(a), result_(result, true), is_max_(is_max) {}
  std::string name() const override { return is_max_ ? "MaxBackward1" : "MinBackward1"; }
  bool saves_values() const override { return true; }
  void release_saved() override {
    a_.reset();
    result_.reset();
  }
  // d(max a)/da_i = 1/k for each of the k elements equal to the max, else 0
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const Tensor a = a_.unpack();
    const double v = result_.unpack().item();
    auto hit = [v](double x) { return x == v || (std::isnan(x) && std::isnan(v)); };
    std::size_t k = 0;
    for (std::size_t i = 0; i < a.numel(); ++i) k += hit(a.at(i));
    return {dispatch(g[0].dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T share = static_cast<T>(g[0].item()) / static_cast<T>(k);
      xt::xarray<T> out = xt::zeros<T>(a.shape());
      for (std::size_t i = 0; i < a.numel(); ++i)
        if (hit(a.at(i))) out.data()[i] = share;
      return Tensor(std::move(out));
    })};
  }

 private:
  SavedTensor a_, result_;
  bool is_max_;
};

/// MaxBackward0 / MinBackward0: along a dim; the gradient goes to the selected index.
class ExtremumDimBackward : public Node {
 public:
  ExtremumDimBackward(shape_t s, std::size_t dim, std::vector<std::int64_t> idx, bool is_max)
      : shape_(std::move(s)), dim_(dim), idx_(std::move(idx)), is_max_(is_max) {}
  std::string name() const override { return is_max_ ? "MaxBackward0" : "MinBackward0"; }
  // d(max_dim a)/da = one-hot at the selected index along dim
  std::vector<Tensor> apply(std::vector<Tensor>&& g) override {
    const kernels::dim_split sp(shape_, dim_);
    return {dispatch(g[0].dtype(), [&](auto tag) {
      using T = decltype(tag);
      xt::xarray<T> out = xt::zeros<T>(shape_);
      const T* gp = g[0].data<T>().data();
      for (std::size_t o = 0; o < sp.outer; ++o)
        for (std::size_t i = 0; i < sp.inner; ++i) {
          const std::size_t r = o * sp.inner + i;
          out.data()[(o * sp.size + static_cast<std::size_t>(idx_[r])) * sp.inner + i] = gp[r];
        }
      return Tensor(std::move(out));
    })};
  }

 private:
  shape_t shape_;
  std::size_t dim_;
  std::vector<std::int64_t> idx_;
  bool is_max_;
};

Tensor extremum_all(const Tensor& a, bool is_max) {
  if (a.numel() == 0)
    runtime_error(std::string(is_max ? "max" : "min") +
                  "(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                  "reduction dim with the 'dim' argument.");
  Tensor out = dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = a.data<T>().data();
    T best = p[0];
    for (std::size_t i = 1; i < a.numel(); ++i)
      if (better(p[i], best, is_max)) best = p[i];
    return Tensor::scalar(static_cast<double>(best), a.dtype());
  });
  kernels::record<ExtremumAllBackward>(
      {&a}, out, [&] { return std::make_shared<ExtremumAllBackward>(a, out, is_max); });
  return out;
}

values_indices extremum_dim(const Tensor& a, long long dim, bool keepdim, bool is_max) {
  if (a.dim() == 0) {
    wrap_dim(dim, 0);
    return {a * 1.0, {0}};
  }
  const std::size_t d = wrap_dim(dim, a.dim());
  const shape_t s = a.shape();
  if (s[d] == 0)
    index_error(std::string(is_max ? "max" : "min") + "(): Expected reduction dim " +
                std::to_string(d) + " to have non-zero size.");
  const kernels::dim_split sp(s, d);
  shape_t rs = s;
  if (keepdim)
    rs[d] = 1;
  else
    rs.erase(rs.begin() + static_cast<long>(d));
  values_indices r;
  r.indices.resize(sp.outer * sp.inner);
  r.values = dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    xt::xarray<T> out = xt::xarray<T>::from_shape(rs);
    const T* p = a.data<T>().data();
    for (std::size_t o = 0; o < sp.outer; ++o)
      for (std::size_t i = 0; i < sp.inner; ++i) {
        std::size_t best = 0;
        for (std::size_t k = 1; k < sp.size; ++k)
          if (better(p[(o * sp.size + k) * sp.inner + i], p[(o * sp.size + best) * sp.inner + i],
                     is_max))
            best = k;
        out.data()[o * sp.inner + i] = p[(o * sp.size + best) * sp.inner + i];
        r.indices[o * sp.inner + i] = static_cast<std::int64_t>(best);
      }
    return Tensor(std::move(out));
  });
  kernels::record<ExtremumDimBackward>({&a}, r.values, [&] {
    return std::make_shared<ExtremumDimBackward>(s, d, r.indices, is_max);
  });
  return r;
}
}  // namespace

Tensor max(const Tensor& a) { return extremum_all(a, true); }
Tensor min(const Tensor& a) { return extremum_all(a, false); }
values_indices max(const Tensor& a, long long dim, bool keepdim) {
  return extremum_dim(a, dim, keepdim, true);
}
values_indices min(const Tensor& a, long long dim, bool keepdim) {
  return extremum_dim(a, dim, keepdim, false);
}

// ------------------------------------------------------------------ table rows (op_table.def)
// (max/min over a dim return values and indices: outside the table)
namespace op_call {
Tensor max(const op_arg* a, std::size_t) {
  return gradlab::max(op_read::tensor(a, 0, "max", "input"));
}
Tensor min(const op_arg* a, std::size_t) {
  return gradlab::min(op_read::tensor(a, 0, "min", "input"));
}
}  // namespace op_call

}  // namespace gradlab
