// torch.optim.Adamax, following _single_tensor_adamax:
//   g <- grad (negated if maximize) + wd * p;  m <- lerp(m, g, 1 - beta1)
//   u <- max(u * beta2, |g| + eps);  p <- p - lr / (1 - beta1^step) * m / u
#include "gradlab/optim/adamax.hpp"

#include <algorithm>

#include "adam_family_checks.hpp"

namespace gradlab::optim {

Adamax::Adamax(std::vector<param_group> groups, const options& opts)
    : optimizer(std::move(groups), info().specs, opts) {
  validate(defaults());
  for (const auto& g : param_groups()) validate(g.opts);
}

optimizer_info Adamax::info() {
  return {"Adamax",
          {{"lr", 2e-3},
           {"betas", std::vector<double>{0.9, 0.999}},
           {"eps", 1e-8},
           {"weight_decay", 0.0},
           {"foreach", std::monostate{}},
           {"maximize", false},
           {"differentiable", false},
           {"capturable", false}},
          [](std::vector<param_group> g, const options& o) -> std::unique_ptr<optimizer> {
            return std::make_unique<Adamax>(std::move(g), o);
          }};
}

void Adamax::validate(const options& o) const {
  detail::check_lr_eps_betas(o);
  detail::check_weight_decay(o);
}

void Adamax::update_group(param_group& group) {
  const auto& o = group.opts;
  const double lr = o.num("lr"), eps = o.num("eps"), wd = o.num("weight_decay");
  const double beta1 = o.vec("betas").at(0), beta2 = o.vec("betas").at(1);
  const bool maximize = o.flag("maximize");
  for (auto& p : group.params) {
    const Tensor g = p.grad();
    if (!g.defined()) continue;
    detail::reject_sparse(g, "Adamax");
    auto& st = state_of(p);
    const double step = detail::next_step(st);
    Tensor& exp_avg = detail::buffer(st, "exp_avg", p);
    Tensor& exp_inf = detail::buffer(st, "exp_inf", p);
    const double clr = lr / (1 - std::pow(beta1, step));
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pd = detail::data_of<T>(p);
      const T* gd = detail::data_of<T>(g);
      T* m = detail::data_of<T>(exp_avg);
      T* u = detail::data_of<T>(exp_inf);
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        T grad = maximize ? -gd[i] : gd[i];
        if (wd != 0) grad = grad + T(wd) * pd[i];
        m[i] = detail::lerp(m[i], grad, T(1 - beta1));
        u[i] = std::max(u[i] * T(beta2), std::fabs(grad) + T(eps));
        pd[i] = pd[i] + T(-clr) * m[i] / u[i];
      }
    });
    p.mark_modified();
  }
}

}  // namespace gradlab::optim
