#pragma once
// Doubles from user input (options, epochs, sizes) as integers. A double beyond the integer's
// range has no conversion (undefined behaviour), so these saturate; NaN becomes 0.
#include <limits>

namespace gradlab {

template <class I>
I saturating_cast(double v) {
  constexpr double lo = static_cast<double>(std::numeric_limits<I>::min());
  // max() + 1 is a power of two and exact as a double (max() itself may round up)
  constexpr double hi = 2.0 * static_cast<double>(std::numeric_limits<I>::max() / 2 + 1);
  if (!(v == v)) return 0;
  if (v >= hi) return std::numeric_limits<I>::max();
  if (v <= lo) return std::numeric_limits<I>::min();
  return static_cast<I>(v);
}

}  // namespace gradlab
