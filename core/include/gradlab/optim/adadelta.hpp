#pragma once
/// \file adadelta.hpp
/// torch.optim.Adadelta: square_avg and acc_delta with decay rho.
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

class Adadelta : public optimizer {
 public:
  Adadelta(std::vector<param_group> groups, const options& opts);
  std::string name() const override { return "Adadelta"; }
  static optimizer_info info();

 protected:
  void update_group(param_group& group) override;
  void validate(const options& opts) const override;
};

}  // namespace gradlab::optim
