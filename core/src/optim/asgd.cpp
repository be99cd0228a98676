// torch.optim.ASGD, following _single_tensor_asgd:
//   g <- grad (negated if maximize) + wd * p
//   p <- p * (1 - lambd * eta) - eta * g
//   ax <- ax + (p - ax) * mu   (a plain copy of p while mu == 1)
//   eta <- lr / (1 + lambd * lr * step)^alpha;  mu <- 1 / max(1, step - t0)
// eta and mu are float32 0-dim tensors in PyTorch: their values are rounded to float32.
#include "gradlab/optim/asgd.hpp"

#include <algorithm>

#include "elementwise.hpp"

namespace gradlab::optim {

ASGD::ASGD(std::vector<param_group> groups, const options& opts)
    : optimizer(std::move(groups), info().specs, opts) {
  validate(defaults());
  for (const auto& g : param_groups()) validate(g.opts);
}

optimizer_info ASGD::info() {
  return {"ASGD",
          {{"lr", 1e-2},
           {"lambd", 1e-4},
           {"alpha", 0.75},
           {"t0", 1e6},
           {"weight_decay", 0.0},
           {"foreach", std::monostate{}},
           {"maximize", false},
           {"differentiable", false},
           {"capturable", false}},
          [](std::vector<param_group> g, const options& o) -> std::unique_ptr<optimizer> {
            return std::make_unique<ASGD>(std::move(g), o);
          }};
}

void ASGD::validate(const options& o) const {
  using detail::num_repr;
  const double lr = o.num("lr"), wd = o.num("weight_decay");
  if (!(0.0 <= lr)) value_error("Invalid learning rate: " + num_repr(lr));
  if (!(0.0 <= wd)) value_error("Invalid weight_decay value: " + num_repr(wd));
}

void ASGD::update_group(param_group& group) {
  const auto& o = group.opts;
  const double lr = o.num("lr"), lambd = o.num("lambd"), alpha = o.num("alpha"), t0 = o.num("t0"),
               wd = o.num("weight_decay");
  const bool maximize = o.flag("maximize");
  for (auto& p : group.params) {
    const Tensor g = p.grad();
    if (!g.defined()) continue;
    detail::reject_sparse(g, "ASGD");
    auto& st = state_of(p);
    if (!st.scalars.count("eta")) {
      st.scalars["eta"] = detail::f32(lr);
      st.scalars["mu"] = 1.0;
    }
    const double step = detail::next_step(st);
    Tensor& ax = detail::buffer(st, "ax", p);
    const double eta = st.scalars["eta"], mu = st.scalars["mu"];
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pd = detail::data_of<T>(p);
      const T* gd = detail::data_of<T>(g);
      T* a = detail::data_of<T>(ax);
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        T grad = maximize ? -gd[i] : gd[i];
        if (wd != 0) grad = grad + T(wd) * pd[i];
        pd[i] = pd[i] * T(1 - lambd * eta);
        pd[i] = pd[i] + T(-eta) * grad;
        if (mu != 1)
          a[i] = a[i] + (pd[i] - a[i]) * T(mu);
        else
          a[i] = pd[i];
      }
    });
    st.scalars["eta"] = detail::f32(lr / std::pow(1 + lambd * lr * step, alpha));
    st.scalars["mu"] = detail::f32(1 / std::max(1.0, step - t0));
    p.mark_modified();
  }
}

}  // namespace gradlab::optim
