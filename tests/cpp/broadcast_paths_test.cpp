// The elementwise driver (ops/kernels.cpp) takes one of several paths by shape: same shape,
// a repeated scalar, a trailing block tiled into a buffer or used row by row, and a general
// gather, each fed to the loop in 512-element chunks. Every path must give, bit for bit, what
// the op gives element by element: r[i] = a[ia] op b[ib] with NumPy's index mapping.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "gradlab/autograd.hpp"
#include "gradlab/ops.hpp"

using namespace gradlab;

namespace {

std::vector<double> values(std::size_t n, int salt) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = std::sin(0.37 * double(i + 1) + salt) * 3 + 0.25 * salt;
  return v;
}

/// out[k] from a and b by broadcasting's index rule, computed one element at a time in T.
template <class T, class Op>
std::vector<T> reference(const Tensor& a, const Tensor& b, Op op) {
  const shape_t out = broadcast_shapes(a.shape(), b.shape());
  const std::size_t n = numel(out);
  std::vector<T> r(n);
  const auto av = a.to_vector(), bv = b.to_vector();
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t rem = k, ia = 0, ib = 0, sa = 1, sb = 1;
    for (std::size_t d = out.size(); d-- > 0;) {
      const std::size_t i = rem % out[d];
      rem /= out[d];
      const std::size_t da = d + a.shape().size() - out.size();
      const std::size_t db = d + b.shape().size() - out.size();
      if (d + a.shape().size() >= out.size()) {
        if (a.shape()[da] != 1) ia += i * sa;
        sa *= a.shape()[da];
      }
      if (d + b.shape().size() >= out.size()) {
        if (b.shape()[db] != 1) ib += i * sb;
        sb *= b.shape()[db];
      }
    }
    r[k] = op(static_cast<T>(av[ia]), static_cast<T>(bv[ib]));
  }
  return r;
}

template <class T>
void check_paths(dtype dt) {
  const std::vector<std::pair<shape_t, shape_t>> cases = {
      {{1300}, {1300}},          // same shape, several chunks' worth in one call
      {{1300}, {}},              // b a scalar: tiled 512 at a time
      {{}, {1300}},              // a a scalar
      {{700, 3}, {3}},           // b repeats every 3: a 510-element tile, chunks across rows
      {{3}, {700, 3}},           // a repeats
      {{5, 1, 7}, {7}},          // trailing after a size-1 dim
      {{4, 300}, {300}},         // a long row (> half a chunk): used in place, row by row
      {{3, 600}, {1, 600}},      // longer than a chunk, with a leading 1
      {{700, 1}, {1, 3}},        // general: both broadcast
      {{2, 1, 300}, {1, 5, 1}},  // general, 3000 outputs across chunk boundaries
      {{6, 1}, {6, 4}},          // a broadcast along the last dim (not trailing)
      {{0, 3}, {3}},             // empty
  };
  for (const auto& [sa, sb] : cases) {
    const Tensor a = Tensor::from_values(values(numel(sa), 1), sa, dt);
    const Tensor b = Tensor::from_values(values(numel(sb), 2), sb, dt);
    INFO("a " << shape_str(sa) << " b " << shape_str(sb));
    const Tensor d = a - b, q = a / b;
    REQUIRE(d.shape() == broadcast_shapes(sa, sb));
    const auto rd = reference<T>(a, b, [](T x, T y) { return x - y; });
    const auto rq = reference<T>(a, b, [](T x, T y) { return x / y; });
    const auto dv = d.to_vector(), qv = q.to_vector();
    REQUIRE(dv.size() == rd.size());
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < rd.size(); ++i) {
      wrong += static_cast<T>(dv[i]) != rd[i];
      wrong += static_cast<T>(qv[i]) != rq[i];
    }
    CHECK(wrong == 0);
  }
}

}  // namespace

TEST_CASE("every broadcast path gives the element-by-element result, float32", "[tensor][shape]") {
  check_paths<float>(dtype::float32);
}

TEST_CASE("every broadcast path gives the element-by-element result, float64", "[tensor][shape]") {
  check_paths<double>(dtype::float64);
}

namespace {

/// sum_to, the backward's reduction of a broadcast gradient (a bias's), over whole rows: each
/// output must add the rows in order, from zero, whatever the row width (register passes of
/// 16 float or 8 double columns, a ragged remainder, a single column).
template <class T>
void check_row_sums(dtype dt) {
  for (std::size_t m : {1, 3, 8, 16, 21, 40}) {
    const std::size_t rows = 997;
    const std::vector<double> v = values(rows * m, 4);
    const Tensor s = sum_to(Tensor::from_values(v, {rows, m}, dt), {m});
    std::size_t wrong = 0;
    for (std::size_t j = 0; j < m; ++j) {
      T want = 0;
      for (std::size_t r = 0; r < rows; ++r) want += static_cast<T>(v[r * m + j]);
      wrong += static_cast<T>(s.at(j)) != want;
    }
    INFO("rows of " << m);
    CHECK(wrong == 0);
  }
}

}  // namespace

TEST_CASE("sum_to over rows adds them in order at every row width", "[tensor][shape]") {
  check_row_sums<float>(dtype::float32);
  check_row_sums<double>(dtype::float64);
}

namespace {

/// DivBackward0's gradient for the divisor is one pass of div_grad_b_fn over the gradient's
/// shape, its operands broadcast to it (kernels::ternary): it must be, bit for bit, PyTorch's
/// formula -g * ((a / b) / b) computed op by op, then summed to the input's shape.
template <class T>
void check_div_grad(dtype dt) {
  const std::vector<std::pair<shape_t, shape_t>> cases = {
      {{40, 3}, {40, 3}},  // same shape
      {{40, 3}, {3}},      // b broadcast along rows
      {{3}, {40, 3}},      // a broadcast
      {{7, 1}, {1, 5}},    // both
      {{6}, {}},           // b a scalar
  };
  for (const auto& [sa, sb] : cases) {
    INFO("a " << shape_str(sa) << " b " << shape_str(sb));
    const Tensor a = Tensor::from_values(values(numel(sa), 1), sa, dt, true);
    const Tensor b = Tensor::from_values(values(numel(sb), 2), sb, dt, true);
    const shape_t out = broadcast_shapes(sa, sb);
    const Tensor w = Tensor::from_values(values(numel(out), 3), out, dt);
    ((a / b) * w).sum().backward();  // the gradient reaching a / b is w
    Tensor want;
    {
      no_grad_guard ng;
      want = sum_to(mul(neg(w), div(div(a.detach(), b.detach()), b.detach())), sb);
    }
    REQUIRE(b.grad().shape() == sb);
    const auto got = b.grad().to_vector(), ref = want.to_vector();
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < ref.size(); ++i)
      wrong += static_cast<T>(got[i]) != static_cast<T>(ref[i]);
    CHECK(wrong == 0);
  }
}

}  // namespace

TEST_CASE("div's gradient for a broadcast divisor is PyTorch's formula, bit for bit",
          "[tensor][shape]") {
  check_div_grad<float>(dtype::float32);
  check_div_grad<double>(dtype::float64);
}
