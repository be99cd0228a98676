#pragma once
/// \file reduce.hpp
/// Reductions.
#include "gradlab/tensor.hpp"

namespace gradlab {

Tensor sum(const Tensor& a);
Tensor mean(const Tensor& a);
/// Sums g down to shape (the reverse of broadcasting); the engine's one place for it.
Tensor sum_to(const Tensor& g, const shape_t& shape);

}  // namespace gradlab
