// Exhaustive accuracy proof for gradlab::portable::tanh_f32 (core/src/util/portable_math.hpp).
//
//   npm run exhaustive   (builds build/native/tests/tanh_exhaustive, about 3 minutes)
//
// It runs every float bit pattern with the sign bit clear (0 .. 0x7fffffff: +0, the
// denormals, the normals, +inf and the NaNs) through the vectorised loop, and for each one:
//  - compares against tanhl (x87 80-bit long double; its error of a few 2^-64 relative is
//    negligible at float precision). The error is |got - ref| in ulps of ref's float binade:
//    2^(e-23) for |ref| in [2^e, 2^(e+1)), or 2^-149 below 2^-126;
//  - counts results equal to (float)ref, i.e. correctly rounded. The only doubt is a ref
//    within about 2^-64 relative of a rounding midpoint, which does not affect the max error;
//  - checks oddness bit for bit: tanh_f32(-x) == tanh_f32(x) with its sign bit flipped
//    (NaNs included: -NaN in gives the same bits back);
//  - checks that the scalar (non-vectorised) build of the function returns the same bits as
//    the vectorised loop;
//  - checks the special values: +-0 (sign kept), tiny x including denormals (x returned), the
//    saturation point (exactly +-1 above it), +-inf -> +-1, NaN in -> the same NaN bits out.
// Exit status 0 if the max error is <= 1 ulp and every check holds.
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "util/portable_math.hpp"

using gradlab::portable::tanh_f32;

namespace {

std::uint32_t bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
float from(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// the loop as the project writes it; g++ -O3 vectorises it (4 lanes, SSE2)
__attribute__((noinline)) void run_vec(const float* __restrict in, float* __restrict out, int n) {
  for (int i = 0; i < n; ++i) out[i] = tanh_f32(in[i]);
}
// the same function compiled without vectorisation, one element at a time
__attribute__((noinline, optimize("no-tree-vectorize", "no-tree-slp-vectorize"))) float run_scalar(
    float x) {
  return tanh_f32(x);
}

// ulp of the float binade of |v|
long double ulp_of(long double v) {
  v = fabsl(v);
  if (v < 0x1p-126L) return 0x1p-149L;
  int e;
  frexpl(v, &e);  // v in [2^(e-1), 2^e)
  return ldexpl(1.0L, e - 1 - 23);
}

}  // namespace

int main() {
  const int kChunk = 1 << 16;
  std::vector<float> in(kChunk), out(kChunk), in_neg(kChunk), out_neg(kChunk);

  double max_err = 0;
  float max_err_x = 0, max_err_got = 0;
  long double max_err_ref = 0;
  std::uint64_t finite = 0, correct = 0, mid = 0, mid_correct = 0;
  std::uint64_t odd_fail = 0, scalar_fail = 0, tiny_fail = 0, sat_fail = 0, nan_fail = 0;
  std::uint64_t over_half = 0;  // results with error > 0.5 ulp (i.e. not correctly rounded)
  float first_one = INFINITY;   // smallest x with tanh_f32(x) == 1
  // max error per binade of x, for the report
  double binade_max[256] = {0};

  for (std::uint64_t base = 0; base < 0x80000000ull; base += kChunk) {
    for (int i = 0; i < kChunk; ++i) {
      in[i] = from(static_cast<std::uint32_t>(base + i));
      in_neg[i] = from(static_cast<std::uint32_t>(base + i) | 0x80000000u);
    }
    run_vec(in.data(), out.data(), kChunk);
    run_vec(in_neg.data(), out_neg.data(), kChunk);
    for (int i = 0; i < kChunk; ++i) {
      const std::uint32_t xb = static_cast<std::uint32_t>(base + i);
      const float x = in[i], got = out[i];
      if (bits(out_neg[i]) != (bits(got) ^ 0x80000000u)) ++odd_fail;
      if (bits(run_scalar(x)) != bits(got)) ++scalar_fail;
      if (std::isnan(x)) {
        // a quiet NaN must come back unchanged; a signalling one comes back quieted
        const std::uint32_t want = xb | 0x00400000u;
        if (bits(got) != want) ++nan_fail;
        continue;
      }
      if (std::isinf(x)) {
        if (got != 1.0f) ++sat_fail;
        continue;
      }
      ++finite;
      const long double ref = tanhl(static_cast<long double>(x));
      const long double err_l = fabsl(static_cast<long double>(got) - ref);
      const double err = ref == 0 ? (got == 0 ? 0.0 : INFINITY) : static_cast<double>(err_l / ulp_of(ref));
      const bool cr = got == static_cast<float>(ref);
      correct += cr;
      if (x >= 0x1p-12f && x <= 9.02f) {
        ++mid;
        mid_correct += cr;
      }
      if (err > 0.5) ++over_half;
      if (err > max_err) {
        max_err = err;
        max_err_x = x;
        max_err_got = got;
        max_err_ref = ref;
      }
      const int e = static_cast<int>(xb >> 23);
      if (err > binade_max[e]) binade_max[e] = err;
      // tiny x (below 2^-12, denormals included): tanh rounds to x itself, and so must we
      if (x < 0x1p-12f && bits(got) != xb) ++tiny_fail;
      if (got == 1.0f && x < first_one) first_one = x;
      if (x >= first_one && got != 1.0f) ++sat_fail;  // once 1, always 1 (monotone top end)
    }
  }
  // zeros, exactly
  const bool zeros_ok = bits(tanh_f32(0.0f)) == 0u && bits(tanh_f32(-0.0f)) == 0x80000000u;
  const bool inf_ok = tanh_f32(INFINITY) == 1.0f && tanh_f32(-INFINITY) == -1.0f;

  std::printf("max error per binade of x (binades with error > 0 and x >= 2^-20):\n");
  for (int e = 0; e < 255; ++e)
    if (binade_max[e] > 0 && e >= 127 - 20)
      std::printf("  x in [2^%d, 2^%d): %.4f ulp\n", e - 127, e - 126, binade_max[e]);
  std::printf("inputs x >= 0, finite: %" PRIu64 "\n", finite);
  std::printf("MAX ERROR %.6f ulp at x = %a (%.9g): got %a, tanhl %.12Lg\n", max_err, max_err_x,
              max_err_x, max_err_got, max_err_ref);
  std::printf("correctly rounded: %.6f%% of all finite x >= 0; %.4f%% of x in [2^-12, 9.02] "
              "(%" PRIu64 " of %" PRIu64 " not)\n",
              100.0 * correct / finite, 100.0 * mid_correct / mid, mid - mid_correct, mid);
  std::printf("results off by more than 0.5 ulp: %" PRIu64 "\n", over_half);
  std::printf("saturates to exactly 1 from x = %a (%.9g) on\n", first_one, first_one);
  std::printf("checks: odd (all 2^32 patterns) %s, scalar == vector %s, tiny x -> x %s, "
              "saturation/inf %s, NaN passthrough %s, +-0 %s, +-inf %s\n",
              odd_fail ? "FAIL" : "ok", scalar_fail ? "FAIL" : "ok", tiny_fail ? "FAIL" : "ok",
              sat_fail ? "FAIL" : "ok", nan_fail ? "FAIL" : "ok", zeros_ok ? "ok" : "FAIL",
              inf_ok ? "ok" : "FAIL");
  if (odd_fail || scalar_fail || tiny_fail || sat_fail || nan_fail)
    std::printf("failure counts: odd %" PRIu64 " scalar %" PRIu64 " tiny %" PRIu64 " sat %" PRIu64
                " nan %" PRIu64 "\n",
                odd_fail, scalar_fail, tiny_fail, sat_fail, nan_fail);
  const bool ok = max_err <= 1.0 && !odd_fail && !scalar_fail && !tiny_fail && !sat_fail &&
                  !nan_fail && zeros_ok && inf_ok;
  std::printf("%s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
