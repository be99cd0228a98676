#pragma once
// The common base of backward nodes that keep one tensor (an input or the op's own result)
// for backward: pointwise activations, softmax, the losses. Subclasses add the name and
// the derivative.
#include "gradlab/autograd.hpp"

namespace gradlab {

class OneSavedNode : public Node {
 public:
  OneSavedNode(const Tensor& t, bool is_output) : saved_(t, is_output) {}
  bool saves_values() const override { return true; }
  void release_saved() override { saved_.reset(); }

 protected:
  Tensor saved() const { return saved_.unpack(); }

 private:
  SavedTensor saved_;
};

}  // namespace gradlab
