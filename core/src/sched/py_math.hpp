#pragma once
// Python's arithmetic where it differs from C's: % takes the sign of the divisor, and a zero
// divisor raises ZeroDivisionError (CPython 3.11's texts) instead of giving inf or NaN, which
// would reach the optimizer as a NaN learning rate and look like a divergence.
#include <cmath>

#include "gradlab/error.hpp"

namespace gradlab::sched {

[[noreturn]] inline void zero_division_error(const std::string& m) {
  throw error("ZeroDivisionError", m);
}

/// a % b. Scheduler arguments arrive as numbers: whole values count as Python ints (as
/// step_size=0 or T_max=0 would be written), so 0 % 0 says "integer modulo by zero".
inline double py_mod(double a, double b) {
  if (b == 0)
    zero_division_error(a == std::floor(a) && b == std::floor(b) ? "integer modulo by zero"
                                                                 : "float modulo");
  double r = std::fmod(a, b);
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

/// a / b where Python divides floats.
inline double py_div(double a, double b) {
  if (b == 0) zero_division_error("float division by zero");
  return a / b;
}

/// Python's math.pi.
constexpr double kPi = 3.141592653589793;

}  // namespace gradlab::sched
