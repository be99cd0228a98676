#pragma once
/// \file adamax.hpp
/// torch.optim.Adamax: Adam with an infinity-norm second moment (exp_inf).
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

class Adamax : public optimizer {
 public:
  Adamax(std::vector<param_group> groups, const options& opts);
  std::string name() const override { return "Adamax"; }
  static optimizer_info info();

 protected:
  void update_group(param_group& group) override;
  void validate(const options& opts) const override;
};

}  // namespace gradlab::optim
