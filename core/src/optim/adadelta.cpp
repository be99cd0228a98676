// torch.optim.Adadelta, following _single_tensor_adadelta:
//   g <- grad (negated if maximize) + wd * p;  s <- s * rho + (1 - rho) g^2
//   delta = sqrt(acc + eps) / sqrt(s + eps) * g;  acc <- acc * rho + (1 - rho) delta^2
//   p <- p - lr * delta
#include "declare.hpp"

namespace gradlab::optim::detail {

namespace {
struct Adadelta : declaration {
  static constexpr const char* name = "Adadelta";
  struct options_t {
    double lr = 0, rho = 0, eps = 0, weight_decay = 0;
    bool maximize = false;
  };
  static constexpr option_row<options_t> rows[] = {
      {"lr", 1.0, &options_t::lr, checks::learning_rate, 1},
      {"rho", 0.9, &options_t::rho, checks::within(0.0, 1.0, "Invalid rho value: "), 2},
      {"eps", 1e-6, &options_t::eps, checks::epsilon, 3},
      {"weight_decay", 0.0, &options_t::weight_decay, checks::weight_decay, 4},
      {"maximize", false, &options_t::maximize},
      {"capturable", false},
      {"foreach", none},
      {"differentiable", false}};
  struct state_t {
    double* step = nullptr;
    Tensor *square_avg = nullptr, *acc_delta = nullptr;
  };

  static void update(const options_t& o, Tensor& p, const Tensor& g, param_slots st, state_t& s) {
    const double lr = o.lr, rho = o.rho, eps = o.eps, wd = o.weight_decay;
    st.next_step(s.step);
    Tensor& square_avg = st.buffer(s.square_avg, "square_avg");
    Tensor& acc_delta = st.buffer(s.acc_delta, "acc_delta");
    on_data(p, g, &square_avg, &acc_delta)
        .apply([&](auto* pd, const auto* gd, auto* sq, auto* acc) {
          using T = std::remove_pointer_t<decltype(pd)>;
          for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
            const T grad = l2_grad(gd[i], pd[i], o.maximize, wd);
            sq[i] = sq[i] * T(rho);
            sq[i] = sq[i] + T(1 - rho) * grad * grad;
            const T std_ = std::sqrt(sq[i] + T(eps));
            T delta = std::sqrt(acc[i] + T(eps));
            delta = delta / std_;
            delta = delta * grad;
            acc[i] = acc[i] * T(rho);
            acc[i] = acc[i] + T(1 - rho) * delta * delta;
            pd[i] = pd[i] + T(-lr) * delta;
          }
        });
  }
};
}  // namespace

optimizer_info Adadelta_entry() { return entry<Adadelta>(); }

}  // namespace gradlab::optim::detail
