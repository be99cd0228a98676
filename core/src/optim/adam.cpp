// torch.optim.Adam, following _single_tensor_adam:
//   g <- grad (negated if maximize); step <- step + 1
//   weight decay: p <- p * (1 - lr * wd) if decoupled, else g <- g + wd * p
//   m <- lerp(m, g, 1 - beta1);  v <- v * beta2 + (1 - beta2) * g * g
//   denom <- sqrt(v or max(v_max, v)) / sqrt(1 - beta2^step) + eps
//   p <- p - lr / (1 - beta1^step) * m / denom
// torch.optim.AdamW is, in PyTorch 2.x, Adam with decoupled weight decay on by default.
#include <algorithm>

#include "adam_family.hpp"

namespace gradlab::optim::detail {

namespace {
struct Adam : declaration {
  static constexpr const char* name = "Adam";
  struct options_t : adam_family_options {
    bool amsgrad = false, decoupled_weight_decay = false;
  };
  static constexpr auto rows = adam_family_rows<options_t>(
      1e-3, {{"amsgrad", false, &options_t::amsgrad},
             {"maximize", false, &options_t::maximize},
             {"foreach", none},
             {"capturable", false},
             {"differentiable", false},
             {"fused", none},
             {"decoupled_weight_decay", false, &options_t::decoupled_weight_decay}});
  struct state_t : moments_state {
    Tensor* max_exp_avg_sq = nullptr;
  };

  static void update(const options_t& o, Tensor& p, const Tensor& g, param_slots st, state_t& s) {
    const auto [step, exp_avg, exp_avg_sq] = s.next(st);
    const double lr = o.lr, eps = o.eps, wd = o.weight_decay;
    const double beta1 = o.betas[0], beta2 = o.betas[1];
    Tensor* max_sq = o.amsgrad ? &st.buffer(s.max_exp_avg_sq, "max_exp_avg_sq") : nullptr;
    const double bias_correction1 = 1 - std::pow(beta1, step);
    const double bias_correction2 = 1 - std::pow(beta2, step);
    const double step_size = lr / bias_correction1;
    const double bias_correction2_sqrt = std::pow(bias_correction2, 0.5);
    on_data(p, g, &exp_avg, &exp_avg_sq, max_sq)
        .apply([&](auto* pd, const auto* gd, auto* m, auto* v, auto* vmax) {
          using T = std::remove_pointer_t<decltype(pd)>;
          for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
            adam_moments(pd[i], gd[i], m[i], v[i], lr, wd, o.decoupled_weight_decay, beta1, beta2,
                         o.maximize);
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
  }
};
}  // namespace

optimizer_info Adam_entry() { return entry<Adam>(); }
optimizer_info AdamW_entry() {
  return entry<Adam>("AdamW", {{"weight_decay", 1e-2}, {"decoupled_weight_decay", true}});
}

}  // namespace gradlab::optim::detail
