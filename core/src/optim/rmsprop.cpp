// torch.optim.RMSprop, following _single_tensor_rmsprop:
//   g <- grad (negated if maximize) + wd * p;  s <- s * alpha + (1 - alpha) g^2
//   centered: a <- lerp(a, g, 1 - alpha), avg = sqrt(s - a^2) + eps; else avg = sqrt(s) + eps
//   momentum > 0: b <- b * momentum + g / avg, p <- p - lr b;  else p <- p - lr g / avg
#include "declare.hpp"

namespace gradlab::optim::detail {

namespace {
struct RMSprop : declaration {
  static constexpr const char* name = "RMSprop";
  struct options_t {
    double lr = 0, alpha = 0, eps = 0, weight_decay = 0, momentum = 0;
    bool centered = false, maximize = false;
  };
  static constexpr option_row<options_t> rows[] = {
      {"lr", 1e-2, &options_t::lr, checks::learning_rate, 1},
      {"alpha", 0.99, &options_t::alpha, checks::at_least(0.0, "Invalid alpha value: "), 5},
      {"eps", 1e-8, &options_t::eps, checks::epsilon, 2},
      {"weight_decay", 0.0, &options_t::weight_decay, checks::weight_decay, 4},
      {"momentum", 0.0, &options_t::momentum, checks::at_least(0.0, "Invalid momentum value: "), 3},
      {"centered", false, &options_t::centered},
      {"capturable", false},
      {"foreach", none},
      {"maximize", false, &options_t::maximize},
      {"differentiable", false}};
  struct state_t {
    double* step = nullptr;
    Tensor *square_avg = nullptr, *momentum_buffer = nullptr, *grad_avg = nullptr;
  };

  static void update(const options_t& o, Tensor& p, const Tensor& g, param_slots st, state_t& s) {
    const double lr = o.lr, eps = o.eps, wd = o.weight_decay, alpha = o.alpha,
                 momentum = o.momentum;
    st.next_step(s.step);
    Tensor& square_avg = st.buffer(s.square_avg, "square_avg");
    Tensor* buf = momentum > 0 ? &st.buffer(s.momentum_buffer, "momentum_buffer") : nullptr;
    Tensor* grad_avg = o.centered ? &st.buffer(s.grad_avg, "grad_avg") : nullptr;
    on_data(p, g, &square_avg, buf, grad_avg)
        .apply([&](auto* pd, const auto* gd, auto* sq, auto* b, auto* a) {
          using T = std::remove_pointer_t<decltype(pd)>;
          for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
            const T grad = l2_grad(gd[i], pd[i], o.maximize, wd);
            sq[i] = sq[i] * T(alpha);
            sq[i] = sq[i] + T(1 - alpha) * grad * grad;
            T avg;
            if (a) {
              a[i] = lerp(a[i], grad, T(1 - alpha));
              avg = std::sqrt(sq[i] + T(-1) * a[i] * a[i]);
            } else {
              avg = std::sqrt(sq[i]);
            }
            avg = avg + T(eps);
            if (b) {
              b[i] = b[i] * T(momentum);
              b[i] = b[i] + T(1) * grad / avg;
              pd[i] = pd[i] + T(-lr) * b[i];
            } else {
              pd[i] = pd[i] + T(-lr) * grad / avg;
            }
          }
        });
  }
};
}  // namespace

optimizer_info RMSprop_entry() { return entry<RMSprop>(); }

}  // namespace gradlab::optim::detail
