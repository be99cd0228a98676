#include "util/portable_math.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "gradlab/ops.hpp"

using namespace gradlab;

TEST_CASE("portable exp/log/log1p agree with libm to the last bits", "[portable]") {
  // |portable - libm| within 2 ulp-ish (4e-16 relative) over a wide, irregular sweep
  for (double x = -700.0; x < 700.0; x += 0.7301) {
    const double want = std::exp(x);
    CHECK(std::fabs(portable::exp(x) - want) <= 4e-16 * want);
  }
  for (double x = 1e-300; x < 1e300; x *= 3.7) {
    const double want = std::log(x);
    CHECK(std::fabs(portable::log(x) - want) <= 4e-16 * std::fabs(want) + 1e-300);
  }
  for (double x = -0.999; x < 10.0; x += 0.0137) {
    const double want = std::log1p(x);
    CHECK(std::fabs(portable::log1p(x) - want) <= 1e-15 * std::fabs(want) + 1e-300);
  }
  CHECK(std::isinf(portable::exp(1000.0)));
  CHECK(portable::exp(-1000.0) == 0.0);
  CHECK(std::isnan(portable::exp(NAN)));
  CHECK(std::isnan(portable::log(-1.0)));
  CHECK(portable::log(0.0) == -INFINITY);
  CHECK(portable::log1p(1e-10) == Approx(std::log1p(1e-10)).epsilon(1e-15));
}

TEST_CASE("float32 results from the portable functions are correctly rounded", "[portable]") {
  int differ = 0;
  for (float x = -80.0f; x < 80.0f; x += 0.01237f) {
    if (portable::exp_of(x) != static_cast<float>(std::exp(static_cast<double>(x)))) ++differ;
  }
  CHECK(differ == 0);
}

TEST_CASE("the float32 tanh is correctly rounded", "[portable]") {
  // tanh of float32 values in double, rounded once: the same float as libm's double tanh
  std::vector<double> xs;
  for (double x = -10.0; x < 10.0; x += 0.000913) xs.push_back(static_cast<float>(x));
  for (double x : {0.0, -0.0, 1e-5, -3e-5, 1e-4, 9.1, -9.2, 20.0}) xs.push_back(x);
  const Tensor t = gradlab::tanh(Tensor::from_values(xs, {xs.size()}));
  int differ = 0;
  for (std::size_t i = 0; i < xs.size(); ++i)
    if (t.at(i) != static_cast<float>(std::tanh(xs[i])) ||
        std::signbit(t.at(i)) != std::signbit(xs[i]))
      ++differ;
  CHECK(differ == 0);
  const Tensor n = gradlab::tanh(Tensor::from_values({NAN, INFINITY, -INFINITY}, {3}));
  CHECK(std::isnan(n.at(0)));
  CHECK(n.at(1) == 1.0);
  CHECK(n.at(2) == -1.0);
}
