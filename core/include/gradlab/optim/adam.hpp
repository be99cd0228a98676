#pragma once
/// \file adam.hpp
/// torch.optim.Adam: bias-corrected first and second moments, amsgrad, L2 or decoupled weight
/// decay, maximize.
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

class Adam : public optimizer {
 public:
  Adam(std::vector<param_group> groups, const options& opts);
  std::string name() const override { return "Adam"; }
  static optimizer_info info();

 protected:
  Adam(std::vector<param_group> groups, const options& opts, const std::vector<option_spec>& specs);
  void update_group(param_group& group) override;
  void validate(const options& opts) const override;
};

}  // namespace gradlab::optim
