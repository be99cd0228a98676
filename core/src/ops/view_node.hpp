#pragma once
// A reshape recorded under a given grad_fn name (ViewBackward0, UnsqueezeBackward0,
// SqueezeBackward1, SqueezeBackward4 ...): every shape-only op shares one backward, g
// reshaped back to the input's shape. Used by ops/view.cpp and by matmul's 1-D forms.
#include "gradlab/autograd.hpp"

namespace gradlab {

Tensor named_view(const Tensor& a, const shape_t& shape, const char* grad_fn_name);

}  // namespace gradlab
