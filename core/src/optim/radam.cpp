// torch.optim.RAdam, following _single_tensor_radam:
//   m, v as in Adam; rho_inf = 2 / (1 - beta2) - 1; rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
//   rho_t > 5: p <- p - (m / bc1) * lr * sqrt(bc2) / (sqrt(v) + eps) * rect
//   else:      p <- p - (m / bc1) * lr
#include "adam_family.hpp"

namespace gradlab::optim::detail {

namespace {
struct RAdam : declaration {
  static constexpr const char* name = "RAdam";
  struct options_t : adam_family_options {
    bool decoupled_weight_decay = false;
  };
  static constexpr auto rows = adam_family_rows<options_t>(
      1e-3, {{"maximize", false, &options_t::maximize},
             {"foreach", none},
             {"capturable", false},
             {"decoupled_weight_decay", false, &options_t::decoupled_weight_decay},
             {"differentiable", false}});
  using state_t = moments_state;

  static void update(const options_t& o, Tensor& p, const Tensor& g, param_slots st, state_t& s) {
    const auto [step, exp_avg, exp_avg_sq] = s.next(st);
    const double lr = o.lr, eps = o.eps, wd = o.weight_decay;
    const double beta1 = o.betas[0], beta2 = o.betas[1];
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
    on_data(p, g, &exp_avg, &exp_avg_sq).apply([&](auto* pd, const auto* gd, auto* m, auto* v) {
      using T = std::remove_pointer_t<decltype(pd)>;
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        adam_moments(pd[i], gd[i], m[i], v[i], lr, wd, o.decoupled_weight_decay, beta1, beta2,
                     o.maximize);
        const T corrected = m[i] / T(bias_correction1);
        if (rectified) {
          const T adaptive = T(bc2_sqrt) / (std::sqrt(v[i]) + T(eps));
          pd[i] = pd[i] + T(-1.0) * (corrected * T(lr) * adaptive * T(rect));
        } else {
          pd[i] = pd[i] + T(-1.0) * (corrected * T(lr));
        }
      }
    });
  }
};
}  // namespace

optimizer_info RAdam_entry() { return entry<RAdam>(); }

}  // namespace gradlab::optim::detail
