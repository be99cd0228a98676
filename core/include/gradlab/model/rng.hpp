#pragma once
/// \file rng.hpp
/// gradlab's own seeded random numbers: splitmix64 for bits, the Marsaglia polar method for
/// normals, and a log built from + - * / only, so native and WebAssembly builds draw the
/// very same values (libm's log may differ between platforms in the last bit).
#include <cstdint>

namespace gradlab::model {

class rng {
 public:
  explicit rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next_u64();
  /// Uniform in [0, 1) with 53 random bits.
  double uniform();
  /// Standard normal.
  double normal();
  /// Uniform integer in [0, n).
  std::uint64_t below(std::uint64_t n);

 private:
  std::uint64_t state_;
  double spare_ = 0;
  bool has_spare_ = false;
};

/// ln(x) for x > 0 from basic arithmetic only (exactly reproducible everywhere).
double portable_log(double x);

}  // namespace gradlab::model
