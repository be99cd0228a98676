// torch.optim.Adam, following _single_tensor_adam:
//   g <- grad (negated if maximize); step <- step + 1
//   weight decay: p <- p * (1 - lr * wd) if decoupled, else g <- g + wd * p
//   m <- lerp(m, g, 1 - beta1);  v <- v * beta2 + (1 - beta2) * g * g
//   denom <- sqrt(v or max(v_max, v)) / sqrt(1 - beta2^step) + eps
//   p <- p - lr / (1 - beta1^step) * m / denom
#include "gradlab/optim/adam.hpp"

#include <algorithm>

#include "adam_family_checks.hpp"

namespace gradlab::optim {

Adam::Adam(std::vector<param_group> groups, const options& opts)
    : Adam(std::move(groups), opts, info().specs) {}

Adam::Adam(std::vector<param_group> groups, const options& opts,
           const std::vector<option_spec>& specs)
    : optimizer(std::move(groups), specs, opts) {
  validate(defaults());
  for (const auto& g : param_groups()) validate(g.opts);
}

optimizer_info Adam::info() {
  return {"Adam",
          {{"lr", 1e-3},
           {"betas", std::vector<double>{0.9, 0.999}},
           {"eps", 1e-8},
           {"weight_decay", 0.0},
           {"amsgrad", false},
           {"maximize", false},
           {"foreach", std::monostate{}},
           {"capturable", false},
           {"differentiable", false},
           {"fused", std::monostate{}},
           {"decoupled_weight_decay", false}},
          [](std::vector<param_group> g, const options& o) -> std::unique_ptr<optimizer> {
            return std::make_unique<Adam>(std::move(g), o);
          }};
}

void Adam::validate(const options& o) const {
  detail::check_lr_eps_betas(o);
  detail::check_weight_decay(o);
}

void Adam::update_group(param_group& group) {
  const auto& o = group.opts;
  const double lr = o.num("lr"), eps = o.num("eps"), wd = o.num("weight_decay");
  const double beta1 = o.vec("betas").at(0), beta2 = o.vec("betas").at(1);
  const bool amsgrad = o.flag("amsgrad"), maximize = o.flag("maximize"),
             decoupled = o.flag("decoupled_weight_decay");
  for (auto& p : group.params) {
    const Tensor g = p.grad();
    if (!g.defined()) continue;
    detail::reject_sparse(g, "Adam");
    auto& st = state_of(p);
    const double step = detail::next_step(st);
    Tensor& exp_avg = detail::buffer(st, "exp_avg", p);
    Tensor& exp_avg_sq = detail::buffer(st, "exp_avg_sq", p);
    Tensor* max_sq = amsgrad ? &detail::buffer(st, "max_exp_avg_sq", p) : nullptr;
    const double bias_correction1 = 1 - std::pow(beta1, step);
    const double bias_correction2 = 1 - std::pow(beta2, step);
    const double step_size = lr / bias_correction1;
    const double bias_correction2_sqrt = std::pow(bias_correction2, 0.5);
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pd = detail::data_of<T>(p);
      const T* gd = detail::data_of<T>(g);
      T* m = detail::data_of<T>(exp_avg);
      T* v = detail::data_of<T>(exp_avg_sq);
      T* vmax = max_sq ? detail::data_of<T>(*max_sq) : nullptr;
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        detail::adam_moments(pd[i], gd[i], m[i], v[i], lr, wd, decoupled, beta1, beta2, maximize);
        T denom;
        if (vmax) {
          vmax[i] = std::max(vmax[i], v[i]);
          denom = std::sqrt(vmax[i]) / T(bias_correction2_sqrt) + T(eps);
        } else {
          denom = std::sqrt(v[i]) / T(bias_correction2_sqrt) + T(eps);
        }
        pd[i] = pd[i] + T(-step_size) * m[i] / denom;
      }
    });
    p.mark_modified();
  }
}

}  // namespace gradlab::optim
