// torch.optim.Adafactor, following _single_tensor_adafactor:
//   beta2 weight w = step^beta2_decay; rho = min(lr, 1 / sqrt(step))
//   alpha = max(eps2, rms(p)) * rho;  p <- p * (1 - lr * wd)
//   >=2-D: row_var <- lerp(row_var, mean_j g^2, w), col_var <- lerp(col_var, mean_i g^2, w),
//          var = row_var col_var^T / max(mean(row_var), eps1)       (per trailing matrix)
//   1-D:   variance <- lerp(variance, g^2, w), var = variance
//   u = g / sqrt(max(var, eps1^2));  p <- p - alpha / max(1, rms(u) / d) * u
#include "gradlab/optim/adafactor.hpp"

#include <algorithm>
#include <limits>

#include "elementwise.hpp"

namespace gradlab::optim {

Adafactor::Adafactor(std::vector<param_group> groups, const options& opts)
    : optimizer(std::move(groups), info().specs, opts) {
  validate(defaults());
  for (const auto& g : param_groups()) validate(g.opts);
}

optimizer_info Adafactor::info() {
  return {"Adafactor",
          {{"lr", 1e-2},
           {"beta2_decay", -0.8},
           {"eps", std::vector<double>{std::nan(""), 1e-3}},
           {"d", 1.0},
           {"weight_decay", 0.0},
           {"foreach", std::monostate{}},
           {"maximize", false}},
          [](std::vector<param_group> g, const options& o) -> std::unique_ptr<optimizer> {
            return std::make_unique<Adafactor>(std::move(g), o);
          }};
}

// eps is the pair (eps1, eps2); eps1 = None is stored as NaN in a number tuple.
void Adafactor::validate(const options& o) const {
  using detail::num_repr;
  const double lr = o.num("lr"), beta2_decay = o.num("beta2_decay"), d = o.num("d"),
               wd = o.num("weight_decay");
  const auto& eps = o.vec("eps");
  if (!(0.0 <= lr)) value_error("Learning rate should be >= 0 but is: " + num_repr(lr));
  if (!(0.0 >= beta2_decay))
    value_error("beta2_decay should be <= 0 but is: " + num_repr(beta2_decay));
  if (eps.size() == 2) {  // a group's of another length: step() raises, as PyTorch's unpacking
    if (!std::isnan(eps[0]) && !(0.0 <= eps[0]))
      value_error("epsilon1 should be >= 0 but is: " + num_repr(eps[0]));
    if (!(0.0 <= eps[1])) value_error("epsilon2 should be >= 0 but is: " + num_repr(eps[1]));
  }
  if (!(1.0 <= d)) value_error("Clipping threshold d should be >= 1 but is: " + num_repr(d));
  if (!(0.0 <= wd)) value_error("weight_decay should be >= 0 but is: " + num_repr(wd));
}

void Adafactor::update_group(param_group& group) {
  const auto& o = group.opts;
  const double lr = o.num("lr"), beta2_decay = o.num("beta2_decay"), d = o.num("d"),
               wd = o.num("weight_decay");
  const double eps2 = o.vec("eps").at(1);
  const bool maximize = o.flag("maximize");
  for (auto& p : group.params) {
    const Tensor g = p.grad();
    if (!g.defined()) continue;
    detail::reject_sparse(g, "Adafactor");
    auto& st = state_of(p);
    const shape_t shape = p.shape();
    const bool factored = shape.size() > 1;
    const std::size_t n = factored ? shape[shape.size() - 1] : 0,
                      m = factored ? shape[shape.size() - 2] : 0;
    if (!st.scalars.count("step")) {
      if (factored) {
        shape_t row = shape, col = shape;
        row.back() = 1;
        col[col.size() - 2] = 1;
        st.buffers.emplace("row_var", Tensor::zeros(row, p.dtype()));
        st.buffers.emplace("col_var", Tensor::zeros(col, p.dtype()));
      } else {
        st.buffers.emplace("variance", Tensor::zeros(shape, p.dtype()));
      }
    }
    const double step = detail::next_step(st);
    const double w = std::pow(step, beta2_decay);
    const double rho = std::min(lr, 1 / std::pow(step, 0.5));
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const double eps1 =
          std::isnan(o.vec("eps").at(0)) ? std::numeric_limits<T>::epsilon() : o.vec("eps").at(0);
      const std::size_t numel = p.numel();
      T* pd = detail::data_of<T>(p);
      const T* gd = detail::data_of<T>(g);
      std::vector<T> grad(numel);
      for (std::size_t i = 0; i < numel; ++i) grad[i] = maximize ? -gd[i] : gd[i];
      T psq = 0;
      for (std::size_t i = 0; i < numel; ++i) psq += pd[i] * pd[i];
      const double alpha = std::max(eps2, static_cast<double>(std::sqrt(psq)) /
                                              std::pow(static_cast<double>(numel), 0.5)) *
                           rho;
      if (wd != 0)
        for (std::size_t i = 0; i < numel; ++i) pd[i] = pd[i] * T(1 - lr * wd);

      std::vector<T> var(numel);
      if (factored) {
        T* row_var = detail::data_of<T>(st.buffers.at("row_var"));
        T* col_var = detail::data_of<T>(st.buffers.at("col_var"));
        const std::size_t batches = numel / (m * n);
        for (std::size_t b = 0; b < batches; ++b) {
          const T* gb = grad.data() + b * m * n;
          T* r = row_var + b * m;
          T* c = col_var + b * n;
          for (std::size_t i = 0; i < m; ++i) {  // torch.norm(g, dim=-1).square_().div_(n)
            T s = 0;
            for (std::size_t j = 0; j < n; ++j) s += gb[i * n + j] * gb[i * n + j];
            const T nrm = std::sqrt(s);
            r[i] = detail::lerp(r[i], nrm * nrm / T(n), T(w));
          }
          for (std::size_t j = 0; j < n; ++j) {  // torch.norm(g, dim=-2).square_().div_(m)
            T s = 0;
            for (std::size_t i = 0; i < m; ++i) s += gb[i * n + j] * gb[i * n + j];
            const T nrm = std::sqrt(s);
            c[j] = detail::lerp(c[j], nrm * nrm / T(m), T(w));
          }
          T row_mean = 0;
          for (std::size_t i = 0; i < m; ++i) row_mean += r[i];
          row_mean = std::max(row_mean / T(m), T(eps1));
          for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < n; ++j) var[b * m * n + i * n + j] = r[i] * c[j] / row_mean;
        }
      } else {
        T* variance = detail::data_of<T>(st.buffers.at("variance"));
        for (std::size_t i = 0; i < numel; ++i) {
          variance[i] = detail::lerp(variance[i], grad[i] * grad[i], T(w));
          var[i] = variance[i];
        }
      }
      T usq = 0;
      for (std::size_t i = 0; i < numel; ++i) {
        var[i] = (T(1) / std::sqrt(std::max(var[i], T(eps1 * eps1)))) * grad[i];
        usq += var[i] * var[i];
      }
      const double denom = std::max(1.0, static_cast<double>(std::sqrt(usq)) /
                                             (std::pow(static_cast<double>(numel), 0.5) * d));
      const T step_coef = T(-alpha / denom);
      for (std::size_t i = 0; i < numel; ++i) pd[i] = pd[i] + step_coef * var[i];
    });
    p.mark_modified();
  }
}

}  // namespace gradlab::optim
