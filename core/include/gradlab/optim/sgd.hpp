#pragma once
/// \file sgd.hpp
/// torch.optim.SGD: momentum, dampening, Nesterov, weight decay, maximize.
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

class SGD : public optimizer {
 public:
  SGD(std::vector<param_group> groups, const options& opts);
  std::string name() const override { return "SGD"; }
  static optimizer_info info();

 protected:
  void update_group(param_group& group) override;
  void validate(const options& opts) const override;
};

}  // namespace gradlab::optim
