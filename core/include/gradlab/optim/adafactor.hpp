#pragma once
/// \file adafactor.hpp
/// torch.optim.Adafactor: factored second moments (row_var, col_var) for >=2-D params.
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

class Adafactor : public optimizer {
 public:
  Adafactor(std::vector<param_group> groups, const options& opts);
  std::string name() const override { return "Adafactor"; }
  static optimizer_info info();

 protected:
  void update_group(param_group& group) override;
  void validate(const options& opts) const override;
};

}  // namespace gradlab::optim
