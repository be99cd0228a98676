// The loss landscape: the model evaluated on a grid of two parameter elements under
// no_grad (no graph is built), every other parameter fixed at its current value.
#include <cmath>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/session.hpp"
#include "session/fused_loss.hpp"

namespace gradlab {

landscape_grid session::landscape(param_element x, double x_min, double x_max, param_element y,
                                  double y_min, double y_max, std::size_t n) const {
  if (x.param >= params_.size() || y.param >= params_.size())
    index_error("landscape: no such parameter");
  if (x.element >= params_[x.param].numel() || y.element >= params_[y.param].numel())
    index_error("landscape: element out of range");
  if (n < 2 || n > 1000) value_error("landscape: the grid size must be between 2 and 1000");
  landscape_grid out;
  out.n = n;
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
  out.loss.resize(n * n);

  // The fused evaluator when the model allows it: no tensors per grid point.
  if (auto fused = detail::fused_loss::compile(model_, full_columns_, params_)) {
    std::vector<float> pv = fused->initial_values(params_);
    const std::size_t xo = fused->offset(x.param, x.element),
                      yo = fused->offset(y.param, y.element);
    for (std::size_t iy = 0; iy < n; ++iy) {
      pv[yo] = static_cast<float>(y_min + (y_max - y_min) * static_cast<double>(iy) /
                                              static_cast<double>(n - 1));
      for (std::size_t ix = 0; ix < n; ++ix) {
        pv[xo] = static_cast<float>(x_min + (x_max - x_min) * static_cast<double>(ix) /
                                                static_cast<double>(n - 1));
        out.loss[iy * n + ix] = fused->eval(pv);
      }
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
  for (std::size_t iy = 0; iy < n; ++iy) {
    const double yv =
        y_min + (y_max - y_min) * static_cast<double>(iy) / static_cast<double>(n - 1);
    set(y, yv);
    for (std::size_t ix = 0; ix < n; ++ix) {
      const double xv =
          x_min + (x_max - x_min) * static_cast<double>(ix) / static_cast<double>(n - 1);
      set(x, xv);
      out.loss[iy * n + ix] = static_cast<float>(model_.loss(probe, cols).item());
    }
  }
  return out;
}

}  // namespace gradlab
