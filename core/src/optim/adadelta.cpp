// torch.optim.Adadelta, following _single_tensor_adadelta:
//   g <- grad (negated if maximize) + wd * p;  s <- s * rho + (1 - rho) g^2
//   delta = sqrt(acc + eps) / sqrt(s + eps) * g;  acc <- acc * rho + (1 - rho) delta^2
//   p <- p - lr * delta
#include "gradlab/optim/adadelta.hpp"

#include "elementwise.hpp"

namespace gradlab::optim {

Adadelta::Adadelta(std::vector<param_group> groups, const options& opts)
    : optimizer(std::move(groups), info().specs, opts) {
  validate(defaults());
  for (const auto& g : param_groups()) validate(g.opts);
}

optimizer_info Adadelta::info() {
  return {"Adadelta",
          {{"lr", 1.0},
           {"rho", 0.9},
           {"eps", 1e-6},
           {"weight_decay", 0.0},
           {"maximize", false},
           {"capturable", false},
           {"foreach", std::monostate{}},
           {"differentiable", false}},
          [](std::vector<param_group> g, const options& o) -> std::unique_ptr<optimizer> {
            return std::make_unique<Adadelta>(std::move(g), o);
          }};
}

void Adadelta::validate(const options& o) const {
  using detail::num_repr;
  const double lr = o.num("lr"), rho = o.num("rho"), eps = o.num("eps"), wd = o.num("weight_decay");
  if (!(0.0 <= lr)) value_error("Invalid learning rate: " + num_repr(lr));
  if (!(0.0 <= rho && rho <= 1.0)) value_error("Invalid rho value: " + num_repr(rho));
  if (!(0.0 <= eps)) value_error("Invalid epsilon value: " + num_repr(eps));
  if (!(0.0 <= wd)) value_error("Invalid weight_decay value: " + num_repr(wd));
}

void Adadelta::update_group(param_group& group) {
  const auto& o = group.opts;
  const double lr = o.num("lr"), rho = o.num("rho"), eps = o.num("eps"), wd = o.num("weight_decay");
  const bool maximize = o.flag("maximize");
  for (auto& p : group.params) {
    const Tensor g = p.grad();
    if (!g.defined()) continue;
    detail::reject_sparse(g, "Adadelta");
    auto& st = state_of(p);
    detail::next_step(st);
    Tensor& square_avg = detail::buffer(st, "square_avg", p);
    Tensor& acc_delta = detail::buffer(st, "acc_delta", p);
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pd = detail::data_of<T>(p);
      const T* gd = detail::data_of<T>(g);
      T* s = detail::data_of<T>(square_avg);
      T* acc = detail::data_of<T>(acc_delta);
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        T grad = maximize ? -gd[i] : gd[i];
        if (wd != 0) grad = grad + T(wd) * pd[i];
        s[i] = s[i] * T(rho);
        s[i] = s[i] + T(1 - rho) * grad * grad;
        const T std_ = std::sqrt(s[i] + T(eps));
        T delta = std::sqrt(acc[i] + T(eps));
        delta = delta / std_;
        delta = delta * grad;
        acc[i] = acc[i] * T(rho);
        acc[i] = acc[i] + T(1 - rho) * delta * delta;
        pd[i] = pd[i] + T(-lr) * delta;
      }
    });
    p.mark_modified();
  }
}

}  // namespace gradlab::optim
