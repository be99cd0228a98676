// torch.optim.RMSprop, following _single_tensor_rmsprop:
//   g <- grad (negated if maximize) + wd * p;  s <- s * alpha + (1 - alpha) g^2
//   centered: a <- lerp(a, g, 1 - alpha), avg = sqrt(s - a^2) + eps; else avg = sqrt(s) + eps
//   momentum > 0: b <- b * momentum + g / avg, p <- p - lr b;  else p <- p - lr g / avg
#include "gradlab/optim/rmsprop.hpp"

#include "elementwise.hpp"

namespace gradlab::optim {

RMSprop::RMSprop(std::vector<param_group> groups, const options& opts)
    : optimizer(std::move(groups), info().specs, opts) {
  validate(defaults());
  for (const auto& g : param_groups()) validate(g.opts);
}

optimizer_info RMSprop::info() {
  return {"RMSprop",
          {{"lr", 1e-2},
           {"alpha", 0.99},
           {"eps", 1e-8},
           {"weight_decay", 0.0},
           {"momentum", 0.0},
           {"centered", false},
           {"capturable", false},
           {"foreach", std::monostate{}},
           {"maximize", false},
           {"differentiable", false}},
          [](std::vector<param_group> g, const options& o) -> std::unique_ptr<optimizer> {
            return std::make_unique<RMSprop>(std::move(g), o);
          }};
}

void RMSprop::validate(const options& o) const {
  using detail::num_repr;
  const double lr = o.num("lr"), eps = o.num("eps"), momentum = o.num("momentum"),
               wd = o.num("weight_decay"), alpha = o.num("alpha");
  if (!(0.0 <= lr)) value_error("Invalid learning rate: " + num_repr(lr));
  if (!(0.0 <= eps)) value_error("Invalid epsilon value: " + num_repr(eps));
  if (!(0.0 <= momentum)) value_error("Invalid momentum value: " + num_repr(momentum));
  if (!(0.0 <= wd)) value_error("Invalid weight_decay value: " + num_repr(wd));
  if (!(0.0 <= alpha)) value_error("Invalid alpha value: " + num_repr(alpha));
}

void RMSprop::update_group(param_group& group) {
  const auto& o = group.opts;
  const double lr = o.num("lr"), eps = o.num("eps"), wd = o.num("weight_decay"),
               alpha = o.num("alpha"), momentum = o.num("momentum");
  const bool centered = o.flag("centered"), maximize = o.flag("maximize");
  for (auto& p : group.params) {
    const Tensor g = p.grad();
    if (!g.defined()) continue;
    detail::reject_sparse(g, "RMSprop");
    auto& st = state_of(p);
    detail::next_step(st);
    Tensor& square_avg = detail::buffer(st, "square_avg", p);
    Tensor* buf = momentum > 0 ? &detail::buffer(st, "momentum_buffer", p) : nullptr;
    Tensor* grad_avg = centered ? &detail::buffer(st, "grad_avg", p) : nullptr;
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pd = detail::data_of<T>(p);
      const T* gd = detail::data_of<T>(g);
      T* s = detail::data_of<T>(square_avg);
      T* b = buf ? detail::data_of<T>(*buf) : nullptr;
      T* a = grad_avg ? detail::data_of<T>(*grad_avg) : nullptr;
      for (std::size_t i = 0, n = p.numel(); i < n; ++i) {
        T grad = maximize ? -gd[i] : gd[i];
        if (wd != 0) grad = grad + T(wd) * pd[i];
        s[i] = s[i] * T(alpha);
        s[i] = s[i] + T(1 - alpha) * grad * grad;
        T avg;
        if (a) {
          a[i] = detail::lerp(a[i], grad, T(1 - alpha));
          avg = std::sqrt(s[i] + T(-1) * a[i] * a[i]);
        } else {
          avg = std::sqrt(s[i]);
        }
        avg = avg + T(eps);
        if (b) {
          b[i] = b[i] * T(momentum);
          b[i] = b[i] + T(1) * grad / avg;
          pd[i] = pd[i] + T(-lr) * b[i];
        } else {
          pd[i] = pd[i] + T(-lr) * grad / avg;
        }
      }
    });
    p.mark_modified();
  }
}

}  // namespace gradlab::optim
