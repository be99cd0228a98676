// The loss landscape: the model evaluated on a grid of two parameter elements under
// no_grad (no graph is built), every other parameter fixed at its current value.
#include <algorithm>
#include <cmath>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/session.hpp"
#include "session/fused_loss.hpp"

namespace gradlab {

landscape_grid session::landscape(param_element x, double x_min, double x_max, param_element y,
                                  double y_min, double y_max, std::size_t n, std::size_t first,
                                  std::size_t count) const {
  if (x.param >= params_.size() || y.param >= params_.size())
    index_error("landscape: no such parameter");
  if (x.element >= params_[x.param].numel() || y.element >= params_[y.param].numel())
    index_error("landscape: element out of range");
  if (n < 2 || n > 1000) value_error("landscape: the grid size must be between 2 and 1000");
  if (first > n * n) index_error("landscape: the first point is past the grid's end");
  count = std::min(count, n * n - first);
  landscape_grid out;
  out.n = n;
  out.first = first;
  out.x_min = x_min;
  out.x_max = x_max;
  out.y_min = y_min;
  out.y_max = y_max;
  auto label = [&](const param_element& e) {
    const std::string& name = model_.params()[e.param].name;
    return params_[e.param].dim() == 0 ? name : name + "[" + std::to_string(e.element) + "]";
  };
  out.x_label = label(x);
  out.y_label = label(y);
  out.loss.resize(count);
  auto at = [&](std::size_t i, double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(n - 1);
  };

  // The fused evaluator when the model allows it: no tensors per grid point.
  if (auto fused = detail::fused_loss::compile(model_, full_columns_, params_)) {
    std::vector<float> pv = fused->initial_values(params_);
    const std::size_t xo = fused->offset(x.param, x.element),
                      yo = fused->offset(y.param, y.element);
    for (std::size_t k = first; k < first + count; ++k) {
      pv[yo] = static_cast<float>(at(k / n, y_min, y_max));
      pv[xo] = static_cast<float>(at(k % n, x_min, x_max));
      out.loss[k - first] = fused->eval(pv);
    }
    return out;
  }

  no_grad_guard ng;
  std::vector<Tensor> probe;
  for (const auto& p : params_) probe.push_back(p.detach());
  std::vector<Tensor> cols;
  for (const auto& c : full_columns_) cols.push_back(c.second);
  auto set = [&](const param_element& e, double v) {
    dispatch(probe[e.param].dtype(), [&](auto tag) {
      using T = decltype(tag);
      probe[e.param].mutable_data<T>().data()[e.element] = static_cast<T>(v);
    });
  };
  for (std::size_t k = first; k < first + count; ++k) {
    set(y, at(k / n, y_min, y_max));
    set(x, at(k % n, x_min, x_max));
    out.loss[k - first] = static_cast<float>(model_.loss(probe, cols).item());
  }
  return out;
}

}  // namespace gradlab
