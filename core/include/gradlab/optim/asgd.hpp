#pragma once
/// \file asgd.hpp
/// torch.optim.ASGD: averaged SGD with eta, mu and the running average ax.
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

class ASGD : public optimizer {
 public:
  ASGD(std::vector<param_group> groups, const options& opts);
  std::string name() const override { return "ASGD"; }
  static optimizer_info info();

 protected:
  void update_group(param_group& group) override;
  void validate(const options& opts) const override;
};

}  // namespace gradlab::optim
