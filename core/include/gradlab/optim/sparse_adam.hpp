#pragma once
/// \file sparse_adam.hpp
/// torch.optim.SparseAdam: Adam restricted to the rows present in a sparse gradient (the grad
/// of embedding(..., sparse=True), marked by TensorImpl::sparse_rows).
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

class SparseAdam : public optimizer {
 public:
  SparseAdam(std::vector<param_group> groups, const options& opts);
  std::string name() const override { return "SparseAdam"; }
  static optimizer_info info();

 protected:
  void update_group(param_group& group) override;
  void validate(const options& opts) const override;
};

}  // namespace gradlab::optim
