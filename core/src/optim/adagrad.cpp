// torch.optim.Adagrad, following _single_tensor_adagrad:
//   g <- grad (negated if maximize) + wd * p;  clr = lr / (1 + (step - 1) * lr_decay)
//   sum <- sum + g^2 (starts at initial_accumulator_value);  p <- p - clr * g / (sqrt(sum) + eps)
#include "declare.hpp"

namespace gradlab::optim::detail {

namespace {
struct Adagrad : declaration {
  static constexpr const char* name = "Adagrad";
  struct options_t {
    double lr = 0, lr_decay = 0, weight_decay = 0, initial_accumulator_value = 0, eps = 0;
    bool maximize = false;
  };
  static constexpr option_row<options_t> rows[] = {
      {"lr", 1e-2, &options_t::lr, checks::learning_rate, 1},
      {"lr_decay", 0.0, &options_t::lr_decay, checks::at_least(0.0, "Invalid lr_decay value: "), 2},
      {"weight_decay", 0.0, &options_t::weight_decay, checks::weight_decay, 3},
      {"initial_accumulator_value", 0.0, &options_t::initial_accumulator_value,
       checks::at_least(0.0, "Invalid initial_accumulator_value value: "), 4},
      {"eps", 1e-10, &options_t::eps, checks::epsilon, 5},
      {"foreach", none},
      {"maximize", false, &options_t::maximize},
      {"differentiable", false},
      {"fused", none}};
  struct state_t {
    double* step = nullptr;
    Tensor* sum = nullptr;
  };

  static void update(const options_t& o, Tensor& p, const Tensor& g, param_slots st, state_t& s) {
    const double wd = o.weight_decay, eps = o.eps;
    Tensor& sum = st.buffer(s.sum, "sum", o.initial_accumulator_value);
    const double step = st.next_step(s.step);
    const double clr = o.lr / (1 + (step - 1) * o.lr_decay);
    on_data(p, g, &sum).apply([&](auto* pd, const auto* gd, auto* acc) {
      using T = std::remove_pointer_t<decltype(pd)>;
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        const T grad = l2_grad(gd[i], pd[i], o.maximize, wd);
        acc[i] = acc[i] + T(1) * grad * grad;
        const T std_ = std::sqrt(acc[i]) + T(eps);
        pd[i] = pd[i] + T(-clr) * grad / std_;
      }
    });
  }
};
}  // namespace

optimizer_info Adagrad_entry() { return entry<Adagrad>(); }

}  // namespace gradlab::optim::detail
