#include "util/portable_math.hpp"

#include <array>
#include <limits>

namespace gradlab::portable {

namespace {
// 1/n! for n = 0..13 (n! is exact in double up to 22!, and one division rounds correctly).
std::array<double, 14> inverse_factorials() {
  std::array<double, 14> c{};
  double f = 1.0;
  for (int n = 0; n < 14; ++n) {
    if (n > 0) f *= n;
    c[static_cast<std::size_t>(n)] = 1.0 / f;
  }
  return c;
}
}  // namespace

double exp(double x) {
  static const std::array<double, 14> c = inverse_factorials();
  if (std::isnan(x)) return x;
  if (x > 709.782712893384) return std::numeric_limits<double>::infinity();
  if (x < -745.1332191019412) return 0.0;
  // x = k ln2 + r with |r| <= ln2/2; ln2 is split so that k * hi is exact
  const double k = std::nearbyint(x * 1.4426950408889634);
  const double r = (x - k * 0.6931471803691238) - k * 1.9082149292705877e-10;
  double p = c[13];  // Taylor series to r^13/13!: the next term is below 1e-17 relative
  for (int n = 12; n >= 0; --n) p = p * r + c[static_cast<std::size_t>(n)];
  return std::ldexp(p, static_cast<int>(k));
}

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
  double term = t, sum = 0.0;
  for (int k = 1; k <= 41; k += 2) {  // t^41 < 1e-31
    sum += term / k;
    term *= t2;
  }
  return 2.0 * sum + e * 0.69314718055994530942;
}

double log1p(double x) {
  // Goldberg's correction: u = 1 + x rounds, and x / (u - 1) puts back exactly what it lost
  const double u = 1.0 + x;
  if (u == 1.0) return x;
  if (std::isinf(u)) return u;
  return log(u) * (x / (u - 1.0));
}

}  // namespace gradlab::portable
