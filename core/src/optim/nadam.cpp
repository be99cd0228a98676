// torch.optim.NAdam, following _single_tensor_nadam:
//   mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay)), mu_product *= mu_t (a float32 0-dim
//   tensor in PyTorch, so rounded to float32 here too)
//   m <- lerp(m, g, 1 - beta1);  v <- v * beta2 + (1 - beta2) g^2;  denom = sqrt(v / bc2) + eps
//   p <- p - lr (1 - mu) / (1 - mu_product) * g / denom
//        - lr mu_next / (1 - mu_product * mu_next) * m / denom
#include "adam_family.hpp"

namespace gradlab::optim::detail {

namespace {
struct NAdam : declaration {
  static constexpr const char* name = "NAdam";
  struct options_t : adam_family_options {
    double momentum_decay = 0;
    bool decoupled_weight_decay = false;
  };
  static constexpr auto rows = adam_family_rows<options_t>(
      2e-3, {{"momentum_decay", 4e-3, &options_t::momentum_decay,
              checks::at_least(0.0, "Invalid momentum_decay value: "), 5},
             {"decoupled_weight_decay", false, &options_t::decoupled_weight_decay},
             {"maximize", false, &options_t::maximize},
             {"foreach", none},
             {"capturable", false},
             {"differentiable", false}});
  struct state_t : moments_state {
    double* mu_product = nullptr;
  };

  static void update(const options_t& o, Tensor& p, const Tensor& g, param_slots st, state_t& s) {
    double& mu_product = st.scalar(s.mu_product, "mu_product", 1.0);
    const auto [step, exp_avg, exp_avg_sq] = s.next(st);
    const double lr = o.lr, eps = o.eps, wd = o.weight_decay;
    const double beta1 = o.betas[0], beta2 = o.betas[1];
    const double bias_correction2 = 1 - std::pow(beta2, step);
    const double mu = beta1 * (1.0 - 0.5 * std::pow(0.96, step * o.momentum_decay));
    const double mu_next = beta1 * (1.0 - 0.5 * std::pow(0.96, (step + 1) * o.momentum_decay));
    mu_product = static_cast<double>(static_cast<float>(mu_product) * static_cast<float>(mu));
    const double mu_product_next = mu_product * mu_next;
    const double grad_coef = -lr * (1.0 - mu) / (1.0 - mu_product);
    const double avg_coef = (-lr * mu_next) / (1.0 - mu_product_next);
    on_data(p, g, &exp_avg, &exp_avg_sq).apply([&](auto* pd, const auto* gd, auto* m, auto* v) {
      using T = std::remove_pointer_t<decltype(pd)>;
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        const T grad = adam_moments(pd[i], gd[i], m[i], v[i], lr, wd, o.decoupled_weight_decay,
                                    beta1, beta2, o.maximize);
        const T denom = std::sqrt(v[i] / T(bias_correction2)) + T(eps);
        pd[i] = pd[i] + T(grad_coef) * grad / denom;
        pd[i] = pd[i] + T(avg_coef) * m[i] / denom;
      }
    });
  }
};
}  // namespace

optimizer_info NAdam_entry() { return entry<NAdam>(); }

}  // namespace gradlab::optim::detail
