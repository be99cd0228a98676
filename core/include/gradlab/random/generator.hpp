#pragma once
/// \file generator.hpp
/// PyTorch's CPU random number generator (at::CPUGeneratorImpl): ATen's mt19937, seeded from
/// the low 32 bits of a 64-bit seed, plus the normal sample that at::normal_distribution
/// keeps for the next call. Same seed, same calls, same bits as torch on the CPU.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace gradlab::random {

/// Which PyTorch release's formulas the draws follow where the two differ (the only such
/// place today: the Box-Muller radius of normal draws taken one at a time, fewer than 16
/// values, which 2.x computes from log1p(-u) and 1.13 from log(1 - u)). gradlab follows 2.x;
/// v1_13 exists so that the differential test can compare with Debian's PyTorch 1.13.
enum class formulas { pytorch_2, pytorch_1_13 };

class generator {
 public:
  /// at::default_rng_seed_val, the seed of a torch.Generator() made without one.
  static constexpr std::uint64_t default_seed = 67280421310721ull;
  /// Bytes of torch.get_rng_state(): ATen's CPUGeneratorImplState, x86-64 layout.
  static constexpr std::size_t state_size = 5056;

  explicit generator(std::uint64_t seed = default_seed) { manual_seed(seed); }

  /// torch.manual_seed(seed) / Generator.manual_seed: restarts the engine and drops any
  /// cached normal sample. A Python seed s < 0 is passed as s + 2^64, as torch does.
  void manual_seed(std::uint64_t seed);
  /// torch.initial_seed(): the last seed given, all 64 bits.
  std::uint64_t initial_seed() const { return seed_; }
  /// Generator.seed(): reseeds from a nondeterministic source and returns the new seed.
  std::uint64_t seed();

  /// One 32-bit draw (at::CPUGeneratorImpl::random).
  std::uint32_t random();
  /// Two draws, the first in the high half (CPUGeneratorImpl::random64).
  std::uint64_t random64();

  /// The normal sample cached by the last Box-Muller pair drawn one value at a time.
  std::optional<double>& next_double_normal() { return next_double_normal_; }
  /// ATen's float cache: kept in the state bytes; no CPU kernel of float32 draws fills it.
  std::optional<float>& next_float_normal() { return next_float_normal_; }

  /// torch.get_rng_state(): the engine and the cached samples as PyTorch lays them out.
  std::vector<std::uint8_t> get_state() const;
  /// torch.set_rng_state(bytes). RuntimeError for a wrong size or an invalid engine state,
  /// with PyTorch's messages; the generator is unchanged then.
  void set_state(const std::vector<std::uint8_t>& bytes);

  formulas version() const { return version_; }
  void set_version(formulas v) { version_ = v; }

 private:
  static constexpr int n_ = 624, m_ = 397;
  void twist();

  std::uint64_t seed_ = 0;
  std::uint32_t state_[n_] = {};
  int left_ = 1;            ///< draws left before the next twist, plus one
  std::uint32_t next_ = 0;  ///< index of the next state word
  std::optional<double> next_double_normal_;
  std::optional<float> next_float_normal_;
  formulas version_ = formulas::pytorch_2;
};

/// torch.default_generator: the one process-wide generator that torch.manual_seed,
/// torch.rand, ... use. Like PyTorch's, it starts from a nondeterministic seed.
generator& default_generator();

}  // namespace gradlab::random
