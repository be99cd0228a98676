#pragma once
// The ValueErrors shared by the Adam family (Adam, AdamW, Adamax, NAdam, RAdam, SparseAdam):
// same checks, same order, same texts as their PyTorch constructors.
#include "elementwise.hpp"

namespace gradlab::optim::detail {

inline void check_lr_eps_betas(const options& o) {
  const double lr = o.num("lr"), eps = o.num("eps");
  const auto& betas = o.vec("betas");
  if (!(0.0 <= lr)) value_error("Invalid learning rate: " + num_repr(lr));
  if (!(0.0 <= eps)) value_error("Invalid epsilon value: " + num_repr(eps));
  // a group's pair of the wrong length: PyTorch checks only the constructor's betas, and the
  // group's fails when step() unpacks it (optimizer::step raises the same error)
  if (betas.size() != 2) return;
  if (!(0.0 <= betas.at(0) && betas.at(0) < 1.0))
    value_error("Invalid beta parameter at index 0: " + num_repr(betas.at(0)));
  if (!(0.0 <= betas.at(1) && betas.at(1) < 1.0))
    value_error("Invalid beta parameter at index 1: " + num_repr(betas.at(1)));
}

inline void check_weight_decay(const options& o) {
  const double wd = o.num("weight_decay");
  if (!(0.0 <= wd)) value_error("Invalid weight_decay value: " + num_repr(wd));
}

}  // namespace gradlab::optim::detail
