// The float32 tanh over an array (the tanh op's forward). Under WebAssembly SIMD it is
// written with wasm_simd128.h intrinsics, lane for lane the same operations as tanh_f32 in
// portable_math.hpp, so the bits are the same as the scalar function's (and the native
// build's). Why intrinsics: the compiler's vectorised loop evaluates both of tanh_f32's
// forms on every lane and keeps one; here a vector whose four lanes all take the same form
// computes only that one. In a tanh MLP's hidden layers about 40% of vectors are all below
// 0.5625 (the polynomial alone, a quarter of the work) and 10% all above it. Two vectors per
// iteration give V8's code two independent dependency chains. Together: 26.1 -> 18.8 ms for
// the 600 tanh calls of the playground-mlp benchmark (V8 11, measured on the benchmark's
// own pre-activations).
#include "util/portable_math.hpp"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace gradlab::portable {

#ifdef __wasm_simd128__
namespace {

v128_t splat(float c) { return wasm_f32x4_splat(c); }
v128_t mul(v128_t a, v128_t b) { return wasm_f32x4_mul(a, b); }
v128_t add(v128_t a, v128_t b) { return wasm_f32x4_add(a, b); }
v128_t sub(v128_t a, v128_t b) { return wasm_f32x4_sub(a, b); }

/// tanh_f32's form for a < 0.5625: a + a (s P(s)), s = a^2 (the same coefficients).
GRADLAB_INLINE v128_t small_form(v128_t a) {
  const v128_t s = mul(a, a);
  v128_t p = splat(-0x1.94a92ep-8f);
  p = add(mul(p, s), splat(0x1.581e7ep-6f));
  p = add(mul(p, s), splat(-0x1.b906eap-5f));
  p = add(mul(p, s), splat(0x1.110c62p-3f));
  p = add(mul(p, s), splat(-0x1.555548p-2f));
  return add(a, mul(a, mul(s, p)));
}

/// tanh_f32's form for a >= 0.5625: 1 - 1/D' from e^2a, with its Fast2Sum steps.
GRADLAB_INLINE v128_t large_form(v128_t a) {
  const v128_t ac = wasm_u32x4_min(a, wasm_i32x4_splat(0x41110000));  // clamp at 9.0625
  const v128_t y = add(ac, ac);
  const v128_t sh = add(mul(y, splat(0x1.715476p+0f)), splat(0x1.8p23f));
  const v128_t n = sub(sh, splat(0x1.8p23f));
  const v128_t r = sub(sub(y, mul(n, splat(0x1.62e4p-1f))), mul(n, splat(0x1.7f7d1cp-20f)));
  const v128_t half_n = wasm_i32x4_add(wasm_i32x4_shl(sh, 23), wasm_i32x4_splat(126 << 23));
  v128_t q = splat(0x1.6a4f28p-10f);
  q = add(mul(q, r), splat(0x1.12398p-7f));
  q = add(mul(q, r), splat(0x1.5558aep-5f));
  q = add(mul(q, r), splat(0x1.555492p-3f));
  q = add(mul(q, r), splat(0x1.fffffcp-2f));
  const v128_t m = add(r, mul(mul(r, r), q));
  const v128_t A = add(half_n, splat(0.5f)), B = mul(half_n, m);
  const v128_t Dh = add(A, B);
  const v128_t Dl = sub(B, sub(Dh, A));
  const v128_t one = splat(1.0f);
  const v128_t q0 = wasm_f32x4_div(one, Dh);
  const v128_t h = sub(one, q0);
  const v128_t l = sub(sub(one, h), q0);
  return add(h, add(l, mul(mul(q0, q0), Dl)));
}

GRADLAB_INLINE void tanh4(const float* a, float* r) {
  const v128_t sign = wasm_i32x4_splat(static_cast<int>(0x80000000u));
  const v128_t x = wasm_v128_load(a);
  const v128_t ab = wasm_v128_andnot(x, sign);
  // a float compare, as in tanh_f32: a NaN compares false and is carried by the small form
  const v128_t large = wasm_f32x4_ge(ab, splat(0.5625f));
  v128_t t;
  if (!wasm_v128_any_true(large))
    t = small_form(ab);
  else if (wasm_i32x4_all_true(large))
    t = large_form(ab);
  else
    t = wasm_v128_bitselect(large_form(ab), small_form(ab), large);
  wasm_v128_store(r, wasm_v128_or(t, wasm_v128_and(x, sign)));
}

}  // namespace
#endif

void tanh_f32_loop(const void*, const float* __restrict a, float* __restrict r, std::size_t n) {
  std::size_t i = 0;
#ifdef __wasm_simd128__
  for (; i + 8 <= n; i += 8) {
    tanh4(a + i, r + i);
    tanh4(a + i + 4, r + i + 4);
  }
#endif
  for (; i < n; ++i) r[i] = tanh_f32(a[i]);
}

}  // namespace gradlab::portable
