// torch.optim.Rprop, following _single_tensor_rprop:
//   s = sign(g * prev) mapped to etaplus (>0), etaminus (<0), 1 (0)
//   step_size <- clamp(step_size * s, step_size_min, step_size_max)
//   g <- 0 where s == etaminus;  p <- p - sign(g) * step_size;  prev <- g
#include "gradlab/optim/rprop.hpp"

#include <algorithm>

#include "elementwise.hpp"

namespace gradlab::optim {

Rprop::Rprop(std::vector<param_group> groups, const options& opts)
    : optimizer(std::move(groups), info().specs, opts) {
  validate(defaults());
  for (const auto& g : param_groups()) validate(g.opts);
}

optimizer_info Rprop::info() {
  return {"Rprop",
          {{"lr", 1e-2},
           {"etas", std::vector<double>{0.5, 1.2}},
           {"step_sizes", std::vector<double>{1e-6, 50.0}},
           {"foreach", std::monostate{}},
           {"maximize", false},
           {"differentiable", false},
           {"capturable", false}},
          [](std::vector<param_group> g, const options& o) -> std::unique_ptr<optimizer> {
            return std::make_unique<Rprop>(std::move(g), o);
          }};
}

void Rprop::validate(const options& o) const {
  using detail::num_repr;
  const double lr = o.num("lr");
  const auto& etas = o.vec("etas");
  if (!(0.0 <= lr)) value_error("Invalid learning rate: " + num_repr(lr));
  if (etas.size() != 2) return;  // a group's: step() raises the unpacking error, as PyTorch
  if (!(0.0 < etas.at(0) && etas.at(0) < 1.0 && 1.0 < etas.at(1)))
    value_error("Invalid eta values: " + num_repr(etas.at(0)) + ", " + num_repr(etas.at(1)));
}

void Rprop::update_group(param_group& group) {
  const auto& o = group.opts;
  const double lr = o.num("lr");
  const double etaminus = o.vec("etas").at(0), etaplus = o.vec("etas").at(1);
  const double step_min = o.vec("step_sizes").at(0), step_max = o.vec("step_sizes").at(1);
  const bool maximize = o.flag("maximize");
  for (auto& p : group.params) {
    const Tensor g = p.grad();
    if (!g.defined()) continue;
    detail::reject_sparse(g, "Rprop");
    auto& st = state_of(p);
    detail::next_step(st);
    Tensor& prev = detail::buffer(st, "prev", p);
    Tensor& step_size = detail::buffer(st, "step_size", p, lr);
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pd = detail::data_of<T>(p);
      const T* gd = detail::data_of<T>(g);
      T* pv = detail::data_of<T>(prev);
      T* ss = detail::data_of<T>(step_size);
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        T grad = maximize ? -gd[i] : gd[i];
        const T prod = grad * pv[i];
        T sign = prod > 0 ? T(etaplus) : prod < 0 ? T(etaminus) : T(1);
        ss[i] = std::min(std::max(ss[i] * sign, T(step_min)), T(step_max));
        if (sign == T(etaminus)) grad = 0;
        const T grad_sign = grad > 0 ? T(1) : grad < 0 ? T(-1) : T(0);
        pd[i] = pd[i] + T(-1) * grad_sign * ss[i];
        pv[i] = grad;
      }
    });
    p.mark_modified();
  }
}

}  // namespace gradlab::optim
