// PyTorch's three Box-Muller transforms (see box_muller.hpp). The float32 kernel is ATen's
// AVX2 one: log256_ps and sincos256_ps from avx_mathfun.h, whose separate multiply and add
// intrinsics GCC contracts into FMAs in PyTorch's build; each std::fmaf below marks such a
// pair (found by comparing with Debian's PyTorch, which matches only with them). The lanes are
// independent, so one lane at a time gives the same values as eight.
#include "random/box_muller.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "random/glibc_math.hpp"

namespace gradlab::random::detail {

namespace {

std::uint32_t fbits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
float from_fbits(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

/// log256_ps for x in (0, 1]: x = 2^e m, m in [sqrt(1/2), sqrt(2)), log x = e ln2 + log m
/// with log(1 + t) = t - t^2/2 + t^3 P(t), ln2 split as 0.693359375 - 2.12194440e-4.
float cephes_log(float x) {
  x = std::max(x, from_fbits(0x00800000u));  // no denormals
  const auto biased = static_cast<std::int32_t>(fbits(x) >> 23);
  x = from_fbits((fbits(x) & ~0x7f800000u) | fbits(0.5f));  // mantissa in [0.5, 1)
  float e = static_cast<float>(biased - 0x7f) + 1.0f;
  const bool below = x < 0.707106781186547524f;
  const float extra = below ? x : 0.0f;
  x = x - 1.0f;
  e = e - (below ? 1.0f : 0.0f);
  x = x + extra;
  const float z = x * x;
  float y = 7.0376836292e-2f;
  y = std::fmaf(y, x, -1.1514610310e-1f);
  y = std::fmaf(y, x, 1.1676998740e-1f);
  y = std::fmaf(y, x, -1.2420140846e-1f);
  y = std::fmaf(y, x, 1.4249322787e-1f);
  y = std::fmaf(y, x, -1.6668057665e-1f);
  y = std::fmaf(y, x, 2.0000714765e-1f);
  y = std::fmaf(y, x, -2.4999993993e-1f);
  y = std::fmaf(y, x, 3.3333331174e-1f);
  y = y * x;
  y = std::fmaf(y, z, e * -2.12194440e-4f);
  y = std::fmaf(-z, 0.5f, y);
  return std::fmaf(e, 0.693359375f, x + y);
}

/// sincos256_ps for x >= 0: j = the even integer nearest x 4/pi (from below, as Cephes),
/// x - j pi/4 in three exact-product steps, then a cos and a sin polynomial, swapped and
/// signed by j's octant.
void cephes_sincos(float x, float& s, float& c) {
  std::uint32_t sign_sin = fbits(x) & 0x80000000u;
  x = std::fabs(x);
  auto j = static_cast<std::int32_t>(x * 1.27323954473516f);  // truncates, as cvttps
  j = (j + 1) & ~1;
  const auto y = static_cast<float>(j);
  sign_sin ^= static_cast<std::uint32_t>(j & 4) << 29;
  const std::uint32_t sign_cos = static_cast<std::uint32_t>(~(j - 2) & 4) << 29;
  const bool sin_poly_for_sin = (j & 2) == 0;
  x = std::fmaf(y, -0.78515625f, x);
  x = std::fmaf(y, -2.4187564849853515625e-4f, x);
  x = std::fmaf(y, -3.77489497744594108e-8f, x);
  const float z = x * x;
  float yc = 2.443315711809948e-005f;
  yc = std::fmaf(yc, z, -1.388731625493765e-003f);
  yc = std::fmaf(yc, z, 4.166664568298827e-002f);
  yc = yc * z;
  yc = std::fmaf(yc, z, -(z * 0.5f));
  yc = yc + 1.0f;
  float ys = -1.9515295891e-4f;
  ys = std::fmaf(ys, z, 8.3321608736e-3f);
  ys = std::fmaf(ys, z, -1.6666654611e-1f);
  ys = ys * z;
  ys = std::fmaf(ys, x, x);
  s = from_fbits(fbits(sin_poly_for_sin ? ys : yc) ^ sign_sin);
  c = from_fbits(fbits(sin_poly_for_sin ? yc : ys) ^ sign_cos);
}

}  // namespace

void normal_fill_16(float* data, float mean, float std) {
  const auto two_pi = static_cast<float>(2.0 * 3.14159265358979323846);
  for (int j = 0; j < 8; ++j) {
    const float u1 = 1.0f - data[j];
    const float u2 = data[j + 8];
    const float radius = std::sqrt(-2.0f * cephes_log(u1));
    float s, c;
    cephes_sincos(two_pi * u2, s, c);
    data[j] = std::fmaf(radius * c, std, mean);
    data[j + 8] = std::fmaf(radius * s, std, mean);
  }
}

void normal_fill_16(double* data, double mean, double std) {
  for (int j = 0; j < 8; ++j) {
    const double u1 = 1.0 - data[j];
    const double u2 = data[j + 8];
    const double radius = std::sqrt(-2.0 * glibc_log(u1));
    const double theta = 2.0 * 3.14159265358979323846 * u2;
    data[j] = std::fma(radius * glibc_cos(theta), std, mean);
    data[j + 8] = std::fma(radius * glibc_sin(theta), std, mean);
  }
}

double normal_one(generator& g, double mean, double std) {
  auto& cached = g.next_double_normal();
  if (cached) {
    const double v = *cached;
    cached.reset();
    return std::fma(v, std, mean);
  }
  const double u1 = uniform01_f64(g);
  const double u2 = uniform01_f64(g);
  const double log_term =
      g.version() == formulas::pytorch_2 ? glibc_log1p(-u2) : glibc_log(1.0 - u2);
  const double r = std::sqrt(-2.0 * log_term);
  const double theta = 2.0 * 3.14159265358979323846 * u1;
  cached = r * glibc_sin(theta);
  return std::fma(r * glibc_cos(theta), std, mean);
}

}  // namespace gradlab::random::detail
