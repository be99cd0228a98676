// torch.optim.Adagrad, following _single_tensor_adagrad:
//   g <- grad (negated if maximize) + wd * p;  clr = lr / (1 + (step - 1) * lr_decay)
//   sum <- sum + g^2 (starts at initial_accumulator_value);  p <- p - clr * g / (sqrt(sum) + eps)
#include "gradlab/optim/adagrad.hpp"

#include "elementwise.hpp"

namespace gradlab::optim {

Adagrad::Adagrad(std::vector<param_group> groups, const options& opts)
    : optimizer(std::move(groups), info().specs, opts) {
  validate(defaults());
  for (const auto& g : param_groups()) validate(g.opts);
}

optimizer_info Adagrad::info() {
  return {"Adagrad",
          {{"lr", 1e-2},
           {"lr_decay", 0.0},
           {"weight_decay", 0.0},
           {"initial_accumulator_value", 0.0},
           {"eps", 1e-10},
           {"foreach", std::monostate{}},
           {"maximize", false},
           {"differentiable", false},
           {"fused", std::monostate{}}},
          [](std::vector<param_group> g, const options& o) -> std::unique_ptr<optimizer> {
            return std::make_unique<Adagrad>(std::move(g), o);
          }};
}

void Adagrad::validate(const options& o) const {
  using detail::num_repr;
  const double lr = o.num("lr"), lr_decay = o.num("lr_decay"), wd = o.num("weight_decay"),
               init = o.num("initial_accumulator_value"), eps = o.num("eps");
  if (!(0.0 <= lr)) value_error("Invalid learning rate: " + num_repr(lr));
  if (!(0.0 <= lr_decay)) value_error("Invalid lr_decay value: " + num_repr(lr_decay));
  if (!(0.0 <= wd)) value_error("Invalid weight_decay value: " + num_repr(wd));
  if (!(0.0 <= init)) value_error("Invalid initial_accumulator_value value: " + num_repr(init));
  if (!(0.0 <= eps)) value_error("Invalid epsilon value: " + num_repr(eps));
}

void Adagrad::update_group(param_group& group) {
  const auto& o = group.opts;
  const double lr = o.num("lr"), lr_decay = o.num("lr_decay"), wd = o.num("weight_decay"),
               init = o.num("initial_accumulator_value"), eps = o.num("eps");
  const bool maximize = o.flag("maximize");
  for (auto& p : group.params) {
    const Tensor g = p.grad();
    if (!g.defined()) continue;
    detail::reject_sparse(g, "Adagrad");
    auto& st = state_of(p);
    Tensor& sum = detail::buffer(st, "sum", p, init);
    const double step = detail::next_step(st);
    const double clr = lr / (1 + (step - 1) * lr_decay);
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pd = detail::data_of<T>(p);
      const T* gd = detail::data_of<T>(g);
      T* s = detail::data_of<T>(sum);
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        T grad = maximize ? -gd[i] : gd[i];
        if (wd != 0) grad = grad + T(wd) * pd[i];
        s[i] = s[i] + T(1) * grad * grad;
        const T std_ = std::sqrt(s[i]) + T(eps);
        pd[i] = pd[i] + T(-clr) * grad / std_;
      }
    });
    p.mark_modified();
  }
}

}  // namespace gradlab::optim
