// torch.optim.SparseAdam: the grad is coalesced (unique sorted rows, repeated rows summed --
// gradlab's dense-shaped sparse grad already holds those sums) and only those rows change:
//   m_r += (g_r - m_r) (1 - beta1);  v_r += (g_r^2 - v_r) (1 - beta2)
//   p_r <- p_r - lr sqrt(1 - beta2^t) / (1 - beta1^t) * m_r / (sqrt(v_r) + eps)
#include "gradlab/optim/sparse_adam.hpp"

#include <algorithm>
#include <set>

#include "adam_family_checks.hpp"

namespace gradlab::optim {

SparseAdam::SparseAdam(std::vector<param_group> groups, const options& opts)
    : optimizer(std::move(groups), info().specs, opts) {
  validate(defaults());
  for (const auto& g : param_groups()) validate(g.opts);
}

optimizer_info SparseAdam::info() {
  return {"SparseAdam",
          {{"lr", 1e-3},
           {"betas", std::vector<double>{0.9, 0.999}},
           {"eps", 1e-8},
           {"maximize", false}},
          [](std::vector<param_group> g, const options& o) -> std::unique_ptr<optimizer> {
            return std::make_unique<SparseAdam>(std::move(g), o);
          }};
}

void SparseAdam::validate(const options& o) const { detail::check_lr_eps_betas(o); }

void SparseAdam::update_group(param_group& group) {
  const auto& o = group.opts;
  const double lr = o.num("lr"), eps = o.num("eps");
  const double beta1 = o.vec("betas").at(0), beta2 = o.vec("betas").at(1);
  const bool maximize = o.flag("maximize");
  for (auto& p : group.params) {
    const Tensor g = p.grad();
    if (!g.defined()) continue;
    if (!detail::is_sparse(g))
      runtime_error("SparseAdam does not support dense gradients, please consider Adam instead");
    const std::set<std::int64_t> rows(g.impl()->sparse_rows->begin(), g.impl()->sparse_rows->end());
    auto& st = state_of(p);
    // PyTorch keeps SparseAdam's step as a Python int
    double& step = st.scalars["step"];
    step += 1;
    Tensor& exp_avg = detail::buffer(st, "exp_avg", p);
    Tensor& exp_avg_sq = detail::buffer(st, "exp_avg_sq", p);
    if (rows.empty()) continue;
    const std::size_t width = p.dim() == 0 ? 1 : p.numel() / p.shape()[0];
    const double bias_correction1 = 1 - std::pow(beta1, step);
    const double bias_correction2 = 1 - std::pow(beta2, step);
    const double step_size = lr * std::sqrt(bias_correction2) / bias_correction1;
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pd = detail::data_of<T>(p);
      const T* gd = detail::data_of<T>(g);
      T* m = detail::data_of<T>(exp_avg);
      T* v = detail::data_of<T>(exp_avg_sq);
      for (std::int64_t r : rows) {
        for (std::size_t j = 0; j < width; ++j) {
          const std::size_t i = static_cast<std::size_t>(r) * width + j;
          const T grad = maximize ? -gd[i] : gd[i];
          const T old_m = m[i], old_v = v[i];
          T m_update = (grad - old_m) * T(1 - beta1);
          m[i] = old_m + m_update;
          T v_update = (grad * grad - old_v) * T(1 - beta2);
          v[i] = old_v + v_update;
          const T numer = m_update + old_m;
          const T denom = std::sqrt(v_update + old_v) + T(eps);
          pd[i] = pd[i] + T(-step_size) * (numer / denom);
        }
      }
    });
    p.mark_modified();
  }
}

}  // namespace gradlab::optim
