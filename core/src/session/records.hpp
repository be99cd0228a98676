#pragma once
// Private: what the session's phases and its records share.
#include <vector>

#include "gradlab/tensor.hpp"

namespace gradlab::detail {

/// Appends t's values, as float, to out (the history's storage type).
inline void append_values(std::vector<float>& out, const Tensor& t) {
  dispatch(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const auto& a = t.data<T>();
    out.insert(out.end(), a.begin(), a.end());
  });
}

}  // namespace gradlab::detail
