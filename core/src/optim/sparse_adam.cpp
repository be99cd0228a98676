// torch.optim.SparseAdam: the grad is coalesced (unique sorted rows, repeated rows summed --
// gradlab's dense-shaped sparse grad already holds those sums) and only those rows change:
//   m_r += (g_r - m_r) (1 - beta1);  v_r += (g_r^2 - v_r) (1 - beta2)
//   p_r <- p_r - lr sqrt(1 - beta2^t) / (1 - beta1^t) * m_r / (sqrt(v_r) + eps)
#include <set>

#include "adam_family.hpp"

namespace gradlab::optim::detail {

namespace {
struct SparseAdam : declaration {
  static constexpr const char* name = "SparseAdam";
  static constexpr bool sparse_grads = true;
  using options_t = adam_family_options;
  static constexpr auto rows =
      adam_family_rows<options_t, false>(1e-3, {{"maximize", false, &options_t::maximize}});
  using state_t = moments_state;

  static void update(const options_t& o, Tensor& p, const Tensor& g, param_slots st, state_t& s) {
    if (!is_sparse(g))
      runtime_error("SparseAdam does not support dense gradients, please consider Adam instead");
    const std::set<std::int64_t> rows(g.impl()->sparse_rows->begin(), g.impl()->sparse_rows->end());
    // PyTorch keeps SparseAdam's step as a Python int
    double& step = st.scalar(s.step, "step");
    step += 1;
    Tensor& exp_avg = st.buffer(s.exp_avg, "exp_avg");
    Tensor& exp_avg_sq = st.buffer(s.exp_avg_sq, "exp_avg_sq");
    if (rows.empty()) return;
    const double beta1 = o.betas[0], beta2 = o.betas[1];
    const std::size_t width = p.dim() == 0 ? 1 : p.numel() / p.shape()[0];
    const double bias_correction1 = 1 - std::pow(beta1, step);
    const double bias_correction2 = 1 - std::pow(beta2, step);
    const double step_size = o.lr * std::sqrt(bias_correction2) / bias_correction1;
    on_data(p, g, &exp_avg, &exp_avg_sq).apply([&](auto* pd, const auto* gd, auto* m, auto* v) {
      using T = std::remove_pointer_t<decltype(pd)>;
      for (std::int64_t r : rows) {
        for (std::size_t j = 0; j < width; ++j) {
          const std::size_t i = static_cast<std::size_t>(r) * width + j;
          const T grad = o.maximize ? -gd[i] : gd[i];
          const T old_m = m[i], old_v = v[i];
          T m_update = (grad - old_m) * T(1 - beta1);
          m[i] = old_m + m_update;
          T v_update = (grad * grad - old_v) * T(1 - beta2);
          v[i] = old_v + v_update;
          const T numer = m_update + old_m;
          const T denom = std::sqrt(v_update + old_v) + T(o.eps);
          pd[i] = pd[i] + T(-step_size) * (numer / denom);
        }
      }
    });
  }
};
}  // namespace

optimizer_info SparseAdam_entry() { return entry<SparseAdam>(); }

}  // namespace gradlab::optim::detail
