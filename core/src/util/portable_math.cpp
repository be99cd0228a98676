#include "util/portable_math.hpp"

#include <cstdint>
#include <limits>

namespace gradlab::portable {

// 2^(j/32), j = 0..31, each the double nearest the exact value (from 60-digit decimals):
// literals, so every build reads the same bits.
constexpr double kTwoToJ32[32] = {
    0x1.0000000000000p+0, 0x1.059b0d3158574p+0, 0x1.0b5586cf9890fp+0, 0x1.11301d0125b51p+0,
    0x1.172b83c7d517bp+0, 0x1.1d4873168b9aap+0, 0x1.2387a6e756238p+0, 0x1.29e9df51fdee1p+0,
    0x1.306fe0a31b715p+0, 0x1.371a7373aa9cbp+0, 0x1.3dea64c123422p+0, 0x1.44e086061892dp+0,
    0x1.4bfdad5362a27p+0, 0x1.5342b569d4f82p+0, 0x1.5ab07dd485429p+0, 0x1.6247eb03a5585p+0,
    0x1.6a09e667f3bcdp+0, 0x1.71f75e8ec5f74p+0, 0x1.7a11473eb0187p+0, 0x1.82589994cce13p+0,
    0x1.8ace5422aa0dbp+0, 0x1.93737b0cdc5e5p+0, 0x1.9c49182a3f090p+0, 0x1.a5503b23e255dp+0,
    0x1.ae89f995ad3adp+0, 0x1.b7f76f2fb5e47p+0, 0x1.c199bdd85529cp+0, 0x1.cb720dcef9069p+0,
    0x1.d5818dcfba487p+0, 0x1.dfc97337b9b5fp+0, 0x1.ea4afa2a490dap+0, 0x1.f50765b6e4540p+0,
};

namespace {
/// x = k ln2/32 + r with |r| <= ln2/64; returns k. k rounds to nearest by the 1.5 * 2^52
/// trick (plain IEEE adds: the same in every build); ln2/32 is split so that k * hi is exact.
inline long long reduce(double x, double& r) {
  const double shift = 0x1.8p52;
  const double kd = (x * 46.16624130844683 + shift) - shift;
  r = (x - kd * 0x1.62e42fefa0000p-6) - kd * 0x1.cf79abc9e3b3ap-45;
  return static_cast<long long>(kd);
}
/// e^r - 1 for |r| <= ln2/64, to r^6/6! (the next term is below 4e-18 relative).
inline double expm1_poly(double r) {
  return r * (1.0 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720))))));
}

/// 2^m as a double, built from its bits (ldexp was a third of a small tanh MLP's time).
double two_to(long long m) { return from_bits(static_cast<std::uint64_t>(m + 1023) << 52); }
}  // namespace

double exp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.782712893384) return std::numeric_limits<double>::infinity();
  if (x < -745.1332191019412) return 0.0;
  // Tang's method: x = (32 m + j) ln2/32 + r with |r| <= ln2/64, exp(x) = 2^m 2^(j/32) e^r
  double r;
  const long long k = reduce(x, r);
  const long long j = k & 31, m = (k - j) / 32;
  const double q = expm1_poly(r);
  const double t = kTwoToJ32[j];
  const double y = t + t * q;
  // 2^m in two steps where one double cannot hold it (results near overflow and subnormals)
  if (m > 1023) return y * two_to(m - 1) * 2.0;
  if (m < -1022) return y * two_to(m + 1000) * 0x1p-1000;
  return y * two_to(m);
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
  // 2 atanh t = 2 t (1 + t^2/3 + t^4/5 + ... + t^40/41), by Horner in t^2 (t^41 < 1e-31):
  // multiplications by constant reciprocals, no division per term
  double p = 1.0 / 41;
  for (int k = 39; k >= 1; k -= 2) p = p * t2 + 1.0 / k;
  return 2.0 * (t * p) + e * 0.69314718055994530942;
}

double log1p(double x) {
  // Goldberg's correction: u = 1 + x rounds, and x / (u - 1) puts back exactly what it lost
  const double u = 1.0 + x;
  if (u == 1.0) return x;
  if (std::isinf(u)) return u;
  return log(u) * (x / (u - 1.0));
}

}  // namespace gradlab::portable
