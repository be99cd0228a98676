// torch.optim.LBFGS, following torch/optim/lbfgs.py step by step: the two-loop recursion over
// (y, s) pairs, the first step scaled by min(1, 1 / |g|_1) * lr, PyTorch's stopping tests in
// PyTorch's order, and its strong-Wolfe line search with cubic interpolation. All parameters
// are handled as one flat vector, in double precision.
#include <algorithm>
#include <cmath>

#include "declare.hpp"
#include "gradlab/autograd.hpp"
#include "vec_math.hpp"

namespace gradlab::optim {

using detail::vec;

namespace {

/// lbfgs.py's _cubic_interpolate: minimiser of the cubic through two points with derivatives.
double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2,
                         const double* bounds) {
  double xmin_bound, xmax_bound;
  if (bounds) {
    xmin_bound = bounds[0];
    xmax_bound = bounds[1];
  } else if (x1 <= x2) {
    xmin_bound = x1;
    xmax_bound = x2;
  } else {
    xmin_bound = x2;
    xmax_bound = x1;
  }
  const double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
  const double d2_square = d1 * d1 - g1 * g2;
  if (d2_square >= 0) {
    const double d2 = std::sqrt(d2_square);
    double min_pos;
    if (x1 <= x2)
      min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2));
    else
      min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return std::min(std::max(min_pos, xmin_bound), xmax_bound);
  }
  return (xmin_bound + xmax_bound) / 2.0;
}

struct line_search_result {
  double f;
  vec g;
  double t;
  int evals;
};

/// lbfgs.py's _strong_wolfe (c1 = 1e-4, c2 = 0.9, max_ls = 25).
template <class Obj>
line_search_result strong_wolfe(Obj&& obj_func, double t, const vec& d, double f, const vec& g0,
                                double gtd, double tolerance_change) {
  const double c1 = 1e-4, c2 = 0.9;
  const int max_ls = 25;
  const double d_norm = detail::max_abs(d);
  vec g = g0;
  auto [f_new, g_new] = obj_func(t, d);
  int ls_func_evals = 1;
  double gtd_new = detail::dot(g_new, d);

  double t_prev = 0, f_prev = f, gtd_prev = gtd;
  vec g_prev = g;
  bool done = false;
  int ls_iter = 0;
  std::vector<double> bracket, bracket_f, bracket_gtd;
  std::vector<vec> bracket_g;
  while (ls_iter < max_ls) {
    if (f_new > (f + c1 * t * gtd) || (ls_iter > 1 && f_new >= f_prev)) {
      bracket = {t_prev, t};
      bracket_f = {f_prev, f_new};
      bracket_g = {g_prev, g_new};
      bracket_gtd = {gtd_prev, gtd_new};
      break;
    }
    if (std::fabs(gtd_new) <= -c2 * gtd) {
      bracket = {t};
      bracket_f = {f_new};
      bracket_g = {g_new};
      done = true;
      break;
    }
    if (gtd_new >= 0) {
      bracket = {t_prev, t};
      bracket_f = {f_prev, f_new};
      bracket_g = {g_prev, g_new};
      bracket_gtd = {gtd_prev, gtd_new};
      break;
    }
    const double min_step = t + 0.01 * (t - t_prev);
    const double max_step = t * 10;
    const double bounds[2] = {min_step, max_step};
    const double tmp = t;
    t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds);
    t_prev = tmp;
    f_prev = f_new;
    g_prev = g_new;
    gtd_prev = gtd_new;
    std::tie(f_new, g_new) = obj_func(t, d);
    ls_func_evals += 1;
    gtd_new = detail::dot(g_new, d);
    ls_iter += 1;
  }
  if (ls_iter == max_ls) {
    bracket = {0, t};
    bracket_f = {f, f_new};
    bracket_g = {g, g_new};
  }

  // zoom: refine the bracket until a point satisfies the Wolfe conditions
  bool insuf_progress = false;
  std::size_t low_pos = 0, high_pos = 1;
  if (!(bracket_f[0] <= bracket_f.back())) std::swap(low_pos, high_pos);
  while (!done && ls_iter < max_ls) {
    if (std::fabs(bracket[1] - bracket[0]) * d_norm < tolerance_change) break;
    t = cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1],
                          bracket_gtd[1], nullptr);
    const double bmax = std::max(bracket[0], bracket[1]), bmin = std::min(bracket[0], bracket[1]);
    const double eps = 0.1 * (bmax - bmin);
    if (std::min(bmax - t, t - bmin) < eps) {
      if (insuf_progress || t >= bmax || t <= bmin) {
        t = std::fabs(t - bmax) < std::fabs(t - bmin) ? bmax - eps : bmin + eps;
        insuf_progress = false;
      } else {
        insuf_progress = true;
      }
    } else {
      insuf_progress = false;
    }
    std::tie(f_new, g_new) = obj_func(t, d);
    ls_func_evals += 1;
    gtd_new = detail::dot(g_new, d);
    ls_iter += 1;
    if (f_new > (f + c1 * t * gtd) || f_new >= bracket_f[low_pos]) {
      bracket[high_pos] = t;
      bracket_f[high_pos] = f_new;
      bracket_g[high_pos] = g_new;
      bracket_gtd[high_pos] = gtd_new;
      if (bracket_f[0] <= bracket_f[1]) {
        low_pos = 0;
        high_pos = 1;
      } else {
        low_pos = 1;
        high_pos = 0;
      }
    } else {
      if (std::fabs(gtd_new) <= -c2 * gtd) {
        done = true;
      } else if (gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0) {
        bracket[high_pos] = bracket[low_pos];
        bracket_f[high_pos] = bracket_f[low_pos];
        bracket_g[high_pos] = bracket_g[low_pos];
        bracket_gtd[high_pos] = bracket_gtd[low_pos];
      }
      bracket[low_pos] = t;
      bracket_f[low_pos] = f_new;
      bracket_g[low_pos] = g_new;
      bracket_gtd[low_pos] = gtd_new;
    }
  }
  return {bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals};
}

}  // namespace

namespace {
struct lbfgs_declaration : detail::declaration {
  static constexpr const char* name = "LBFGS";
  static constexpr bool needs_closure = true;
  struct options_t {
    double lr = 0, tolerance_grad = 0, tolerance_change = 0;
    int max_iter = 0, max_eval = 0, history_size = 0;
    std::optional<std::string> line_search_fn;
  };
  static void check_line_search_fn(const option_check&, const options& o, const std::string& k) {
    if (!o.is_none(k) && o.str(k) != "strong_wolfe")
      runtime_error("only 'strong_wolfe' is supported");
  }
  static constexpr detail::option_row<options_t> rows[] = {
      {"lr", 1.0, &options_t::lr, checks::learning_rate, 1},
      {"max_iter", 20.0, &options_t::max_iter},
      {"max_eval", detail::none, &options_t::max_eval},
      {"tolerance_grad", 1e-7, &options_t::tolerance_grad},
      {"tolerance_change", 1e-9, &options_t::tolerance_change},
      {"history_size", 100.0, &options_t::history_size},
      {"line_search_fn", detail::none, &options_t::line_search_fn,
       checks::rule(check_line_search_fn), 2}};
  static void check_groups(const std::vector<param_group>& groups) {
    if (groups.size() != 1)
      value_error("LBFGS doesn't support per-parameter options (parameter groups)");
  }
};

/// max_eval=None means max_iter * 5 // 4, resolved before the defaults are stored (PyTorch
/// stores the number).
options resolve_max_eval(options o) {
  if (!o.has("max_eval") || o.is_none("max_eval")) {
    const double max_iter = o.has("max_iter") ? o.num("max_iter") : 20.0;
    o.set("max_eval", std::floor(max_iter * 5 / 4));
  }
  return o;
}

/// torch.optim.LBFGS: limited-memory BFGS over all parameters flattened into one vector, with
/// an optional strong-Wolfe line search. step() needs a closure that re-evaluates the loss.
class LBFGS final : public detail::declared_optimizer {
 public:
  LBFGS(const optimizer_info& info, std::vector<param_group> groups, const options& opts)
      : declared_optimizer(info, std::move(groups), resolve_max_eval(opts)) {}
  /// Runs up to max_iter L-BFGS iterations; returns the loss of the first closure call.
  Tensor step(const closure_t& closure = nullptr) override;

 private:
  void update_group(std::size_t, param_group&) override {}
  // PyTorch keeps these in the state of the first parameter; gradlab mirrors the counters
  // there (func_evals, n_iter) and keeps the history here.
  std::vector<double> d_, prev_flat_grad_;
  std::vector<std::vector<double>> old_dirs_, old_stps_;
  std::vector<double> ro_, al_;
  double t_ = 0, H_diag_ = 1, prev_loss_ = 0;
  bool has_prev_ = false;
};
}  // namespace

Tensor LBFGS::step(const closure_t& closure) {
  if (!closure) type_error("LBFGS.step() missing 1 required positional argument: 'closure'");
  auto& group = param_groups()[0];
  const auto& o = *static_cast<const lbfgs_declaration::options_t*>(
      typed_options(0, group.opts, &detail::decode_shared<lbfgs_declaration>));
  const double lr = o.lr, tolerance_grad = o.tolerance_grad, tolerance_change = o.tolerance_change;
  const int max_iter = o.max_iter, max_eval = o.max_eval, history_size = o.history_size;
  const bool line_search = o.line_search_fn.has_value();
  auto& params = group.params;

  param_state& st = state_of(params[0]);
  double& func_evals = st.scalars["func_evals"];
  double& state_n_iter = st.scalars["n_iter"];

  auto evaluate = [&] {
    enable_grad_guard eg;
    return closure();
  };
  no_grad_guard ng;

  Tensor orig_loss = evaluate();
  double loss = orig_loss.item();
  int current_evals = 1;
  func_evals += 1;
  vec flat_grad = detail::gather_flat_grad(params);
  bool opt_cond = detail::max_abs(flat_grad) <= tolerance_grad;
  if (opt_cond) return orig_loss;

  int n_iter = 0;
  while (n_iter < max_iter) {
    ++n_iter;
    state_n_iter += 1;

    // descent direction
    if (state_n_iter == 1) {
      d_ = detail::scaled(flat_grad, -1.0);
      old_dirs_.clear();
      old_stps_.clear();
      ro_.clear();
      H_diag_ = 1;
    } else {
      const vec y = detail::sub(flat_grad, prev_flat_grad_);
      const vec s = detail::scaled(d_, t_);
      const double ys = detail::dot(y, s);
      if (ys > 1e-10) {
        if (static_cast<int>(old_dirs_.size()) == history_size) {
          // history_size=0: Python's old_dirs.pop(0) on an empty list
          if (old_dirs_.empty()) index_error("pop from empty list");
          old_dirs_.erase(old_dirs_.begin());
          old_stps_.erase(old_stps_.begin());
          ro_.erase(ro_.begin());
        }
        old_dirs_.push_back(y);
        old_stps_.push_back(s);
        ro_.push_back(1.0 / ys);
        H_diag_ = ys / detail::dot(y, y);
      }
      const std::size_t num_old = old_dirs_.size();
      // [None] * history_size: empty for a negative size, and then al[i] = ... is Python's
      // IndexError (the history is never trimmed, so it outgrows al). Only the first num_old
      // entries are ever used, so no more are made: history_size=1e9 allocated gigabytes.
      al_.assign(std::min(static_cast<std::size_t>(std::max(history_size, 0)), num_old), 0.0);
      vec q = detail::scaled(flat_grad, -1.0);
      for (std::size_t k = num_old; k-- > 0;) {
        if (k >= al_.size()) index_error("list assignment index out of range");
        al_[k] = detail::dot(old_stps_[k], q) * ro_[k];
        detail::add_scaled(q, old_dirs_[k], -al_[k]);
      }
      d_ = detail::scaled(q, H_diag_);
      for (std::size_t k = 0; k < num_old; ++k) {
        const double be_i = detail::dot(old_dirs_[k], d_) * ro_[k];
        detail::add_scaled(d_, old_stps_[k], al_[k] - be_i);
      }
    }
    prev_flat_grad_ = flat_grad;
    prev_loss_ = loss;
    has_prev_ = true;

    // step length
    t_ = state_n_iter == 1 ? std::min(1.0, 1.0 / detail::sum_abs(flat_grad)) * lr : lr;
    const double gtd = detail::dot(flat_grad, d_);
    if (gtd > -tolerance_change) break;

    int ls_func_evals = 0;
    if (line_search) {
      const vec x_init = detail::gather_flat_params(params);
      auto obj_func = [&](double t, const vec& d) {
        detail::add_to_params(params, d, t);
        const double f = evaluate().item();
        vec g = detail::gather_flat_grad(params);
        detail::set_params(params, x_init);
        return std::pair<double, vec>(f, std::move(g));
      };
      auto r = strong_wolfe(obj_func, t_, d_, loss, flat_grad, gtd, tolerance_change);
      loss = r.f;
      flat_grad = std::move(r.g);
      t_ = r.t;
      ls_func_evals = r.evals;
      detail::add_to_params(params, d_, t_);
      opt_cond = detail::max_abs(flat_grad) <= tolerance_grad;
    } else {
      detail::add_to_params(params, d_, t_);
      if (n_iter != max_iter) {
        // re-evaluate only when another iteration may follow
        loss = evaluate().item();
        flat_grad = detail::gather_flat_grad(params);
        opt_cond = detail::max_abs(flat_grad) <= tolerance_grad;
        ls_func_evals = 1;
      }
    }
    current_evals += ls_func_evals;
    func_evals += ls_func_evals;

    // stopping tests, in PyTorch's order
    if (n_iter == max_iter) break;
    if (current_evals >= max_eval) break;
    if (opt_cond) break;
    if (detail::max_abs(detail::scaled(d_, t_)) <= tolerance_change) break;
    if (std::fabs(loss - prev_loss_) < tolerance_change) break;
  }
  return orig_loss;
}

namespace detail {
optimizer_info LBFGS_entry() { return entry<lbfgs_declaration, LBFGS>(); }
}  // namespace detail

}  // namespace gradlab::optim
