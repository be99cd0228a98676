// The blocked matrix-product kernel. B is packed one panel of kNr columns at a time into a
// reused buffer (or read in place when its rows are narrow); a kMr x kNr block of C lives in
// registers while the k loop streams through A's rows and the panel (i-k-j order: the
// innermost loop runs over a row of B). Thin shapes (k <= 4, one output column, n <= 4) have
// loops of their own. Every path sums each c[i][j] in the same order (tests/cpp/
// matmul_paths_test.cpp). Under Emscripten with SIMD the float kernel is written with
// wasm_simd128.h intrinsics; everywhere else plain loops, which GCC and Clang vectorise.
#include "ops/gemm.hpp"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "util/inline.hpp"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace gradlab::kernels {

namespace {
constexpr std::size_t kMr = 4;      // rows of C per register block
constexpr std::size_t kKc = 256;    // depth of one pass: keeps the packed panel in L1
constexpr std::size_t kSmallK = 4;  // up to this depth, small_k() rather than the register block

/// Columns per register block. Natively (GCC 12 -O3, SSE2) 4 x 16 floats and 4 x 4 doubles
/// measured fastest on 256 x 256; under wasm SIMD the float block is two f32x4 per row, so
/// its 8 accumulators and operands fit in the engine's 16 vector registers.
template <class T>
constexpr std::size_t nr() {
#ifdef __wasm_simd128__
  return 32 / sizeof(T);
#else
  return sizeof(T) == 4 ? 16 : 4;
#endif
}

/// Buffers reused across calls, so that the hot loop never allocates.
template <class T>
std::vector<T>& pack_buffer() {
  static thread_local std::vector<T> buf;
  return buf;
}

/// c[0..mr) x [0..nc) (+)= a[0..mr) x [0..kc) @ panel (kc x NR, zero-padded; its rows ps
/// apart: NR when packed, n when read in place). Row r of A
/// starts at a + r * lda and its elements are sp apart (1, or m when A is stored transposed).
template <class T, bool kStrided>
void micro_kernel(std::size_t mr, std::size_t nc, std::size_t kc, const T* a, std::size_t lda,
                  std::size_t sp, const T* panel, std::size_t ps, T* c, std::size_t ldc, bool add) {
  constexpr std::size_t NR = nr<T>();
  T acc[kMr][NR] = {};
  // rows past mr read the last valid row (never out of bounds) and are discarded
  const T* rows[kMr];
  for (std::size_t r = 0; r < kMr; ++r) rows[r] = a + std::min(r, mr - 1) * lda;
  for (std::size_t p = 0; p < kc; ++p) {
    const T* bp = panel + p * ps;
    for (std::size_t r = 0; r < kMr; ++r) {
      const T ar = rows[r][kStrided ? p * sp : p];
      for (std::size_t j = 0; j < NR; ++j) acc[r][j] += ar * bp[j];
    }
  }
  // two plain loops rather than a select per element: they vectorise (small-k products,
  // such as a layer with 2 inputs, spend much of their time here)
  if (add) {
    for (std::size_t r = 0; r < mr; ++r)
      for (std::size_t j = 0; j < nc; ++j) c[r * ldc + j] += acc[r][j];
  } else {
    for (std::size_t r = 0; r < mr; ++r)
      for (std::size_t j = 0; j < nc; ++j) c[r * ldc + j] = acc[r][j];
  }
}

#ifdef __wasm_simd128__
/// The float kernel with explicit f32x4 lanes (two vectors per row of the R x 8 block). R is
/// kMr, or 2 for products with at most two rows (a 2-input layer's weight gradient, whose
/// 4-row block computed two rows only to drop them).
template <bool kStrided, std::size_t R>
void micro_kernel_f32x4(std::size_t mr, std::size_t nc, std::size_t kc, const float* a,
                        std::size_t lda, std::size_t sp, const float* panel, std::size_t ps,
                        float* c, std::size_t ldc, bool add) {
  static_assert(R == 2 || R == 4, "one finish() per row of the block, below");
  v128_t acc[R][2];
  for (auto& row : acc) row[0] = row[1] = wasm_f32x4_splat(0.0f);
  const float* rows[R];
  for (std::size_t r = 0; r < R; ++r) rows[r] = a + std::min(r, mr - 1) * lda;
  // the panel pointer walks by addition (p * ps, a multiply per step, cost 5%)
  const float* bp = panel;
  for (std::size_t p = 0; p < kc; ++p, bp += ps) {
    const v128_t b0 = wasm_v128_load(bp);
    const v128_t b1 = wasm_v128_load(bp + 4);
    for (std::size_t r = 0; r < R; ++r) {
      const v128_t ar = wasm_f32x4_splat(rows[r][kStrided ? p * sp : p]);
      acc[r][0] = wasm_f32x4_add(acc[r][0], wasm_f32x4_mul(ar, b0));
      acc[r][1] = wasm_f32x4_add(acc[r][1], wasm_f32x4_mul(ar, b1));
    }
  }
  // Row by row through a helper, each call naming its accumulators: indexing acc by a run-time
  // row kept the whole array in stack memory (spilled after the k loop, and zeroed by a
  // memset call on every entry: a tenth of the MLP's product time).
  const auto finish = [&](std::size_t r, v128_t lo, v128_t hi) {
    float* cr = c + r * ldc;
    if (nc == 8) {  // a whole block: vector loads and stores
      if (add) {
        lo = wasm_f32x4_add(wasm_v128_load(cr), lo);
        hi = wasm_f32x4_add(wasm_v128_load(cr + 4), hi);
      }
      wasm_v128_store(cr, lo);
      wasm_v128_store(cr + 4, hi);
      return;
    }
    float out[8];
    wasm_v128_store(out, lo);
    wasm_v128_store(out + 4, hi);
    for (std::size_t j = 0; j < nc; ++j) cr[j] = add ? cr[j] + out[j] : out[j];
  };
  finish(0, acc[0][0], acc[0][1]);
  if (mr > 1) finish(1, acc[1][0], acc[1][1]);
  if constexpr (R == 4) {
    if (mr > 2) finish(2, acc[2][0], acc[2][1]);
    if (mr > 3) finish(3, acc[3][0], acc[3][1]);
  }
}
#endif

/// A few columns (n <= 4: a layer with a few outputs; a single column goes to one_column()
/// unless it accumulates): the register block would spend NR / n of its work on zero padding. Each
/// c[i][j] gets the same sums in the same order as the blocked path (p in kKc blocks, each summed
/// from zero, then added); the loop nest runs p outside and i inside, so that independent rows fill
/// the vector lanes (A^T is read along its rows; A itself with stride k) instead of one dependent
/// chain.
template <class T>
void small_n(std::size_t m, std::size_t n, std::size_t k, const T* a, std::size_t si,
             std::size_t sp, const T* b, T* c, bool accumulate) {
  constexpr std::size_t kRows = 256;  // rows per pass: n x kRows sums stay in L1
  T acc[4 * kRows];
  for (std::size_t p0 = 0; p0 < k; p0 += kKc) {
    const std::size_t pe = std::min(k, p0 + kKc);
    const bool add = accumulate || p0 > 0;
    for (std::size_t i0 = 0; i0 < m; i0 += kRows) {
      const std::size_t mr = std::min(kRows, m - i0);
      std::fill(acc, acc + n * kRows, T(0));
      for (std::size_t p = p0; p < pe; ++p) {
        const T* ap = a + i0 * si + p * sp;
        for (std::size_t j = 0; j < n; ++j) {
          const T bj = b[p * n + j];
          T* accj = acc + j * kRows;
          if (si == 1)
            for (std::size_t i = 0; i < mr; ++i) accj[i] += ap[i] * bj;
          else
            for (std::size_t i = 0; i < mr; ++i) accj[i] += ap[i * si] * bj;
        }
      }
      for (std::size_t i = 0; i < mr; ++i)
        for (std::size_t j = 0; j < n; ++j) {
          T& out = c[(i0 + i) * n + j];
          out = add ? out + acc[j * kRows + i] : acc[j * kRows + i];
        }
    }
  }
}

/// sum over p in [p0, pe) of a[p * sa] b[p * sb], from zero, p ascending: one c[i][j] (or
/// one block of it) the slow way, for the thin paths' leftover rows and columns.
template <class T>
T dot_span(const T* a, std::size_t sa, const T* b, std::size_t sb, std::size_t p0, std::size_t pe) {
  T acc = 0;
  for (std::size_t p = p0; p < pe; ++p) acc += a[p * sa] * b[p * sb];
  return acc;
}

/// Columns [j0, j0 + W) of row i of small_k's product, the W sums in registers.
template <std::size_t W, class T>
GRADLAB_INLINE void small_k_pass(std::size_t k, const T* ai, std::size_t sp, const T* __restrict b,
                                 std::size_t n, std::size_t j0, T* __restrict ci) {
  T acc[W] = {};
  for (std::size_t p = 0; p < k; ++p) {
    const T ap = ai[p * sp];
    const T* __restrict bp = b + p * n + j0;
    for (std::size_t j = 0; j < W; ++j) acc[j] += ap * bp[j];
  }
  for (std::size_t j = 0; j < W; ++j) ci[j0 + j] = acc[j];
}

/// Few terms per sum (k <= kSmallK: a layer with one or two inputs, and g @ w in the backward
/// of a layer with one output): the register block would spend its time packing B and
/// setting up around k multiply-adds. Row by row instead, B read in place, each pass of four
/// vectors' worth of columns (then two) summing in registers; k = 1 (an outer product) is one
/// plain loop per row. Each c[i][j] is the same sum in the same order as on the blocked path
/// (from zero, p ascending; a single block, as k < kKc). 1000 x 16 outputs, 300 products in
/// WebAssembly: k = 1 2.46 -> 1.15 ms, k = 2 2.70 -> 1.33 ms; 1000 x 64 with k = 4 12.7 -> 5.5.
template <class T>
void small_k(std::size_t m, std::size_t n, std::size_t k, const T* a, std::size_t si,
             std::size_t sp, const T* __restrict b, T* __restrict c) {
  constexpr std::size_t W = 64 / sizeof(T);  // four vectors: 16 floats, then 8
  for (std::size_t i = 0; i < m; ++i) {
    T* __restrict ci = c + i * n;
    const T* ai = a + i * si;
    std::size_t j0 = 0;
    if (k == 1) {
      for (; j0 < n; ++j0) ci[j0] = T(0) + ai[0] * b[j0];
      continue;
    }
    for (; j0 + W <= n; j0 += W) small_k_pass<W>(k, ai, sp, b, n, j0, ci);
    if (j0 + W / 2 <= n) {
      small_k_pass<W / 2>(k, ai, sp, b, n, j0, ci);
      j0 += W / 2;
    }
    for (; j0 < n; ++j0) ci[j0] = dot_span(ai, sp, b + j0, n, 0, k);
  }
}

/// One output column (n = 1: a one-output layer's forward, h @ w^T, and its weight gradient,
/// h^T @ g). Each c[i] = sum over p of A(i, p) b[p], from zero with p ascending, in kKc
/// blocks added in turn, as on the other paths. The rows' sums are independent, so they go
/// in vector lanes: contiguous when A is stored transposed (16 floats or 8 doubles at once,
/// in registers), and for a row-major float A four rows at a time, each 4 x 4 tile turned in
/// registers so that one vector holds one p of the four rows. A run-time index into the
/// sums (a first version's tail rows) would keep them in memory, so tails go row by row.
template <class T>
void one_column(std::size_t m, std::size_t k, const T* a, bool a_transposed, const T* __restrict b,
                T* __restrict c) {
  std::size_t i0 = 0;
  if (a_transposed) {  // A(i, p) = a[p * m + i]
    constexpr std::size_t W = 64 / sizeof(T);
    for (; i0 + W <= m; i0 += W) {
      T out[W] = {};
      for (std::size_t p0 = 0; p0 < k; p0 += kKc) {
        const std::size_t pe = std::min(k, p0 + kKc);
        T acc[W] = {};
        for (std::size_t p = p0; p < pe; ++p)
          for (std::size_t j = 0; j < W; ++j) acc[j] += a[p * m + i0 + j] * b[p];
        for (std::size_t j = 0; j < W; ++j) out[j] = p0 == 0 ? acc[j] : out[j] + acc[j];
      }
      for (std::size_t j = 0; j < W; ++j) c[i0 + j] = out[j];
    }
  }
#ifdef __wasm_simd128__
  if constexpr (std::is_same_v<T, float>) {
    if (!a_transposed) {
      for (; i0 + 4 <= m; i0 += 4) {
        const float *r0 = a + i0 * k, *r1 = r0 + k, *r2 = r1 + k, *r3 = r2 + k;
        v128_t out = wasm_f32x4_splat(0.0f);
        for (std::size_t p0 = 0; p0 < k; p0 += kKc) {
          const std::size_t pe = std::min(k, p0 + kKc);
          v128_t acc = wasm_f32x4_splat(0.0f);
          const auto term = [&](v128_t column, std::size_t p) {
            acc = wasm_f32x4_add(acc, wasm_f32x4_mul(column, wasm_f32x4_splat(b[p])));
          };
          std::size_t p = p0;
          for (; p + 4 <= pe; p += 4) {
            const v128_t x0 = wasm_v128_load(r0 + p), x1 = wasm_v128_load(r1 + p);
            const v128_t x2 = wasm_v128_load(r2 + p), x3 = wasm_v128_load(r3 + p);
            const v128_t lo01 = wasm_i32x4_shuffle(x0, x1, 0, 4, 1, 5);
            const v128_t lo23 = wasm_i32x4_shuffle(x2, x3, 0, 4, 1, 5);
            const v128_t hi01 = wasm_i32x4_shuffle(x0, x1, 2, 6, 3, 7);
            const v128_t hi23 = wasm_i32x4_shuffle(x2, x3, 2, 6, 3, 7);
            term(wasm_i32x4_shuffle(lo01, lo23, 0, 1, 4, 5), p);
            term(wasm_i32x4_shuffle(lo01, lo23, 2, 3, 6, 7), p + 1);
            term(wasm_i32x4_shuffle(hi01, hi23, 0, 1, 4, 5), p + 2);
            term(wasm_i32x4_shuffle(hi01, hi23, 2, 3, 6, 7), p + 3);
          }
          for (; p < pe; ++p) term(wasm_f32x4_make(r0[p], r1[p], r2[p], r3[p]), p);
          out = p0 == 0 ? acc : wasm_f32x4_add(out, acc);
        }
        wasm_v128_store(c + i0, out);
      }
    }
  }
#endif
  const std::size_t si = a_transposed ? 1 : k, sp = a_transposed ? m : 1;
  for (; i0 < m; ++i0) {
    T out = 0;
    for (std::size_t p0 = 0; p0 < k; p0 += kKc) {
      const T acc = dot_span(a + i0 * si, sp, b, 1, p0, std::min(k, p0 + kKc));
      out = p0 == 0 ? acc : out + acc;
    }
    c[i0] = out;
  }
}

template <class T, bool kStrided>
void block(std::size_t mr, std::size_t nc, std::size_t kc, const T* a, std::size_t lda,
           std::size_t sp, const T* panel, std::size_t ps, T* c, std::size_t ldc, bool add) {
#ifdef __wasm_simd128__
  if constexpr (std::is_same_v<T, float>) {
    if (mr <= 2)
      micro_kernel_f32x4<kStrided, 2>(mr, nc, kc, a, lda, sp, panel, ps, c, ldc, add);
    else
      micro_kernel_f32x4<kStrided, kMr>(mr, nc, kc, a, lda, sp, panel, ps, c, ldc, add);
    return;
  }
#endif
  micro_kernel<T, kStrided>(mr, nc, kc, a, lda, sp, panel, ps, c, ldc, add);
}
}  // namespace

template <class T>
void gemm(std::size_t m, std::size_t n, std::size_t k, const T* a, const T* b, T* c,
          bool accumulate, bool a_transposed) {
  // element (i, p) of A: a[i * k + p], or a[p * m + i] when stored transposed
  const std::size_t si = a_transposed ? 1 : k, sp = a_transposed ? m : 1;
  constexpr std::size_t NR = nr<T>();
  if (m == 0 || n == 0) return;
  if (k == 0) {
    if (!accumulate) std::fill(c, c + m * n, T(0));
    return;
  }
  if (n == 1 && !accumulate) {
    one_column(m, k, a, a_transposed, b, c);
    return;
  }
  if (n <= 4 && NR > n) {
    small_n(m, n, k, a, si, sp, b, c, accumulate);
    return;
  }
  if (k <= kSmallK && !accumulate) {
    small_k(m, n, k, a, si, sp, b, c);
    return;
  }
  std::vector<T>& panel = pack_buffer<T>();
  if (panel.size() < kKc * NR) panel.resize(kKc * NR);
  for (std::size_t p0 = 0; p0 < k; p0 += kKc) {
    const std::size_t kc = std::min(kKc, k - p0);
    const bool add = accumulate || p0 > 0;
    for (std::size_t j0 = 0; j0 < n; j0 += NR) {
      const std::size_t nc = std::min(NR, n - j0);
      // A whole panel of narrow B (rows of at most 64 bytes: kc rows span at most 16 KB, and
      // stay in L1) is read in place. Packing it cost as much as the products themselves
      // when k is long and m short (a weight gradient, 16 x 1000 @ 1000 x 16).
      const bool in_place = nc == NR && n * sizeof(T) <= 64;
      const T* bpanel = b + p0 * n + j0;
      std::size_t ps = n;
      if (!in_place) {
        // pack B[p0 .. p0+kc) x [j0 .. j0+nc) contiguously, zero-padded to NR columns
        for (std::size_t p = 0; p < kc; ++p) {
          const T* src = b + (p0 + p) * n + j0;
          T* dst = panel.data() + p * NR;
          for (std::size_t j = 0; j < nc; ++j) dst[j] = src[j];
          for (std::size_t j = nc; j < NR; ++j) dst[j] = T(0);
        }
        bpanel = panel.data();
        ps = NR;
      }
      for (std::size_t i0 = 0; i0 < m; i0 += kMr) {
        const T* ablock = a + i0 * si + p0 * sp;
        if (a_transposed)
          block<T, true>(std::min(kMr, m - i0), nc, kc, ablock, si, sp, bpanel, ps, c + i0 * n + j0,
                         n, add);
        else
          block<T, false>(std::min(kMr, m - i0), nc, kc, ablock, si, sp, bpanel, ps,
                          c + i0 * n + j0, n, add);
      }
    }
  }
}

template <class T>
void transpose_into(std::size_t rows, std::size_t cols, const T* src, T* dst) {
  constexpr std::size_t kB = 32;
  for (std::size_t i0 = 0; i0 < rows; i0 += kB)
    for (std::size_t j0 = 0; j0 < cols; j0 += kB)
      for (std::size_t i = i0; i < std::min(rows, i0 + kB); ++i)
        for (std::size_t j = j0; j < std::min(cols, j0 + kB); ++j)
          dst[j * rows + i] = src[i * cols + j];
}

template void gemm<float>(std::size_t, std::size_t, std::size_t, const float*, const float*, float*,
                          bool, bool);
template void gemm<double>(std::size_t, std::size_t, std::size_t, const double*, const double*,
                           double*, bool, bool);
template void transpose_into<float>(std::size_t, std::size_t, const float*, float*);
template void transpose_into<double>(std::size_t, std::size_t, const double*, double*);

}  // namespace gradlab::kernels
