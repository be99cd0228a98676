#pragma once
/// \file lbfgs.hpp
/// torch.optim.LBFGS: limited-memory BFGS over all parameters flattened into one vector, with
/// an optional strong-Wolfe line search. step() needs a closure that re-evaluates the loss.
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

class LBFGS : public optimizer {
 public:
  LBFGS(std::vector<param_group> groups, const options& opts);
  std::string name() const override { return "LBFGS"; }
  static optimizer_info info();
  /// Runs up to max_iter L-BFGS iterations; returns the loss of the first closure call.
  Tensor step(const closure_t& closure = nullptr) override;

 protected:
  void update_group(param_group&) override {}
  void validate(const options& opts) const override;

 private:
  // PyTorch keeps these in the state of the first parameter; gradlab mirrors the counters
  // there (func_evals, n_iter) and keeps the history here.
  std::vector<double> d_, prev_flat_grad_;
  std::vector<std::vector<double>> old_dirs_, old_stps_;
  std::vector<double> ro_, al_;
  double t_ = 0, H_diag_ = 1, prev_loss_ = 0;
  bool has_prev_ = false;
};

}  // namespace gradlab::optim
