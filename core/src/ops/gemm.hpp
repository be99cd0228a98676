#pragma once
// The matrix-product kernel behind mm / mv / addmm and their backwards: row-major,
// contiguous operands, cache-blocked, with an inner loop the compiler can vectorise.
#include <cstddef>

namespace gradlab::kernels {

/// C (m x n) = A (m x k) @ B (k x n), or C += A @ B when accumulate is true. Row-major,
/// contiguous; C must not alias A or B. With a_transposed, `a` holds A^T (k x m) and is read
/// in place (the backward's a^T @ g without a transposed copy); the sums are the same.
template <class T>
void gemm(std::size_t m, std::size_t n, std::size_t k, const T* a, const T* b, T* c,
          bool accumulate = false, bool a_transposed = false);

/// dst (cols x rows) = transpose of src (rows x cols), blocked for the cache.
template <class T>
void transpose_into(std::size_t rows, std::size_t cols, const T* src, T* dst);

}  // namespace gradlab::kernels
