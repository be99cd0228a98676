// torch.optim.ASGD, following _single_tensor_asgd:
//   g <- grad (negated if maximize) + wd * p
//   p <- p * (1 - lambd * eta) - eta * g
//   ax <- ax + (p - ax) * mu   (a plain copy of p while mu == 1)
//   eta <- lr / (1 + lambd * lr * step)^alpha;  mu <- 1 / max(1, step - t0)
// eta and mu are float32 0-dim tensors in PyTorch: their values are rounded to float32.
#include <algorithm>

#include "declare.hpp"

namespace gradlab::optim::detail {

namespace {
struct ASGD : declaration {
  static constexpr const char* name = "ASGD";
  struct options_t {
    double lr = 0, lambd = 0, alpha = 0, t0 = 0, weight_decay = 0;
    bool maximize = false;
  };
  static constexpr option_row<options_t> rows[] = {
      {"lr", 1e-2, &options_t::lr, checks::learning_rate, 1},
      {"lambd", 1e-4, &options_t::lambd},
      {"alpha", 0.75, &options_t::alpha},
      {"t0", 1e6, &options_t::t0},
      {"weight_decay", 0.0, &options_t::weight_decay, checks::weight_decay, 2},
      {"foreach", none},
      {"maximize", false, &options_t::maximize},
      {"differentiable", false},
      {"capturable", false}};
  struct state_t {
    double *eta = nullptr, *mu = nullptr, *step = nullptr;
    Tensor* ax = nullptr;
  };

  static void update(const options_t& o, Tensor& p, const Tensor& g, param_slots st, state_t& s) {
    const double lr = o.lr, lambd = o.lambd, wd = o.weight_decay;
    double& eta_ = st.scalar(s.eta, "eta", f32(lr));
    double& mu_ = st.scalar(s.mu, "mu", 1.0);
    const double step = st.next_step(s.step);
    Tensor& ax = st.buffer(s.ax, "ax");
    const double eta = eta_, mu = mu_;
    on_data(p, g, &ax).apply([&](auto* pd, const auto* gd, auto* a) {
      using T = std::remove_pointer_t<decltype(pd)>;
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        const T grad = l2_grad(gd[i], pd[i], o.maximize, wd);
        pd[i] = pd[i] * T(1 - lambd * eta);
        pd[i] = pd[i] + T(-eta) * grad;
        if (mu != 1)
          a[i] = a[i] + (pd[i] - a[i]) * T(mu);
        else
          a[i] = pd[i];
      }
    });
    eta_ = f32(lr / std::pow(1 + lambd * lr * step, o.alpha));
    mu_ = f32(1 / std::max(1.0, step - o.t0));
  }
};
}  // namespace

optimizer_info ASGD_entry() { return entry<ASGD>(); }

}  // namespace gradlab::optim::detail
