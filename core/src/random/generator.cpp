// ATen's mt19937 (MT19937RNGEngine.h) and CPUGeneratorImpl's seeding and state bytes.
#include "gradlab/random/generator.hpp"

#include <cstring>
#include <random>
#include <string>

#include "gradlab/error.hpp"

namespace gradlab::random {

namespace {

// Offsets in CPUGeneratorImplState (x86-64): the legacy THGenerator fields, then the float
// cache. Padding bytes are zero, as PyTorch value-initialises the struct.
constexpr std::size_t off_seed = 0, off_left = 8, off_seeded = 12, off_next = 16, off_words = 24,
                      off_normal_y = 5024, off_normal_valid = 5040, off_float_sample = 5048,
                      off_float_valid = 5052;

template <class T>
void put(std::vector<std::uint8_t>& b, std::size_t at, T v) {
  std::memcpy(b.data() + at, &v, sizeof v);
}
template <class T>
T get(const std::vector<std::uint8_t>& b, std::size_t at) {
  T v;
  std::memcpy(&v, b.data() + at, sizeof v);
  return v;
}

}  // namespace

void generator::manual_seed(std::uint64_t seed) {
  seed_ = seed;
  // Knuth's initialisation of mt19937 from the low 32 bits (init_genrand)
  state_[0] = static_cast<std::uint32_t>(seed);
  for (int j = 1; j < n_; ++j)
    state_[j] =
        1812433253u * (state_[j - 1] ^ (state_[j - 1] >> 30)) + static_cast<std::uint32_t>(j);
  left_ = 1;  // the first draw twists
  next_ = 0;
  next_double_normal_.reset();
  next_float_normal_.reset();
}

std::uint64_t generator::seed() {
  std::random_device rd;
  const std::uint64_t s = (static_cast<std::uint64_t>(rd()) << 32) | rd();
  manual_seed(s);
  return s;
}

void generator::twist() {
  // mt19937's recurrence over the whole state, in the order of Cokus's version that ATen uses
  auto mix = [](std::uint32_t u, std::uint32_t v) {
    const std::uint32_t y = (u & 0x80000000u) | (v & 0x7fffffffu);
    return (y >> 1) ^ ((v & 1u) ? 0x9908b0dfu : 0u);
  };
  int i = 0;
  for (; i < n_ - m_; ++i) state_[i] = state_[i + m_] ^ mix(state_[i], state_[i + 1]);
  for (; i < n_ - 1; ++i) state_[i] = state_[i + m_ - n_] ^ mix(state_[i], state_[i + 1]);
  state_[n_ - 1] = state_[m_ - 1] ^ mix(state_[n_ - 1], state_[0]);
  left_ = n_;
  next_ = 0;
}

std::uint32_t generator::random() {
  if (--left_ == 0) twist();
  std::uint32_t y = state_[next_++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

std::uint64_t generator::random64() {
  const std::uint64_t hi = random();
  return (hi << 32) | random();
}

std::vector<std::uint8_t> generator::get_state() const {
  std::vector<std::uint8_t> b(state_size, 0);
  put<std::uint64_t>(b, off_seed, seed_);
  put<std::int32_t>(b, off_left, left_);
  put<std::int32_t>(b, off_seeded, 1);
  put<std::uint64_t>(b, off_next, next_);
  for (int j = 0; j < n_; ++j) put<std::uint64_t>(b, off_words + 8 * j, state_[j]);
  if (next_double_normal_) {
    put<double>(b, off_normal_y, *next_double_normal_);
    put<std::int32_t>(b, off_normal_valid, 1);
  }
  if (next_float_normal_) {
    put<float>(b, off_float_sample, *next_float_normal_);
    b[off_float_valid] = 1;
  }
  return b;
}

void generator::set_state(const std::vector<std::uint8_t>& b) {
  if (b.size() != state_size)
    runtime_error("Expected a CPUGeneratorImplState of size " + std::to_string(state_size) +
                  " but found the input RNG state size to be " + std::to_string(b.size()));
  const auto left = get<std::int32_t>(b, off_left);
  const auto seeded = get<std::int32_t>(b, off_seeded);
  const auto next = static_cast<std::uint32_t>(get<std::uint64_t>(b, off_next));
  // mt19937_engine::is_valid()
  if (seeded == 0 || left <= 0 || left > n_ || next > static_cast<std::uint32_t>(n_))
    runtime_error("Invalid mt19937 state");
  seed_ = get<std::uint64_t>(b, off_seed);
  left_ = left;
  next_ = next;
  for (int j = 0; j < n_; ++j)
    state_[j] = static_cast<std::uint32_t>(get<std::uint64_t>(b, off_words + 8 * j));
  next_double_normal_.reset();
  if (get<std::int32_t>(b, off_normal_valid) != 0)
    next_double_normal_ = get<double>(b, off_normal_y);
  next_float_normal_.reset();
  if (b[off_float_valid] != 0) next_float_normal_ = get<float>(b, off_float_sample);
}

generator& default_generator() {
  static generator g = [] {
    generator d;
    d.seed();
    return d;
  }();
  return g;
}

}  // namespace gradlab::random
