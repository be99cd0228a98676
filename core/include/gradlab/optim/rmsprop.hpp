#pragma once
/// \file rmsprop.hpp
/// torch.optim.RMSprop: square_avg, optional momentum buffer and centered grad_avg.
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

class RMSprop : public optimizer {
 public:
  RMSprop(std::vector<param_group> groups, const options& opts);
  std::string name() const override { return "RMSprop"; }
  static optimizer_info info();

 protected:
  void update_group(param_group& group) override;
  void validate(const options& opts) const override;
};

}  // namespace gradlab::optim
