#pragma once
/// \file muon.hpp
/// torch.optim.Muon: momentum orthogonalised by Newton-Schulz in bfloat16, 2-D params only.
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

class Muon : public optimizer {
 public:
  Muon(std::vector<param_group> groups, const options& opts);
  std::string name() const override { return "Muon"; }
  static optimizer_info info();

 protected:
  void update_group(param_group& group) override;
  void validate(const options& opts) const override;
};

}  // namespace gradlab::optim
