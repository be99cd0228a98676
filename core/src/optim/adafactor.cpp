// torch.optim.Adafactor, following _single_tensor_adafactor:
//   beta2 weight w = step^beta2_decay; rho = min(lr, 1 / sqrt(step))
//   alpha = max(eps2, rms(p)) * rho;  p <- p * (1 - lr * wd)
//   >=2-D: row_var <- lerp(row_var, mean_j g^2, w), col_var <- lerp(col_var, mean_i g^2, w),
//          var = row_var col_var^T / max(mean(row_var), eps1)       (per trailing matrix)
//   1-D:   variance <- lerp(variance, g^2, w), var = variance
//   u = g / sqrt(max(var, eps1^2));  p <- p - alpha / max(1, rms(u) / d) * u
#include <algorithm>
#include <limits>

#include "declare.hpp"

namespace gradlab::optim::detail {

namespace {
struct Adafactor : declaration {
  static constexpr const char* name = "Adafactor";
  struct options_t {
    double lr = 0, beta2_decay = 0, d = 0, weight_decay = 0;
    tuple eps;  // (eps1, eps2); eps1 = None is NaN in a number tuple
    bool maximize = false;
  };
  static void check_eps(const option_check&, const options& o, const std::string& k) {
    const auto& eps = o.vec(k);
    if (!std::isnan(eps[0]) && !(0.0 <= eps[0]))
      value_error("epsilon1 should be >= 0 but is: " + num_repr(eps[0]));
    if (!(0.0 <= eps[1])) value_error("epsilon2 should be >= 0 but is: " + num_repr(eps[1]));
  }
  static constexpr option_row<options_t> rows[] = {
      {"lr", 1e-2, &options_t::lr, checks::at_least(0.0, "Learning rate should be >= 0 but is: "),
       1},
      {"beta2_decay", -0.8, &options_t::beta2_decay,
       checks::at_most(0.0, "beta2_decay should be <= 0 but is: "), 2},
      {"eps",
       {std::numeric_limits<double>::quiet_NaN(), 1e-3},
       &options_t::eps,
       checks::rule(check_eps),
       3},
      {"d", 1.0, &options_t::d,
       checks::at_least(1.0, "Clipping threshold d should be >= 1 but is: "), 4},
      {"weight_decay", 0.0, &options_t::weight_decay,
       checks::at_least(0.0, "weight_decay should be >= 0 but is: "), 5},
      {"foreach", none},
      {"maximize", false, &options_t::maximize}};
  struct state_t {
    double* step = nullptr;
    Tensor *row_var = nullptr, *col_var = nullptr, *variance = nullptr;
  };

  static void update(const options_t& o, Tensor& p, const Tensor& g, param_slots st, state_t& s) {
    const shape_t shape = p.shape();
    const bool factored = shape.size() > 1;
    const std::size_t n = factored ? shape[shape.size() - 1] : 0,
                      m = factored ? shape[shape.size() - 2] : 0;
    if (!s.step) {
      if (factored) {
        shape_t row = shape, col = shape;
        row.back() = 1;
        col[col.size() - 2] = 1;
        s.row_var =
            &st.named.buffers.emplace("row_var", Tensor::zeros(row, p.dtype())).first->second;
        s.col_var =
            &st.named.buffers.emplace("col_var", Tensor::zeros(col, p.dtype())).first->second;
      } else {
        s.variance =
            &st.named.buffers.emplace("variance", Tensor::zeros(shape, p.dtype())).first->second;
      }
    }
    const double step = st.next_step(s.step);
    const double w = std::pow(step, o.beta2_decay);
    const double rho = std::min(o.lr, 1 / std::pow(step, 0.5));
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const double eps1 = std::isnan(o.eps[0]) ? std::numeric_limits<T>::epsilon() : o.eps[0];
      const std::size_t numel = p.numel();
      T* pd = data_of<T>(p);
      const T* gd = data_of<T>(g);
      std::vector<T> grad(numel);
      for (std::size_t i = 0; i < numel; ++i) grad[i] = o.maximize ? -gd[i] : gd[i];
      T psq = 0;
      for (std::size_t i = 0; i < numel; ++i) psq += pd[i] * pd[i];
      const double alpha = std::max(o.eps[1], static_cast<double>(std::sqrt(psq)) /
                                                  std::pow(static_cast<double>(numel), 0.5)) *
                           rho;
      if (o.weight_decay != 0)
        for (std::size_t i = 0; i < numel; ++i) pd[i] = pd[i] * T(1 - o.lr * o.weight_decay);

      std::vector<T> var(numel);
      if (factored) {
        T* row_var = data_of<T>(*s.row_var);
        T* col_var = data_of<T>(*s.col_var);
        const std::size_t batches = numel / (m * n);
        for (std::size_t b = 0; b < batches; ++b) {
          const T* gb = grad.data() + b * m * n;
          T* r = row_var + b * m;
          T* c = col_var + b * n;
          for (std::size_t i = 0; i < m; ++i) {  // torch.norm(g, dim=-1).square_().div_(n)
            T sq = 0;
            for (std::size_t j = 0; j < n; ++j) sq += gb[i * n + j] * gb[i * n + j];
            const T nrm = std::sqrt(sq);
            r[i] = lerp(r[i], nrm * nrm / T(n), T(w));
          }
          for (std::size_t j = 0; j < n; ++j) {  // torch.norm(g, dim=-2).square_().div_(m)
            T sq = 0;
            for (std::size_t i = 0; i < m; ++i) sq += gb[i * n + j] * gb[i * n + j];
            const T nrm = std::sqrt(sq);
            c[j] = lerp(c[j], nrm * nrm / T(m), T(w));
          }
          T row_mean = 0;
          for (std::size_t i = 0; i < m; ++i) row_mean += r[i];
          row_mean = std::max(row_mean / T(m), T(eps1));
          for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < n; ++j) var[b * m * n + i * n + j] = r[i] * c[j] / row_mean;
        }
      } else {
        T* variance = data_of<T>(*s.variance);
        for (std::size_t i = 0; i < numel; ++i) {
          variance[i] = lerp(variance[i], grad[i] * grad[i], T(w));
          var[i] = variance[i];
        }
      }
      T usq = 0;
      for (std::size_t i = 0; i < numel; ++i) {
        var[i] = (T(1) / std::sqrt(std::max(var[i], T(eps1 * eps1)))) * grad[i];
        usq += var[i] * var[i];
      }
      const double denom = std::max(1.0, static_cast<double>(std::sqrt(usq)) /
                                             (std::pow(static_cast<double>(numel), 0.5) * o.d));
      const T step_coef = T(-alpha / denom);
      for (std::size_t i = 0; i < numel; ++i) pd[i] = pd[i] + step_coef * var[i];
    });
    p.mark_modified();
  }
};
}  // namespace

optimizer_info Adafactor_entry() { return entry<Adafactor>(); }

}  // namespace gradlab::optim::detail
