// torch.optim.RAdam, following _single_tensor_radam:
//   m, v as in Adam; rho_inf = 2 / (1 - beta2) - 1; rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
//   rho_t > 5: p <- p - (m / bc1) * lr * sqrt(bc2) / (sqrt(v) + eps) * rect
//   else:      p <- p - (m / bc1) * lr
#include "gradlab/optim/radam.hpp"

#include "adam_family_checks.hpp"

namespace gradlab::optim {

RAdam::RAdam(std::vector<param_group> groups, const options& opts)
    : optimizer(std::move(groups), info().specs, opts) {
  validate(defaults());
  for (const auto& g : param_groups()) validate(g.opts);
}

optimizer_info RAdam::info() {
  return {"RAdam",
          {{"lr", 1e-3},
           {"betas", std::vector<double>{0.9, 0.999}},
           {"eps", 1e-8},
           {"weight_decay", 0.0},
           {"maximize", false},
           {"foreach", std::monostate{}},
           {"capturable", false},
           {"decoupled_weight_decay", false},
           {"differentiable", false}},
          [](std::vector<param_group> g, const options& o) -> std::unique_ptr<optimizer> {
            return std::make_unique<RAdam>(std::move(g), o);
          }};
}

void RAdam::validate(const options& o) const {
  detail::check_lr_eps_betas(o);
  detail::check_weight_decay(o);
}

void RAdam::update_group(param_group& group) {
  const auto& o = group.opts;
  const double lr = o.num("lr"), eps = o.num("eps"), wd = o.num("weight_decay");
  const double beta1 = o.vec("betas").at(0), beta2 = o.vec("betas").at(1);
  const bool maximize = o.flag("maximize"), decoupled = o.flag("decoupled_weight_decay");
  for (auto& p : group.params) {
    const Tensor g = p.grad();
    if (!g.defined()) continue;
    detail::reject_sparse(g, "RAdam");
    auto& st = state_of(p);
    const double step = detail::next_step(st);
    Tensor& exp_avg = detail::buffer(st, "exp_avg", p);
    Tensor& exp_avg_sq = detail::buffer(st, "exp_avg_sq", p);
    const double bias_correction1 = 1 - std::pow(beta1, step);
    const double bias_correction2 = 1 - std::pow(beta2, step);
    const double rho_inf = 2 / (1 - beta2) - 1;
    const double rho_t = rho_inf - 2 * step * std::pow(beta2, step) / bias_correction2;
    const bool rectified = rho_t > 5.0;
    const double rect = rectified ? std::pow((rho_t - 4) * (rho_t - 2) * rho_inf /
                                                 ((rho_inf - 4) * (rho_inf - 2) * rho_t),
                                             0.5)
                                  : 0.0;
    const double bc2_sqrt = std::pow(bias_correction2, 0.5);
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pd = detail::data_of<T>(p);
      const T* gd = detail::data_of<T>(g);
      T* m = detail::data_of<T>(exp_avg);
      T* v = detail::data_of<T>(exp_avg_sq);
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        const T grad = detail::adam_moments(pd[i], gd[i], m[i], v[i], lr, wd, decoupled, beta1,
                                            beta2, maximize);
        const T corrected = m[i] / T(bias_correction1);
        if (rectified) {
          const T adaptive = T(bc2_sqrt) / (std::sqrt(v[i]) + T(eps));
          pd[i] = pd[i] + T(-1.0) * (corrected * T(lr) * adaptive * T(rect));
        } else {
          pd[i] = pd[i] + T(-1.0) * (corrected * T(lr));
        }
      }
    });
    p.mark_modified();
  }
}

}  // namespace gradlab::optim
