#include "util/portable_math.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "gradlab/ops.hpp"

using namespace gradlab;

TEST_CASE("portable exp/log/log1p agree with libm to the last bits", "[portable]") {
  // |portable - libm| within 2 ulp-ish (4e-16 relative) over a wide, irregular sweep: the
  // float kernels' double values before rounding, and the double log the seeded randn uses
  for (double x = -103.0; x < 88.0; x += 0.07301) {
    const float xf = static_cast<float>(x);
    const double want = std::exp(static_cast<double>(xf));
    CHECK(std::fabs(portable::exp_of_float(xf) - want) <= 4e-16 * want);
  }
  for (double x = 1e-300; x < 1e300; x *= 3.7) {
    const double want = std::log(x);
    CHECK(std::fabs(portable::log(x) - want) <= 4e-16 * std::fabs(want) + 1e-300);
  }
  for (double x = -0.999; x < 10.0; x += 0.0137) {
    const float xf = static_cast<float>(x);
    const double want = std::log1p(static_cast<double>(xf));
    CHECK(std::fabs(portable::log1p_of_float(xf) - want) <= 1e-15 * std::fabs(want) + 1e-300);
  }
  CHECK(std::isinf(portable::exp_of(1000.0f)));
  CHECK(portable::exp_of(-1000.0f) == 0.0f);
  CHECK(std::isnan(portable::exp_of(NAN)));
  CHECK(std::isnan(portable::log(-1.0)));
  CHECK(portable::log(0.0) == -INFINITY);
  CHECK(portable::log1p_of_float(1e-10f) ==
        Approx(std::log1p(static_cast<double>(1e-10f))).epsilon(1e-15));
}

TEST_CASE("float32 results from the portable functions are correctly rounded", "[portable]") {
  int differ = 0;
  for (float x = -80.0f; x < 80.0f; x += 0.01237f) {
    if (portable::exp_of(x) != static_cast<float>(std::exp(static_cast<double>(x)))) ++differ;
  }
  CHECK(differ == 0);
}

TEST_CASE("the float32 tanh is within 0.887 ulp, odd, and exact at the ends", "[portable]") {
  // Against tanh in double (1e-16 relative: a fine ruler for float ulps). The bound is the
  // worst case of an exhaustive run over every float (tests/exhaustive/float_math.cpp);
  // PyTorch's own float kernel (SLEEF) promises 1 ulp.
  std::vector<double> xs;
  for (double x = -10.0; x < 10.0; x += 0.000913) xs.push_back(static_cast<float>(x));
  for (double x = 0x1p-12; x < 9.1; x *= 1.0001) xs.push_back(static_cast<float>(x));
  xs.push_back(static_cast<float>(0x1.c6bf6ep-1));  // the exhaustive run's worst case
  const Tensor t = gradlab::tanh(Tensor::from_values(xs, {xs.size()}));
  double worst = 0;
  std::size_t rounded = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double exact = std::tanh(xs[i]);
    const float near = static_cast<float>(exact);
    const double ulp = std::nextafter(std::fabs(near), 2.0f) - std::fabs(near);
    worst = std::max(worst, std::fabs(static_cast<double>(t.at(i)) - exact) / ulp);
    rounded += static_cast<float>(t.at(i)) == near;
    CHECK(std::signbit(t.at(i)) == std::signbit(xs[i]));
  }
  CHECK(worst < 0.8873);
  CHECK(static_cast<double>(rounded) / static_cast<double>(xs.size()) > 0.98);
  // odd, bit for bit; tiny x (denormals too) returns x; +-0 keep their sign; +-1 from 9.0109
  for (float x : {0.1f, 0.5624f, 0.5625f, 0.9f, 3.0f, 9.0f, 1e-30f, 1e-40f, 0.0f}) {
    const Tensor pm = gradlab::tanh(Tensor::from_values({x, -x}, {2}));
    CHECK(static_cast<float>(pm.at(0)) == -static_cast<float>(pm.at(1)));
    CHECK(std::signbit(pm.at(1)) != std::signbit(pm.at(0)));
  }
  const Tensor tiny = gradlab::tanh(Tensor::from_values({1e-40, 1e-10, 9.0109, 9.1, 20.0}, {5}));
  CHECK(static_cast<float>(tiny.at(0)) == static_cast<float>(1e-40));
  CHECK(static_cast<float>(tiny.at(1)) == static_cast<float>(1e-10));
  CHECK(tiny.at(2) < 1.0);
  CHECK(tiny.at(3) == 1.0);
  CHECK(tiny.at(4) == 1.0);
  const Tensor n = gradlab::tanh(Tensor::from_values({NAN, INFINITY, -INFINITY}, {3}));
  CHECK(std::isnan(n.at(0)));
  CHECK(n.at(1) == 1.0);
  CHECK(n.at(2) == -1.0);
}

TEST_CASE("the tanh op's float32 loop gives tanh_f32's bits for every kind of vector",
          "[portable]") {
  // Under WebAssembly SIMD the op runs its own vector loop (util/tanh_loop.cpp), which
  // computes one of tanh_f32's two forms when all four lanes need the same one. Every 2053rd
  // bit pattern (both signs, denormals, inf, NaNs) in order, so that most vectors are uniform,
  // and then the same values scattered, so that most vectors mix both forms; and lengths that
  // end inside a vector and inside an unrolled pair.
  std::vector<std::uint32_t> bits;
  for (std::uint64_t u = 0; u <= 0xffffffffu; u += 2053)
    bits.push_back(static_cast<std::uint32_t>(u));
  for (std::uint32_t u : {0x3f0fffffu, 0x3f100000u, 0x41110000u, 0x7f800000u, 0x7fc00001u})
    for (std::uint32_t s : {0u, 0x80000000u}) bits.push_back(u | s);
  const std::size_t n = bits.size();
  for (std::size_t i = 0; i < n; ++i) bits.push_back(bits[(i * 7919) % n]);
  for (std::size_t len : {bits.size(), std::size_t{13}, std::size_t{7}, std::size_t{3}}) {
    xt::xarray<float> x = xt::xarray<float>::from_shape({len});
    for (std::size_t i = 0; i < len; ++i)
      x.data()[i] = portable::f32_from_bits(bits[bits.size() - len + i]);
    const Tensor t = gradlab::tanh(Tensor(x));
    const float* got = t.data<float>().data();
    std::size_t differ = 0;
    for (std::size_t i = 0; i < len; ++i)
      differ += portable::f32_bits(got[i]) != portable::f32_bits(portable::tanh_f32(x.data()[i]));
    CHECK(differ == 0);
  }
}
