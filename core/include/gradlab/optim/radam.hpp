#pragma once
/// \file radam.hpp
/// torch.optim.RAdam: Adam with the variance rectification term (rho_t > 5).
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

class RAdam : public optimizer {
 public:
  RAdam(std::vector<param_group> groups, const options& opts);
  std::string name() const override { return "RAdam"; }
  static optimizer_info info();

 protected:
  void update_group(param_group& group) override;
  void validate(const options& opts) const override;
};

}  // namespace gradlab::optim
