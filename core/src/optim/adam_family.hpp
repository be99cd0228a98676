#pragma once
// Private: what the Adam family (Adam, AdamW, Adamax, NAdam, RAdam, SparseAdam) shares: the
// leading options of their signatures with PyTorch's checks, in PyTorch's order (lr, eps,
// betas[0], betas[1], weight_decay), and the state of the moment estimates.
#include "declare.hpp"

namespace gradlab::optim::detail {

struct adam_family_options {
  double lr = 0, eps = 0, weight_decay = 0;
  tuple betas;
  bool maximize = false;
};

/// The rows of an options_t derived from adam_family_options: lr (default `lr`), betas, eps
/// and weight_decay (unless `weight_decay` is false: SparseAdam), then the algorithm's `more`.
template <class O, bool weight_decay = true, std::size_t M>
constexpr auto adam_family_rows(double lr, const option_row<O> (&more)[M]) {
  const option_row<O> head[] = {{"lr", lr, &O::lr, checks::learning_rate, 1},
                                {"betas",
                                 {0.9, 0.999},
                                 &O::betas,
                                 checks::each_in(0.0, 1.0, "Invalid beta parameter at index "),
                                 3},
                                {"eps", 1e-8, &O::eps, checks::epsilon, 2},
                                {"weight_decay", 0.0, &O::weight_decay, checks::weight_decay, 4}};
  constexpr std::size_t shared = weight_decay ? 4 : 3;
  return join_rows<O, shared>(head, more);
}

/// A step's start for the moment estimates: the incremented step count and the two buffers.
struct moments {
  double step;
  Tensor& exp_avg;
  Tensor& exp_avg_sq;
};
struct moments_state {
  double* step = nullptr;
  Tensor *exp_avg = nullptr, *exp_avg_sq = nullptr;
  /// step + 1 (a float32 count), then exp_avg and exp_avg_sq, made on the first step.
  moments next(param_slots& st) {
    const double k = st.next_step(step);
    return {k, st.buffer(exp_avg, "exp_avg"), st.buffer(exp_avg_sq, "exp_avg_sq")};
  }
};

}  // namespace gradlab::optim::detail
