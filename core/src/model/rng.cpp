// Reproducible random numbers: IEEE + - * / and sqrt are correctly rounded on every
// platform, so sequences built only from them are bit-identical in native and wasm builds.
#include "gradlab/model/rng.hpp"

#include "util/portable_math.hpp"

#include <cmath>

namespace gradlab::model {

std::uint64_t rng::next_u64() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double rng::uniform() { return static_cast<double>(next_u64() >> 11) * (1.0 / 9007199254740992.0); }

std::uint64_t rng::below(std::uint64_t n) {
  // rejection keeps the draw unbiased
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  std::uint64_t x;
  do x = next_u64();
  while (x >= limit);
  return x % n;
}

double rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f = std::sqrt(-2.0 * portable_log(s) / s);
  spare_ = v * f;
  has_spare_ = true;
  return u * f;
}

double portable_log(double x) { return portable::log(x); }

}  // namespace gradlab::model
