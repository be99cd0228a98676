#pragma once
/// \file adagrad.hpp
/// torch.optim.Adagrad: accumulated squared grads (sum), lr_decay.
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

class Adagrad : public optimizer {
 public:
  Adagrad(std::vector<param_group> groups, const options& opts);
  std::string name() const override { return "Adagrad"; }
  static optimizer_info info();

 protected:
  void update_group(param_group& group) override;
  void validate(const options& opts) const override;
};

}  // namespace gradlab::optim
