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
  using rows_ = adam_family_rows<options_t>;
  static constexpr option_row<options_t> rows[] = {
      rows_::lr(2e-3),           rows_::betas(),       rows_::eps(),
      rows_::weight_decay(),     {"foreach", none},    {"maximize", false, &options_t::maximize},
      {"differentiable", false}, {"capturable", false}};
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
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pd = data_of<T>(p);
      const T* gd = data_of<T>(g);
      T* m = data_of<T>(exp_avg);
      T* u = data_of<T>(exp_inf);
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        T grad = o.maximize ? -gd[i] : gd[i];
        if (wd != 0) grad = grad + T(wd) * pd[i];
        m[i] = lerp(m[i], grad, T(1 - beta1));
        u[i] = std::max(u[i] * T(beta2), std::fabs(grad) + T(eps));
        pd[i] = pd[i] + T(-clr) * m[i] / u[i];
      }
    });
    p.mark_modified();
  }
};
}  // namespace

optimizer_info Adamax_entry() { return entry<Adamax>(); }

}  // namespace gradlab::optim::detail
