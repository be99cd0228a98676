#pragma once
/// \file nadam.hpp
/// torch.optim.NAdam: Adam with Nesterov momentum and a momentum-decay schedule (mu_product).
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

class NAdam : public optimizer {
 public:
  NAdam(std::vector<param_group> groups, const options& opts);
  std::string name() const override { return "NAdam"; }
  static optimizer_info info();

 protected:
  void update_group(param_group& group) override;
  void validate(const options& opts) const override;
};

}  // namespace gradlab::optim
