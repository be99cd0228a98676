#pragma once
/// \file rprop.hpp
/// torch.optim.Rprop: per-element step sizes driven by the sign of the grad.
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

class Rprop : public optimizer {
 public:
  Rprop(std::vector<param_group> groups, const options& opts);
  std::string name() const override { return "Rprop"; }
  static optimizer_info info();

 protected:
  void update_group(param_group& group) override;
  void validate(const options& opts) const override;
};

}  // namespace gradlab::optim
