// torch.optim.Adamax, following _single_tensor_adamax:
//   g <- grad (negated if maximize) + wd * p;  m <- lerp(m, g, 1 - beta1)
//   u <- max(u * beta2, |g| + eps);  p <- p - lr / (1 - beta1^step) * m / u
#include <algorithm>

#include "adam_family.hpp"

namespace gradlab::optim::detail {

namespace {
struct Adamax : declaration {
  static constexpr const char* name = "Adamax";
  using options_t = adam_family_options;
  static constexpr auto rows =
      adam_family_rows<options_t>(2e-3, {{"foreach", none},
                                         {"maximize", false, &options_t::maximize},
                                         {"differentiable", false},
                                         {"capturable", false}});
  struct state_t {
    double* step = nullptr;
    Tensor *exp_avg = nullptr, *exp_inf = nullptr;
  };

  static void update(const options_t& o, Tensor& p, const Tensor& g, param_slots st, state_t& s) {
    const double eps = o.eps, wd = o.weight_decay, beta1 = o.betas[0], beta2 = o.betas[1];
    const double step = st.next_step(s.step);
    Tensor& exp_avg = st.buffer(s.exp_avg, "exp_avg");
    Tensor& exp_inf = st.buffer(s.exp_inf, "exp_inf");
    const double clr = o.lr / (1 - std::pow(beta1, step));
    on_data(p, g, &exp_avg, &exp_inf).apply([&](auto* pd, const auto* gd, auto* m, auto* u) {
      using T = std::remove_pointer_t<decltype(pd)>;
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        const T grad = l2_grad(gd[i], pd[i], o.maximize, wd);
        m[i] = lerp(m[i], grad, T(1 - beta1));
        u[i] = std::max(u[i] * T(beta2), std::fabs(grad) + T(eps));
        pd[i] = pd[i] + T(-clr) * m[i] / u[i];
      }
    });
  }
};
}  // namespace

optimizer_info Adamax_entry() { return entry<Adamax>(); }

}  // namespace gradlab::optim::detail
