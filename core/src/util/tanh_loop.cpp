// The float32 tanh over an array (the tanh op's forward). Under WebAssembly SIMD it runs
// tanh_f32's own two forms (portable_math.hpp) on four lanes at once, so the bits are the
// same as the scalar function's (and the native build's). Why a loop of its own: the compiler's
// vectorised loop evaluates both of tanh_f32's forms on every lane and keeps one; here a vector
// whose four lanes all take the same form computes only that one. In a tanh MLP's hidden layers
// about 40% of vectors are all below 0.5625 (the polynomial alone, a quarter of the work) and 10%
// all above it. Two vectors per iteration give V8's code two independent dependency chains.
// Together: 26.1 -> 18.8 ms for the 600 tanh calls of the playground-mlp benchmark (V8 11, measured
// on the benchmark's own pre-activations).
#include "util/portable_math.hpp"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace gradlab::portable {

#ifdef __wasm_simd128__
namespace {

// tanh_f32's forms run on these (clang's vector extensions: arithmetic lane by lane, a float
// constant splat); v128_t converts to and from them bit for bit.
using f32x4 = float __attribute__((vector_size(16)));
using u32x4 = std::uint32_t __attribute__((vector_size(16)));

GRADLAB_INLINE v128_t small_form(v128_t a) {
  return reinterpret_cast<v128_t>(tanh_small_form(reinterpret_cast<f32x4>(a)));
}

GRADLAB_INLINE v128_t large_form(v128_t a) {
  const v128_t ac = wasm_u32x4_min(a, wasm_i32x4_splat(0x41110000));  // clamp at 9.0625
  const auto pow2 = [](f32x4 sh) GRADLAB_INLINE_LAMBDA {
    return reinterpret_cast<f32x4>((reinterpret_cast<u32x4>(sh) << 23) + (126u << 23));
  };
  return reinterpret_cast<v128_t>(tanh_large_form(reinterpret_cast<f32x4>(ac), pow2));
}

GRADLAB_INLINE void tanh4(const float* a, float* r) {
  const v128_t sign = wasm_i32x4_splat(static_cast<int>(0x80000000u));
  const v128_t x = wasm_v128_load(a);
  const v128_t ab = wasm_v128_andnot(x, sign);
  // a float compare, as in tanh_f32: a NaN compares false and is carried by the small form
  const v128_t large = wasm_f32x4_ge(ab, wasm_f32x4_splat(0.5625f));
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
