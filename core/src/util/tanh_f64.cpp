// The float64 tanh op's kernel. PyTorch's CPU tanh has no libm of its own: ATen's vml::vtanh
// calls MKL's vdTanh where the build has MKL (the x86-64 wheels of 2.x) and otherwise SLEEF's
// Sleef_tanhd4_u10 on every element, the last partial vector included (Debian's 1.13, and any
// build without MKL). MKL's bits cannot be reproduced; SLEEF's can, with the same operations in
// the same order, and they are the same on every platform, where the libm tanh (glibc's, musl's
// in WebAssembly) is not. So this is SLEEF's u10 algorithm, as its AVX2 build runs it (every
// multiply-add fused): tanh y = (e^y - e^-y) / (e^y + e^-y) for y = |x|, with e^y in
// double-double arithmetic (hi + lo pairs carrying each rounding error). Against Debian's
// PyTorch 1.13: equal on 200000 random inputs in [-3, 3]; glibc's tanh differs in 18% of them,
// and in the last bits of LBFGS runs (issue 17). Against the 2.11 golden files (MKL) it is no
// further than glibc's: of the 66487 values the golden checker compares, 31534 are equal with
// it, 31039 with glibc's tanh. Requires no FMA contraction (the core builds with
// -ffp-contract=off): the error-free steps below must round exactly where written.
#include <cmath>

#include "util/inline.hpp"
#include "util/portable_math.hpp"

// Where the CPU has FMA (x86-64 builds assume only SSE2), a second copy of tanh_f64 chosen at
// load time runs each std::fma as one instruction rather than a call into the libm: the same
// bits (both round once), 90 -> 29 ns a call (glibc's tanh: 11 to 20 ns on the same machine).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__EMSCRIPTEN__)
#define GRADLAB_FMA_CLONES __attribute__((target_clones("fma", "default")))
#else
#define GRADLAB_FMA_CLONES
#endif

namespace gradlab::portable {

namespace {

/// The unevaluated sum hi + lo.
struct dd {
  double hi, lo;
};

// Sums. "any": Knuth's two-sum, for operands of any magnitudes; "big": Fast2Sum, for |a| >= |b|.
GRADLAB_INLINE dd add_any(dd a, double b) {
  const double s = a.hi + b, v = s - a.hi;
  return {s, ((a.hi - (s - v)) + (b - v)) + a.lo};
}
GRADLAB_INLINE dd add_any(dd a, dd b) {
  const double s = a.hi + b.hi, v = s - a.hi;
  return {s, ((a.hi - (s - v)) + (b.hi - v)) + (a.lo + b.lo)};
}
GRADLAB_INLINE dd add_big(double a, dd b) {
  const double s = a + b.hi;
  return {s, ((a - s) + b.hi) + b.lo};
}
GRADLAB_INLINE dd add_big(dd a, dd b) {
  const double s = a.hi + b.hi;
  return {s, (((a.hi - s) + b.hi) + a.lo) + b.lo};
}

// Products: the rounding error of hi * hi from one fma, the cross terms folded in by more.
GRADLAB_INLINE dd mul(dd a, double b) {
  const double s = a.hi * b;
  return {s, std::fma(a.lo, b, std::fma(a.hi, b, -s))};
}
GRADLAB_INLINE dd mul(dd a, dd b) {
  const double s = a.hi * b.hi;
  return {s, std::fma(a.hi, b.lo, std::fma(a.lo, b.hi, std::fma(a.hi, b.hi, -s)))};
}
GRADLAB_INLINE dd square(dd a) {
  const double s = a.hi * a.hi;
  return {s, std::fma(a.hi + a.hi, a.lo, std::fma(a.hi, a.hi, -s))};
}
/// 1 / d: the residual 1 - d t of t = 1 / d.hi, scaled by t.
GRADLAB_INLINE dd reciprocal(dd d) {
  const double t = 1.0 / d.hi;
  return {t, t * std::fma(-d.lo, t, std::fma(-d.hi, t, 1.0))};
}
/// n / d: the quotient by 1 / d.hi, corrected by the residuals of both.
GRADLAB_INLINE dd divide(dd n, dd d) {
  const double t = 1.0 / d.hi, q = n.hi * t;
  const double err = std::fma(t, n.hi, -q);
  const double resid = std::fma(-d.lo, t, std::fma(-d.hi, t, 1.0));
  return {q, std::fma(q, resid, std::fma(n.lo, t, err))};
}

/// e^y for 0 <= y <= 18.72 in double-double: y = q ln2 + r (ln2 in two parts, so r is
/// exact enough), e^r = 1 + r + r^2/2 + r^3/6 + r^4 P(r), P of degree 9 by Estrin's scheme
/// (the coefficients are SLEEF's fit), then scaled by 2^q (exact).
GRADLAB_INLINE dd exp_dd(double y) {
  constexpr double inv_ln2 = 1.442695040888963407359924681001892137426645954152985934135449406931;
  constexpr double ln2_hi = .69314718055966295651160180568695068359375;
  constexpr double ln2_lo = .28235290563031577122588448175013436025525412068e-12;
  const double qd = std::nearbyint(y * inv_ln2);  // ties to even, as vroundpd
  const int q = static_cast<int>(qd);
  dd r = add_any(dd{y, 0.0}, qd * -ln2_hi);
  r = add_any(r, qd * -ln2_lo);
  const dd r2 = square(r), r4 = square(r2);
  const double x = r.hi, x2 = r2.hi, x4 = r4.hi, x8 = r4.hi * r4.hi;
  auto p2 = [x](double c1, double c0) { return std::fma(x, c1, c0); };
  auto p4 = [&](double c3, double c2, double c1, double c0) {
    return std::fma(x2, p2(c3, c2), p2(c1, c0));
  };
  const double p8 = std::fma(x4,
                             p4(+0.2505230023782644465e-7, +0.2755724800902135303e-6,
                                +0.2755731892386044373e-5, +0.2480158735605815065e-4),
                             p4(+0.1984126984148071858e-3, +0.1388888888886763255e-2,
                                +0.8333333333333347095e-2, +0.4166666666666669905e-1));
  const double p = std::fma(x8, p2(+0.1602472219709932072e-9, +0.2092255183563157007e-8), p8);
  dd t = add_big(0.5, mul(r, +0.1666666666666666574e+0));
  t = add_big(1.0, mul(t, r));
  t = add_big(1.0, mul(t, r));
  t = add_big(t, mul(r4, p));
  return {std::ldexp(t.hi, q), std::ldexp(t.lo, q)};
}

}  // namespace

GRADLAB_FMA_CLONES double tanh_f64(double x) {
  if (std::isnan(x)) return x;
  const double y = std::fabs(x);
  // SLEEF's cut: from here on tanh rounds to 1 (and e^y's scaling would need care)
  if (y > 18.714973875) return std::copysign(1.0, x);
  const dd e = exp_dd(y), inv = reciprocal(e);
  const dd t = divide(add_any(e, dd{-inv.hi, -inv.lo}), add_any(e, inv));
  return std::copysign(t.hi + t.lo, x);
}

}  // namespace gradlab::portable
