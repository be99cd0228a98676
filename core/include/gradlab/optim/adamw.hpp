#pragma once
/// \file adamw.hpp
/// torch.optim.AdamW: Adam with decoupled weight decay (default 1e-2), as PyTorch 2.x defines
/// it on top of Adam.
#include "gradlab/optim/adam.hpp"

namespace gradlab::optim {

class AdamW : public Adam {
 public:
  AdamW(std::vector<param_group> groups, const options& opts);
  std::string name() const override { return "AdamW"; }
  static optimizer_info info();
};

}  // namespace gradlab::optim
