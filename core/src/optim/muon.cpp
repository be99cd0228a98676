// torch.optim.Muon, following _single_tensor_muon:
//   buf <- lerp(buf, g, 1 - momentum);  u = lerp(g, buf, momentum) if nesterov else buf
//   O = NewtonSchulz(u) in bfloat16;  p <- p * (1 - lr * wd) - adjusted_lr * O
// PyTorch runs Newton-Schulz on bfloat16 tensors: every intermediate is rounded to bfloat16
// (round-to-nearest-even of the float32 result), matmuls accumulate in float32. gradlab
// reproduces that rounding so its trajectory follows PyTorch's.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "declare.hpp"

namespace gradlab::optim::detail {

namespace {

/// c10::BFloat16's conversion: float32 rounded to its top 16 bits, ties to even.
float round_bf16(float x) {
  if (std::isnan(x)) return x;
  std::uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  u += 0x7FFFu + ((u >> 16) & 1u);
  u &= 0xFFFF0000u;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

/// A row-major bfloat16 matrix, values held as float.
struct bf16_matrix {
  std::size_t rows = 0, cols = 0;
  std::vector<float> v;
  float& at(std::size_t i, std::size_t j) { return v[i * cols + j]; }
  float at(std::size_t i, std::size_t j) const { return v[i * cols + j]; }
};

bf16_matrix transpose(const bf16_matrix& a) {
  bf16_matrix t{a.cols, a.rows, std::vector<float>(a.v.size())};
  for (std::size_t i = 0; i < a.rows; ++i)
    for (std::size_t j = 0; j < a.cols; ++j) t.at(j, i) = a.at(i, j);
  return t;
}

/// torch.addmm(m, a, b, beta=beta, alpha=alpha) on bfloat16 tensors: beta * m + alpha * (a @ b)
/// in float32 (the product accumulated in float32), rounded to bfloat16 once.
bf16_matrix addmm(const bf16_matrix* m, const bf16_matrix& a, const bf16_matrix& b, double beta,
                  double alpha) {
  bf16_matrix c{a.rows, b.cols, std::vector<float>(a.rows * b.cols)};
  const float fb = static_cast<float>(beta), fa = static_cast<float>(alpha);
  for (std::size_t i = 0; i < a.rows; ++i)
    for (std::size_t j = 0; j < b.cols; ++j) {
      float s = 0;
      for (std::size_t k = 0; k < a.cols; ++k) s += a.at(i, k) * b.at(k, j);
      c.at(i, j) = round_bf16(m ? fb * m->at(i, j) + fa * s : s);
    }
  return c;
}

/// _zeropower_via_newtonschulz: the quintic iteration X <- aX + (bA + cA^2)X, A = X X^T,
/// on the wide orientation of the matrix, after scaling it to unit Frobenius norm. PyTorch
/// 2.11 writes both updates as torch.addmm, so each rounds to bfloat16 once (checked against
/// the golden trajectories: the separate-op form lands elsewhere in bfloat16).
bf16_matrix newton_schulz(const std::vector<double>& g, std::size_t rows, std::size_t cols,
                          const std::vector<double>& coef, int steps, double eps) {
  if (steps >= 100)
    value_error("Number of steps must be less than 100 for computational efficiency");
  if (coef.size() != 3) value_error("Coefficients must be a tuple of exactly 3 values");
  bf16_matrix x{rows, cols, std::vector<float>(g.size())};
  for (std::size_t i = 0; i < g.size(); ++i) x.v[i] = round_bf16(static_cast<float>(g[i]));
  const bool tall = rows > cols;
  if (tall) x = transpose(x);
  float sq = 0;
  for (float e : x.v) sq += e * e;
  const float norm = std::max(round_bf16(std::sqrt(sq)), round_bf16(static_cast<float>(eps)));
  for (auto& e : x.v) e = round_bf16(e / norm);
  for (int s = 0; s < steps; ++s) {
    const bf16_matrix gram = addmm(nullptr, x, transpose(x), 0.0, 1.0);
    const bf16_matrix gram_update = addmm(&gram, gram, gram, coef[1], coef[2]);
    x = addmm(&x, gram_update, x, coef[0], 1.0);
  }
  if (tall) x = transpose(x);
  return x;
}

std::string size_repr(const shape_t& s) {
  std::string out = "torch.Size([";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "])";
}

struct Muon : declaration {
  static constexpr const char* name = "Muon";
  struct options_t {
    double lr = 0, weight_decay = 0, momentum = 0, eps = 0;
    bool nesterov = false;
    tuple ns_coefficients;
    int ns_steps = 0;
    std::optional<std::string> adjust_lr_fn;
  };
  static void check_adjust_lr_fn(const option_check&, const options& o, const std::string& k) {
    if (o.is_none(k)) return;
    const std::string& fn = o.str(k);
    if (fn != "original" && fn != "match_rms_adamw")
      value_error("Adjust learning rate function " + fn + " is not supported");
  }
  static void check_groups(const std::vector<param_group>& groups) {
    for (const auto& g : groups)
      for (const auto& p : g.params)
        if (p.dim() != 2)
          value_error("Muon only supports 2D parameters whereas we found a parameter with size: " +
                      size_repr(p.shape()));
  }
  static constexpr option_row<options_t> rows[] = {
      {"lr", 1e-3, &options_t::lr, checks::at_least(0.0, "Learning rate should be >= 0 but is: "),
       1},
      {"weight_decay", 0.1, &options_t::weight_decay,
       checks::at_least(0.0, "weight decay should be >= 0 but is: "), 3},
      {"momentum", 0.95, &options_t::momentum,
       checks::at_least(0.0, "momentum should be >= 0 but is: "), 2},
      {"nesterov", true, &options_t::nesterov},
      {"ns_coefficients", {3.4445, -4.775, 2.0315}, &options_t::ns_coefficients},
      {"eps", 1e-7, &options_t::eps},
      {"ns_steps", 5.0, &options_t::ns_steps},
      {"adjust_lr_fn", none, &options_t::adjust_lr_fn, checks::rule(check_adjust_lr_fn), 4}};
  struct state_t {
    Tensor* momentum_buffer = nullptr;
  };

  static void update(const options_t& o, Tensor& p, const Tensor& g, param_slots st, state_t& s) {
    const double lr = o.lr, wd = o.weight_decay, momentum = o.momentum;
    const std::string& adjust = o.adjust_lr_fn ? *o.adjust_lr_fn : "original";
    if (g.dim() != 2) value_error("Param gradient must be a 2D matrix");
    Tensor& buf = st.buffer(s.momentum_buffer, "momentum_buffer");
    const std::size_t m = p.shape()[0], n = p.shape()[1];
    std::vector<double> dir(p.numel());
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* gd = data_of<T>(g);
      T* b = data_of<T>(buf);
      for (std::size_t i = 0; i < dir.size(); ++i) {
        b[i] = lerp(b[i], gd[i], T(1 - momentum));
        dir[i] = o.nesterov ? lerp(gd[i], b[i], T(momentum)) : b[i];
      }
    });
    const bf16_matrix ortho = newton_schulz(dir, m, n, o.ns_coefficients, o.ns_steps, o.eps);
    const double A = static_cast<double>(m), B = static_cast<double>(n);
    double ratio = 1.0;
    if (adjust == "original") ratio = std::sqrt(std::max(1.0, A / B));
    if (adjust == "match_rms_adamw") ratio = 0.2 * std::sqrt(std::max(A, B));
    const double adjusted_lr = lr * ratio;
    dispatch(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pd = data_of<T>(p);
      for (std::size_t i = 0; i < dir.size(); ++i) {
        pd[i] = pd[i] * T(1 - lr * wd);
        pd[i] = pd[i] + T(-adjusted_lr) * T(ortho.v[i]);
      }
    });
    p.mark_modified();
  }
};
}  // namespace

optimizer_info Muon_entry() { return entry<Muon>(); }

}  // namespace gradlab::optim::detail
