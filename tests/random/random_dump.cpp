// Runs tests/random/cases.txt in gradlab and prints every step's values in the format of
// tests/random/torch_random.py, so that the two outputs can be compared byte for byte
// (tests/node/random_torch.test.mjs). Built natively and for WebAssembly.
//   random_dump CASES [--torch1.13]   the cases; --torch1.13 follows 1.13's formulas
//   random_dump --libm N              digests of log, log1p, sin and cos over N inputs
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "gradlab/error.hpp"
#include "gradlab/random.hpp"
#include "random/glibc_math.hpp"

using namespace gradlab;

namespace {

shape_t shape(const std::string& s) {
  shape_t out;
  std::stringstream in(s);
  std::string d;
  while (std::getline(in, d, 'x')) out.push_back(static_cast<std::size_t>(std::stoull(d)));
  return out;
}

dtype dt(const std::string& s) { return s == "f32" ? dtype::float32 : dtype::float64; }

std::string hex_values(const Tensor& t) {
  std::string out;
  char buf[24];
  dispatch(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const auto& a = t.data<T>();
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (std::is_same<T, float>::value) {
        std::uint32_t u;
        std::memcpy(&u, &a.data()[i], 4);
        std::snprintf(buf, sizeof buf, "%08" PRIx32, u);
      } else {
        std::uint64_t u;
        std::memcpy(&u, &a.data()[i], 8);
        std::snprintf(buf, sizeof buf, "%016" PRIx64, u);
      }
      if (!out.empty()) out += ' ';
      out += buf;
    }
  });
  return out;
}

std::string int_values(const std::vector<std::int64_t>& v) {
  std::string out;
  for (auto x : v) {
    if (!out.empty()) out += ' ';
    out += std::to_string(x);
  }
  return out;
}

/// A Python int seed: negative values wrap to 64 bits, as torch.manual_seed does.
std::uint64_t seed_of(const std::string& s) {
  if (!s.empty() && s[0] == '-') return static_cast<std::uint64_t>(std::stoll(s));
  return std::stoull(s);
}

struct runner {
  random::formulas version;
  std::vector<std::uint8_t> saved;

  std::string step(const std::vector<std::string>& w) {
    random::generator& g = random::default_generator();
    const std::string& op = w[0];
    auto num = [&](std::size_t i) { return std::strtod(w[i].c_str(), nullptr); };
    auto i64 = [&](std::size_t i) { return static_cast<std::int64_t>(std::stoll(w[i])); };
    if (op == "seed") {
      g.manual_seed(seed_of(w[1]));
      g.set_version(version);
      return "";
    }
    if (op == "initial_seed") return std::to_string(g.initial_seed());
    if (op == "state") {
      std::string out;
      char buf[3];
      for (auto b : g.get_state()) {
        std::snprintf(buf, sizeof buf, "%02x", b);
        out += buf;
      }
      return out;
    }
    if (op == "save") {
      saved = g.get_state();
      return "";
    }
    if (op == "restore") {
      g.set_state(saved);
      return "";
    }
    if (op == "rand") return hex_values(random::rand(shape(w[1]), dt(w[2])));
    if (op == "randn") return hex_values(random::randn(shape(w[1]), dt(w[2])));
    if (op == "uniform" || op == "normal") {
      Tensor t = Tensor::zeros(shape(w[1]), dt(w[2]));
      if (op == "uniform")
        random::uniform_(t, num(3), num(4));
      else
        random::normal_(t, num(3), num(4));
      return hex_values(t);
    }
    if (op == "randint") {
      const std::int64_t n = i64(3);
      if (n < 0) runtime_error("negative size");
      return int_values(random::randint(i64(1), i64(2), static_cast<std::size_t>(n)));
    }
    if (op == "randint_f")
      return hex_values(
          random::randint(i64(1), i64(2), {static_cast<std::size_t>(std::stoull(w[3]))}, dt(w[4])));
    if (op == "randperm") {
      const std::int64_t n = i64(1);
      if (n < 0)  // torch.randperm allocates first: at::empty's check
        runtime_error("Trying to create tensor with negative dimension " + w[1] + ": [" + w[1] +
                      "]");
      return int_values(random::randperm(n));
    }
    if (op == "randperm_f") return hex_values(random::randperm(i64(1), dt(w[2])));
    if (op == "bernoulli") {
      Tensor t = Tensor::zeros(shape(w[1]), dt(w[2]));
      return hex_values(random::bernoulli_(t, num(3)));
    }
    if (op == "linear") {
      const auto p = nn::init::linear(std::stoull(w[1]), std::stoull(w[2]), w.size() < 5, dt(w[3]));
      return hex_values(p.weight) + " | " + (p.bias.defined() ? hex_values(p.bias) : "none");
    }
    Tensor t = Tensor::zeros(shape(w[1]), dt(w[2]));
    if (op == "kaiming_uniform")
      nn::init::kaiming_uniform_(t, num(3), w[4], w[5]);
    else if (op == "kaiming_normal")
      nn::init::kaiming_normal_(t, num(3), w[4], w[5]);
    else if (op == "xavier_uniform")
      nn::init::xavier_uniform_(t, num(3));
    else if (op == "xavier_normal")
      nn::init::xavier_normal_(t, num(3));
    else if (op == "init_uniform")
      nn::init::uniform_(t, num(3), num(4));
    else if (op == "init_normal")
      nn::init::normal_(t, num(3), num(4));
    else if (op == "init_constant")
      nn::init::constant_(t, num(3));
    else if (op == "init_zeros")
      nn::init::zeros_(t);
    else if (op == "init_ones")
      nn::init::ones_(t);
    else
      throw std::invalid_argument("unknown step: " + op);
    return hex_values(t);
  }
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::stringstream in(s);
  while (std::getline(in, cur, sep)) {
    const auto a = cur.find_first_not_of(' '), b = cur.find_last_not_of(' ');
    if (a != std::string::npos) out.push_back(cur.substr(a, b - a + 1));
  }
  return out;
}

int run_cases(const char* path, random::formulas version) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path);
    return 2;
  }
  runner r{version, {}};
  std::string line;
  int i = 0;
  std::cout << "# gradlab\n";
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    int j = 0;
    r.saved.clear();
    for (const auto& s : split(line, ';')) {
      std::string out;
      try {
        out = r.step(split(s, ' '));
      } catch (const gradlab::error& e) {
        out = "error " + e.type() + ": " + e.what();
      }
      std::cout << i << '.' << j++ << ' ' << out << '\n';
    }
    ++i;
  }
  return 0;
}

/// FNV-1a digests of each function over n inputs of the forms the draws use, one line per
/// block of 2^16 inputs so that a difference can be located.
int run_libm(long n) {
  using namespace gradlab::random::detail;
  std::uint64_t s = 0x9e3779b97f4a7c15ull;
  const char* names[4] = {"log", "log1p", "sin", "cos"};
  std::uint64_t h[4];
  for (long block = 0; block * 65536 < n; ++block) {
    for (auto& v : h) v = 1469598103934665603ull;
    for (long i = block * 65536; i < n && i < (block + 1) * 65536; ++i) {
      s ^= s << 13;
      s ^= s >> 7;
      s ^= s << 17;
      const double u = static_cast<double>(s >> 11) * 0x1p-53;
      const double r[4] = {glibc_log(1.0 - u), glibc_log1p(-u), glibc_sin(2.0 * M_PI * u),
                           glibc_cos(2.0 * M_PI * u)};
      for (int f = 0; f < 4; ++f) {
        std::uint64_t b;
        std::memcpy(&b, &r[f], 8);
        h[f] = (h[f] ^ b) * 1099511628211ull;
      }
    }
    std::printf("%ld", block);
    for (int f = 0; f < 4; ++f) std::printf(" %s=%016" PRIx64, names[f], h[f]);
    std::printf("\n");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[1], "--libm") == 0) return run_libm(std::atol(argv[2]));
  if (argc < 2) {
    std::fprintf(stderr, "usage: random_dump CASES [--torch1.13] | --libm N\n");
    return 2;
  }
  const bool old = argc >= 3 && std::strcmp(argv[2], "--torch1.13") == 0;
  return run_cases(argv[1], old ? random::formulas::pytorch_1_13 : random::formulas::pytorch_2);
}
