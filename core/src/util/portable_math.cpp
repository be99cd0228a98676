#include "util/portable_math.hpp"

#include <limits>

namespace gradlab::portable {

double log(double x) {
  if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  // x = m 2^e with m in [sqrt(1/2), sqrt(2)); ln m = 2 atanh(t), t = (m - 1)/(m + 1), |t| < 0.172
  int e = 0;
  double m = std::frexp(x, &e);
  if (m < 0.70710678118654752) {
    m *= 2.0;
    --e;
  }
  const double t = (m - 1.0) / (m + 1.0), t2 = t * t;
  // 2 atanh t = 2 t (1 + t^2/3 + t^4/5 + ... + t^40/41), by Horner in t^2 (t^41 < 1e-31):
  // multiplications by constant reciprocals, no division per term
  double p = 1.0 / 41;
  for (int k = 39; k >= 1; k -= 2) p = p * t2 + 1.0 / k;
  return 2.0 * (t * p) + e * 0.69314718055994530942;
}

}  // namespace gradlab::portable
