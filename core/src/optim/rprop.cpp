// torch.optim.Rprop, following _single_tensor_rprop:
//   s = sign(g * prev) mapped to etaplus (>0), etaminus (<0), 1 (0)
//   step_size <- clamp(step_size * s, step_size_min, step_size_max)
//   g <- 0 where s == etaminus;  p <- p - sign(g) * step_size;  prev <- g
#include <algorithm>

#include "declare.hpp"

namespace gradlab::optim::detail {

namespace {
struct Rprop : declaration {
  static constexpr const char* name = "Rprop";
  struct options_t {
    double lr = 0;
    tuple etas, step_sizes;
    bool maximize = false;
  };
  static void check_etas(const option_check& c, const options& o, const std::string& k) {
    const auto& etas = o.vec(k);
    if (!(0.0 < etas[0] && etas[0] < 1.0 && 1.0 < etas[1]))
      value_error(c.text + num_repr(etas[0]) + ", " + num_repr(etas[1]));
  }
  static constexpr option_row<options_t> rows[] = {
      {"lr", 1e-2, &options_t::lr, checks::learning_rate, 1},
      {"etas", {0.5, 1.2}, &options_t::etas, checks::rule(check_etas, "Invalid eta values: "), 2},
      {"step_sizes", {1e-6, 50.0}, &options_t::step_sizes},
      {"foreach", none},
      {"maximize", false, &options_t::maximize},
      {"differentiable", false},
      {"capturable", false}};
  struct state_t {
    double* step = nullptr;
    Tensor *prev = nullptr, *step_size = nullptr;
  };

  static void update(const options_t& o, Tensor& p, const Tensor& g, param_slots st, state_t& s) {
    const double etaminus = o.etas[0], etaplus = o.etas[1];
    const double step_min = o.step_sizes[0], step_max = o.step_sizes[1];
    st.next_step(s.step);
    Tensor& prev = st.buffer(s.prev, "prev");
    Tensor& step_size = st.buffer(s.step_size, "step_size", o.lr);
    on_data(p, g, &prev, &step_size).apply([&](auto* pd, const auto* gd, auto* pv, auto* ss) {
      using T = std::remove_pointer_t<decltype(pd)>;
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        T grad = o.maximize ? -gd[i] : gd[i];
        const T prod = grad * pv[i];
        T sign = prod > 0 ? T(etaplus) : prod < 0 ? T(etaminus) : T(1);
        ss[i] = std::min(std::max(ss[i] * sign, T(step_min)), T(step_max));
        if (sign == T(etaminus)) grad = 0;
        const T grad_sign = grad > 0 ? T(1) : grad < 0 ? T(-1) : T(0);
        pd[i] = pd[i] + T(-1) * grad_sign * ss[i];
        pv[i] = grad;
      }
    });
  }
};
}  // namespace

optimizer_info Rprop_entry() { return entry<Rprop>(); }

}  // namespace gradlab::optim::detail
