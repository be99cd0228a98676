#pragma once
/// \file index.hpp
/// Indexing: select (p[0]) and unbind (`*params` in the book's model call).
#include <vector>

#include "gradlab/tensor.hpp"

namespace gradlab {

Tensor select(const Tensor& a, long long dim, long long index);
std::vector<Tensor> unbind(const Tensor& a, long long dim = 0);

}  // namespace gradlab
