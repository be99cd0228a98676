// torch.optim.NAdam, following _single_tensor_nadam:
//   mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay)), mu_product *= mu_t (a float32 0-dim
//   tensor in PyTorch, so rounded to float32 here too)
//   m <- lerp(m, g, 1 - beta1);  v <- v * beta2 + (1 - beta2) g^2;  denom = sqrt(v / bc2) + eps
//   p <- p - lr (1 - mu) / (1 - mu_product) * g / denom
//        - lr mu_next / (1 - mu_product * mu_next) * m / denom
#include "gradlab/optim/nadam.hpp"

#include "adam_family_checks.hpp"

namespace gradlab::optim {

NAdam::NAdam(std::vector<param_group> groups, const options& opts)
    : optimizer(std::move(groups), info().specs, opts) {
  validate(defaults());
  for (const auto& g : param_groups()) validate(g.opts);
}

optimizer_info NAdam::info() {
  return {"NAdam",
          {{"lr", 2e-3},
           {"betas", std::vector<double>{0.9, 0.999}},
           {"eps", 1e-8},
           {"weight_decay", 0.0},
           {"momentum_decay", 4e-3},
           {"decoupled_weight_decay", false},
           {"maximize", false},
           {"foreach", std::monostate{}},
           {"capturable", false},
           {"differentiable", false}},
          [](std::vector<param_group> g, const options& o) -> std::unique_ptr<optimizer> {
            return std::make_unique<NAdam>(std::move(g), o);
          }};
}

void NAdam::validate(const options& o) const {
  detail::check_lr_eps_betas(o);
  detail::check_weight_decay(o);
  const double md = o.num("momentum_decay");
  if (!(0.0 <= md)) value_error("Invalid momentum_decay value: " + detail::num_repr(md));
}

void NAdam::update_group(param_group& group) {
  const auto& o = group.opts;
  const double lr = o.num("lr"), eps = o.num("eps"), wd = o.num("weight_decay"),
               momentum_decay = o.num("momentum_decay");
  const double beta1 = o.vec("betas").at(0), beta2 = o.vec("betas").at(1);
  const bool maximize = o.flag("maximize"), decoupled = o.flag("decoupled_weight_decay");
  for (auto& p : group.params) {
    const Tensor g = p.grad();
    if (!g.defined()) continue;
    detail::reject_sparse(g, "NAdam");
    auto& st = state_of(p);
    if (!st.scalars.count("mu_product")) st.scalars["mu_product"] = 1.0;
    const double step = detail::next_step(st);
    Tensor& exp_avg = detail::buffer(st, "exp_avg", p);
    Tensor& exp_avg_sq = detail::buffer(st, "exp_avg_sq", p);
    const double bias_correction2 = 1 - std::pow(beta2, step);
    const double mu = beta1 * (1.0 - 0.5 * std::pow(0.96, step * momentum_decay));
    const double mu_next = beta1 * (1.0 - 0.5 * std::pow(0.96, (step + 1) * momentum_decay));
    double& mu_product = st.scalars["mu_product"];
    mu_product = static_cast<double>(static_cast<float>(mu_product) * static_cast<float>(mu));
    const double mu_product_next = mu_product * mu_next;
    const double grad_coef = -lr * (1.0 - mu) / (1.0 - mu_product);
    const double avg_coef = (-lr * mu_next) / (1.0 - mu_product_next);
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pd = detail::data_of<T>(p);
      const T* gd = detail::data_of<T>(g);
      T* m = detail::data_of<T>(exp_avg);
      T* v = detail::data_of<T>(exp_avg_sq);
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        const T grad = detail::adam_moments(pd[i], gd[i], m[i], v[i], lr, wd, decoupled, beta1,
                                            beta2, maximize);
        const T denom = std::sqrt(v[i] / T(bias_correction2)) + T(eps);
        pd[i] = pd[i] + T(grad_coef) * grad / denom;
        pd[i] = pd[i] + T(avg_coef) * m[i] / denom;
      }
    });
    p.mark_modified();
  }
}

}  // namespace gradlab::optim
