#pragma once
/// \file dtype.hpp
/// The two floating dtypes gradlab supports, named as PyTorch names them.
#include <string>

namespace gradlab {

enum class dtype { float32, float64 };

/// "float32" / "float64", as in `str(torch.float32)` without the "torch." prefix.
const char* dtype_name(dtype d);
/// Parses "float32"/"float"/"float64"/"double"; throws a ValueError-style error otherwise.
dtype parse_dtype(const std::string& name);
/// PyTorch's promotion between floating dtypes: the wider one wins.
inline dtype promote(dtype a, dtype b) {
  return (a == dtype::float64 || b == dtype::float64) ? dtype::float64 : dtype::float32;
}

/// Calls f(T{}) with T = float or double according to d. Keeps dtype dispatch in one place.
template <class F>
decltype(auto) dispatch(dtype d, F&& f) {
  if (d == dtype::float32) return f(float{});
  return f(double{});
}

}  // namespace gradlab
