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

/// The rows lr, betas, eps and weight_decay, for an options_t derived from
/// adam_family_options.
template <class O>
struct adam_family_rows {
  static constexpr option_row<O> lr(double def) {
    return {"lr", def, &O::lr, checks::at_least(0.0, "Invalid learning rate: "), 1};
  }
  static constexpr option_row<O> betas() {
    return {"betas",
            {0.9, 0.999},
            &O::betas,
            checks::each_in(0.0, 1.0, "Invalid beta parameter at index "),
            3};
  }
  static constexpr option_row<O> eps() {
    return {"eps", 1e-8, &O::eps, checks::at_least(0.0, "Invalid epsilon value: "), 2};
  }
  static constexpr option_row<O> weight_decay() {
    return {"weight_decay", 0.0, &O::weight_decay,
            checks::at_least(0.0, "Invalid weight_decay value: "), 4};
  }
};

struct moments_state {
  double* step = nullptr;
  Tensor *exp_avg = nullptr, *exp_avg_sq = nullptr;
};

}  // namespace gradlab::optim::detail
