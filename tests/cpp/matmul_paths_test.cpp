// The matrix-product kernel (ops/gemm.cpp) takes one of several paths by shape: one output
// column, few terms per sum (k <= 4), few columns (n <= 4), and the blocked register kernel
// (4-row and 2-row blocks, B packed or read in place when its rows are narrow), with A read
// in place or transposed (the backward's a^T @ g). Every path must give, bit for
// bit, the same sums in the same order: from zero, p ascending, in blocks of 256 terms whose
// sums are added in turn. So a shape never changes a result's last bits, and neither does
// the build (native or WebAssembly).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "gradlab/ops.hpp"

using namespace gradlab;

namespace {

std::vector<double> values(std::size_t n, int salt) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = std::sin(0.61 * double(i + 1) + salt) * 2 + 0.1;
  return v;
}

/// x (rows x depth) @ y (depth x cols), row-major, summed in T in the kernel's order.
template <class T>
std::vector<T> ordered_product(const std::vector<T>& x, const std::vector<T>& y, std::size_t rows,
                               std::size_t depth, std::size_t cols) {
  std::vector<T> c(rows * cols);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) {
      T total = 0;
      for (std::size_t p0 = 0; p0 < depth; p0 += 256) {
        T acc = 0;
        for (std::size_t p = p0; p < depth && p < p0 + 256; ++p)
          acc = acc + x[i * depth + p] * y[p * cols + j];
        total = p0 == 0 ? acc : total + acc;
      }
      c[i * cols + j] = total;
    }
  return c;
}

template <class T>
std::vector<T> transposed(const std::vector<T>& x, std::size_t rows, std::size_t cols) {
  std::vector<T> t(x.size());
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) t[j * rows + i] = x[i * cols + j];
  return t;
}

template <class T>
std::vector<T> as(const std::vector<double>& v) {
  return std::vector<T>(v.begin(), v.end());
}

template <class T>
std::size_t differing_bits(const Tensor& got, const std::vector<T>& want) {
  const T* g = got.data<T>().data();
  std::size_t differ = 0;
  for (std::size_t i = 0; i < want.size(); ++i)
    differ += std::memcmp(&g[i], &want[i], sizeof(T)) != 0;
  return differ;
}

template <class T>
void check_shape(std::size_t m, std::size_t k, std::size_t n) {
  const dtype d = std::is_same_v<T, float> ? dtype::float32 : dtype::float64;
  const std::vector<double> va = values(m * k, 1), vb = values(k * n, 2), vg = values(m * n, 3);
  Tensor a = Tensor::from_values(va, {m, k}, d).requires_grad_();
  Tensor b = Tensor::from_values(vb, {k, n}, d).requires_grad_();
  const Tensor g = Tensor::from_values(vg, {m, n}, d);
  const Tensor c = mm(a, b);
  // (c * g).sum() hands mm's backward exactly g: its grads are g @ b^T and a^T @ g
  (c * g).sum().backward();
  const std::vector<T> A = as<T>(va), B = as<T>(vb), G = as<T>(vg);
  INFO(m << "x" << k << " @ " << k << "x" << n
         << (std::is_same_v<T, float> ? " float32" : " float64"));
  CHECK(differing_bits(c, ordered_product(A, B, m, k, n)) == 0);
  CHECK(differing_bits(a.grad(), ordered_product(G, transposed(B, k, n), m, n, k)) == 0);
  CHECK(differing_bits(b.grad(), ordered_product(transposed(A, m, k), G, k, m, n)) == 0);
}

}  // namespace

TEST_CASE("every matmul kernel path sums in the same order, bit for bit", "[ops][matmul]") {
  struct dims {
    std::size_t m, k, n;
  };
  // one column (groups of rows with a tail, k past one block, k not a multiple of 4, A stored
  // either way); k = 1, 2, 3, 4 with column tails (passes of 16 and 8 columns, and single
  // ones); a few columns; the register block with two k blocks and ragged edges, a packed and
  // an in-place panel side by side (n = 9), the MLP's 16-wide layers, and n = 8 (in place in
  // both dtypes) over two k blocks. The backward products add transposed and swapped
  // variants of each (e.g. 2 x 1000 @ 1000 x 16).
  for (const dims& s : {dims{1000, 16, 1}, dims{13, 300, 1}, dims{50, 1, 16}, dims{50, 2, 16},
                        dims{37, 3, 21}, dims{20, 4, 64}, dims{1000, 2, 16}, dims{30, 20, 3},
                        dims{17, 300, 33}, dims{6, 5, 9}, dims{1000, 16, 16}, dims{16, 1000, 16},
                        dims{7, 300, 8}, dims{10, 263, 1}, dims{40, 3, 8}, dims{40, 4, 29}}) {
    check_shape<float>(s.m, s.k, s.n);
    check_shape<double>(s.m, s.k, s.n);
  }
}
