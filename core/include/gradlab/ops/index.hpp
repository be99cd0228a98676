#pragma once
/// \file index.hpp
/// Indexing: select (p[0]) and unbind (`*params` in the book's model call).
#include <vector>

#include "gradlab/tensor.hpp"

namespace gradlab {

/// a.select(dim, index); `subscript`: Python's a[i], whose out-of-range IndexError is worded
/// differently from select()'s.
Tensor select(const Tensor& a, long long dim, long long index, bool subscript = false);
std::vector<Tensor> unbind(const Tensor& a, long long dim = 0);

}  // namespace gradlab
