#pragma once
// The common bases of backward nodes that keep one tensor (an input or the op's own result)
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

/// The same for ops that keep two inputs, a and b (mul, div, the matrix products, ...).
class TwoSavedNode : public Node {
 public:
  TwoSavedNode(const Tensor& a, const Tensor& b) : a_(a), b_(b) {}
  bool saves_values() const override { return true; }
  void release_saved() override {
    a_.reset();
    b_.reset();
  }

 protected:
  Tensor saved_a() const { return a_.unpack(); }
  Tensor saved_b() const { return b_.unpack(); }

 private:
  SavedTensor a_, b_;
};

}  // namespace gradlab
