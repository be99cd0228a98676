// gradlab::random without PyTorch: the engine against the C++ standard's mt19937, the state
// bytes, how many draws each path takes, the 2.x-only steps, nn.init's rules and errors, and
// (natively, where the C library is glibc) the reproduced log1p, sin and cos against glibc's.
// Values against PyTorch itself: tests/node/random_torch.test.mjs.
#include "gradlab/random.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>
#include <set>

#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "random/box_muller.hpp"
#include "random/glibc_math.hpp"

using namespace gradlab;
using random::generator;

namespace {

std::uint64_t bits64(double d) {
  std::uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return u;
}

/// A generator advanced by n 32-bit draws from seed s: the reference for counting draws.
generator after(std::uint64_t s, int n) {
  generator g(s);
  for (int i = 0; i < n; ++i) g.random();
  return g;
}

bool same_state(const generator& a, const generator& b) { return a.get_state() == b.get_state(); }

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const gradlab::error& e) {
    return e.type() + ": " + e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("the engine is the standard mt19937 seeded from the seed's low 32 bits", "[random]") {
  for (std::uint64_t seed : {0ull, 1ull, 42ull, 5489ull, 4294967301ull, 9223372036854775807ull,
                             18446744073709551615ull}) {
    generator g(seed);
    std::mt19937 ref(static_cast<std::uint32_t>(seed));
    for (int i = 0; i < 2000; ++i) REQUIRE(g.random() == ref());
    CHECK(g.initial_seed() == seed);
  }
  // the C++ standard's own check of mt19937: the 10000th output for the default seed
  generator g(5489);
  std::uint32_t v = 0;
  for (int i = 0; i < 10000; ++i) v = g.random();
  CHECK(v == 4123659995u);
}

TEST_CASE("random64 joins two draws, the first in the high half", "[random]") {
  generator a(7), b(7);
  const std::uint64_t hi = b.random(), lo = b.random();
  CHECK(a.random64() == ((hi << 32) | lo));
}

TEST_CASE("manual_seed restarts the stream and drops the cached normal", "[random]") {
  generator g(3);
  float one[1];
  random::normal_fill(one, 1, 0.0, 1.0, g);
  CHECK(g.next_double_normal().has_value());
  g.manual_seed(3);
  CHECK_FALSE(g.next_double_normal().has_value());
  CHECK(same_state(g, generator(3)));
  CHECK(generator().initial_seed() == generator::default_seed);
  const std::uint64_t s = g.seed();
  CHECK(g.initial_seed() == s);
  CHECK(&random::default_generator() == &random::default_generator());
}

TEST_CASE("get_state and set_state round-trip the engine and the cached normal", "[random]") {
  generator g(11);
  double x[3];
  random::normal_fill(x, 3, 0.0, 1.0, g);  // two pairs: one value left in the cache
  REQUIRE(g.next_double_normal().has_value());
  const auto bytes = g.get_state();
  REQUIRE(bytes.size() == generator::state_size);
  std::uint64_t seed;
  std::memcpy(&seed, bytes.data(), 8);
  CHECK(seed == 11);

  generator h(99);
  h.set_state(bytes);
  CHECK(h.get_state() == bytes);
  CHECK(h.initial_seed() == 11);
  double a[5], b[5];
  random::normal_fill(a, 5, 0.0, 1.0, g);
  random::normal_fill(b, 5, 0.0, 1.0, h);
  for (int i = 0; i < 5; ++i) CHECK(bits64(a[i]) == bits64(b[i]));

  // errors leave the generator as it was
  const auto before = h.get_state();
  CHECK(message_of([&] { h.set_state(std::vector<std::uint8_t>(100)); }) ==
        "RuntimeError: Expected a CPUGeneratorImplState of size 5056 but found the input RNG "
        "state size to be 100");
  auto bad = bytes;
  std::memset(bad.data() + 8, 0, 4);  // left = 0
  CHECK(message_of([&] { h.set_state(bad); }) == "RuntimeError: Invalid mt19937 state");
  CHECK(h.get_state() == before);
}

TEST_CASE("how many draws each path takes", "[random]") {
  float f[40];
  double d[40];
  SECTION("uniform_: one 32-bit draw per float32, one 64-bit draw per float64") {
    generator g(1);
    random::uniform_fill(f, 5, 0.0, 1.0, g);
    CHECK(same_state(g, after(1, 5)));
    random::uniform_fill(d, 5, 0.0, 1.0, g);
    CHECK(same_state(g, after(1, 15)));
  }
  SECTION("normal_ below 16 values: a pair of 64-bit draws per two values") {
    generator g(2);
    random::normal_fill(f, 3, 0.0, 1.0, g);  // 2 pairs, the 4th value cached
    generator ref = after(2, 8);
    CHECK(g.next_double_normal().has_value());
    g.next_double_normal().reset();
    CHECK(same_state(g, ref));
  }
  SECTION("normal_ from 16 values: one uniform each, and 16 more for a tail") {
    generator g(4);
    random::normal_fill(f, 16, 0.0, 1.0, g);
    CHECK(same_state(g, after(4, 16)));
    random::normal_fill(f, 17, 0.0, 1.0, g);
    CHECK(same_state(g, after(4, 16 + 17 + 16)));
    random::normal_fill(d, 33, 0.0, 1.0, g);
    CHECK(same_state(g, after(4, 16 + 33 + 2 * (33 + 16))));
  }
  SECTION("randint: 32-bit draws below a range of 2^32, 64-bit from there") {
    generator g(5);
    random::randint(0, 4294967295ll, 3, g);
    CHECK(same_state(g, after(5, 3)));
    random::randint(0, 4294967296ll, 3, g);
    CHECK(same_state(g, after(5, 9)));
  }
  SECTION("randperm: n - 1 draws") {
    generator g(6);
    random::randperm(1, g);
    random::randperm(0, g);
    CHECK(same_state(g, after(6, 0)));
    random::randperm(10, g);
    CHECK(same_state(g, after(6, 9)));
  }
}

TEST_CASE("2.x maps a uniform draw that rounds up to `to` back to `from`; 1.13 keeps it",
          "[random]") {
  const float to = 1.0f + 0x1p-23f;  // one ulp above from = 1: about half the draws round up
  float v[64];
  generator g(8);
  random::uniform_fill(v, 64, 1.0, to, g);
  for (float x : v) CHECK(x == 1.0f);
  g.manual_seed(8);
  g.set_version(random::formulas::pytorch_1_13);
  random::uniform_fill(v, 64, 1.0, to, g);
  int at_to = 0;
  for (float x : v) at_to += x == to;
  CHECK(at_to > 10);
}

TEST_CASE("randperm is a permutation, randint stays in range, bernoulli is 0 or 1", "[random]") {
  generator g(9);
  const auto p = random::randperm(1000, g);
  CHECK(std::set<std::int64_t>(p.begin(), p.end()).size() == 1000);
  CHECK(*std::min_element(p.begin(), p.end()) == 0);
  CHECK(*std::max_element(p.begin(), p.end()) == 999);
  for (auto v : random::randint(-3, 4, 500, g)) CHECK((v >= -3 && v < 4));
  for (auto v : random::randint(INT64_MIN, INT64_MAX, 50, g)) CHECK(v < INT64_MAX);
  float b[50];
  random::bernoulli_fill(b, 50, 0.0, g);
  for (float x : b) CHECK(x == 0.0f);
  random::bernoulli_fill(b, 50, 1.0, g);
  for (float x : b) CHECK(x == 1.0f);
}

TEST_CASE("PyTorch's errors, raised before anything is drawn", "[random]") {
  generator g(10);
  const auto before = g.get_state();
  float f[4];
  CHECK(message_of([&] { random::uniform_fill(f, 4, 2.0, 1.0, g); }) ==
        "RuntimeError: uniform_ expects to return a [from, to) range, but found from=2 > to=1");
  CHECK(message_of([&] { random::normal_fill(f, 4, 0.0, -0.5, g); }) ==
        "RuntimeError: normal expects std >= 0.0, but found std -0.5");
  CHECK(message_of([&] { random::randint(3, 3, 4, g); }) ==
        "RuntimeError: random_ expects 'from' to be less than 'to', but got from=3 >= to=3");
  CHECK(message_of([&] { random::bernoulli_fill(f, 4, -0.1, g); }) ==
        "RuntimeError: bernoulli_ expects p to be in [0, 1], but got p=-0.1");
  CHECK(message_of([&] { random::randperm(16777218, dtype::float32, g); }) ==
        "RuntimeError: n cannot be greater than 2^24+1 for Float type.");
  CHECK(g.get_state() == before);
}

TEST_CASE("tensor draws: shapes, dtypes and PyTorch's in-place rules", "[random]") {
  generator g(12);
  Tensor r = random::rand({2, 3}, dtype::float64, g);
  CHECK(r.shape() == shape_t{2, 3});
  CHECK(r.dtype() == dtype::float64);
  // randn(2, 8) draws what randn(16) draws
  generator a(13), b(13);
  Tensor x = random::randn({2, 8}, dtype::float32, a), y = random::randn({16}, dtype::float32, b);
  CHECK(x.to_vector() == y.to_vector());

  Tensor w = Tensor::zeros({3}, dtype::float32);
  w.requires_grad_(true);
  CHECK(message_of([&] { random::uniform_(w, 0, 1, g); }) ==
        "RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.");
  const auto v = w.version();
  nn::init::uniform_(w, -1, 1, g);  // under no_grad, as torch.nn.init
  CHECK(w.version() == v + 1);
  CHECK(w.requires_grad());
}

TEST_CASE("nn.init: gains, fans and errors as torch.nn.init", "[random]") {
  using namespace nn::init;
  CHECK(calculate_gain("relu") == std::sqrt(2.0));
  CHECK(calculate_gain("tanh") == 5.0 / 3);
  CHECK(calculate_gain("conv2d") == 1.0);
  CHECK(calculate_gain("selu") == 0.75);
  CHECK(calculate_gain("leaky_relu") == std::sqrt(2.0 / (1 + 0.01 * 0.01)));
  CHECK(calculate_gain("leaky_relu", 0.2, true) == std::sqrt(2.0 / (1 + 0.2 * 0.2)));
  CHECK(calculate_fan_in_and_fan_out({3, 5}) == std::make_pair<std::size_t, std::size_t>(5, 3));
  CHECK(calculate_fan_in_and_fan_out({4, 3, 2, 2}) ==
        std::make_pair<std::size_t, std::size_t>(12, 16));
  CHECK(message_of([] { calculate_gain("softplus"); }) ==
        "ValueError: Unsupported nonlinearity softplus");
  Tensor t = Tensor::zeros({3}, dtype::float32);
  CHECK(message_of([&] { kaiming_uniform_(t); }) ==
        "ValueError: Fan in and fan out can not be computed for tensor with fewer than 2 "
        "dimensions");
  Tensor m = Tensor::zeros({3, 4}, dtype::float32);
  CHECK(message_of([&] { kaiming_normal_(m, 0, "Fan_Middle"); }) ==
        "ValueError: Mode fan_middle not supported, please use one of ['fan_in', 'fan_out']");
  kaiming_uniform_(m, 0, "FAN_OUT", "relu");  // the mode in any case
  // a zero-element tensor draws nothing
  generator g(14);
  Tensor empty = Tensor::zeros({0, 5}, dtype::float32);
  kaiming_uniform_(empty, 0, "fan_in", "relu", g);
  CHECK(same_state(g, generator(14)));
}

TEST_CASE("nn.Linear's parameters: shapes, order of draws, requires_grad", "[random]") {
  using nn::init::linear;
  generator a(15), b(15);
  const auto p = linear(4, 3, true, dtype::float32, a);
  CHECK(p.weight.shape() == shape_t{3, 4});
  CHECK(p.bias.shape() == shape_t{3});
  CHECK(p.weight.requires_grad());
  CHECK(p.bias.requires_grad());
  // weight first (kaiming_uniform_ with a = sqrt 5, i.e. bound 1/sqrt(fan_in)), then bias
  Tensor w = Tensor::zeros({3, 4}, dtype::float32), bias = Tensor::zeros({3}, dtype::float32);
  nn::init::uniform_(w, -0.5, 0.5, b);
  nn::init::uniform_(bias, -0.5, 0.5, b);
  CHECK(p.weight.to_vector() == w.to_vector());
  CHECK(p.bias.to_vector() == bias.to_vector());
  const auto q = linear(2, 2, false, dtype::float64, a);
  CHECK_FALSE(q.bias.defined());
  const auto z = linear(0, 3, true, dtype::float32, a);  // fan_in 0: bias U(0, 0) is +0
  for (double v : z.bias.to_vector()) CHECK(bits64(v) == 0);
}

#if defined(__GLIBC__) && defined(__x86_64__) && !defined(__EMSCRIPTEN__)
// Natively, where the C library is glibc with its FMA builds (every x86-64 CPU with FMA), the
// reproduced functions must equal it on the inputs the draws use and beyond.
TEST_CASE("glibc's log1p, sin and cos, reproduced to the bit", "[random][glibc]") {
  __builtin_cpu_init();
  REQUIRE(__builtin_cpu_supports("fma"));
  using namespace random::detail;
  std::mt19937_64 bits(2024);
  long differ = 0;
  for (int i = 0; i < (1 << 20); ++i) {
    const double u = static_cast<double>(bits() >> 11) * 0x1p-53;
    const double wide = std::ldexp(1.0 + u, static_cast<int>(bits() % 60) - 40);
    for (double x : {-u, u, -wide, wide}) differ += bits64(glibc_log1p(x)) != bits64(std::log1p(x));
    for (double x : {2 * M_PI * u, 100 * (u - 0.5), wide}) {
      differ += bits64(glibc_sin(x)) != bits64(std::sin(x));
      differ += bits64(glibc_cos(x)) != bits64(std::cos(x));
    }
  }
  CHECK(differ == 0);
}

TEST_CASE("one-at-a-time normals: 2.x's log1p(-u2), 1.13's log(1 - u2)", "[random][glibc]") {
  for (auto v : {random::formulas::pytorch_2, random::formulas::pytorch_1_13}) {
    generator g(16), ref(16);
    g.set_version(v);
    for (int pair = 0; pair < 200; ++pair) {
      const double u1 = random::detail::uniform01_f64(ref), u2 = random::detail::uniform01_f64(ref);
      const double r =
          std::sqrt(-2.0 * (v == random::formulas::pytorch_2 ? std::log1p(-u2) : std::log(1 - u2)));
      const double theta = 2.0 * M_PI * u1;
      double out[2];
      random::normal_fill(out, 1, 0.25, 2.0, g);
      random::normal_fill(out + 1, 1, 0.25, 2.0, g);  // the cached value
      REQUIRE(bits64(out[0]) == bits64(std::fma(r * std::cos(theta), 2.0, 0.25)));
      REQUIRE(bits64(out[1]) == bits64(std::fma(r * std::sin(theta), 2.0, 0.25)));
    }
  }
}
#endif
