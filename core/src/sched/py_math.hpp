#pragma once
// Python's arithmetic where it differs from C's: % takes the sign of the divisor.
#include <cmath>

namespace gradlab::sched {

inline double py_mod(double a, double b) {
  double r = std::fmod(a, b);
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

/// Python's math.pi.
constexpr double kPi = 3.141592653589793;

}  // namespace gradlab::sched
