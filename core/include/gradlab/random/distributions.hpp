#pragma once
/// \file distributions.hpp
/// torch.rand, randn, randint, randperm, Tensor.uniform_, normal_ and bernoulli_ on the CPU,
/// value for value: each draws from the generator exactly as ATen's CPU kernel does (see
/// random.hpp for the paths PyTorch takes and where its versions differ). Errors are
/// PyTorch's RuntimeErrors with PyTorch's messages, raised before anything is drawn.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "gradlab/random/generator.hpp"
#include "gradlab/tensor.hpp"

namespace gradlab::random {

// ---- filling n values in memory order (a contiguous tensor's storage) ----

/// Tensor.uniform_(from, to): [from, to) in float32 or float64.
void uniform_fill(float* out, std::size_t n, double from, double to, generator& g);
void uniform_fill(double* out, std::size_t n, double from, double to, generator& g);
/// Tensor.normal_(mean, std). Fewer than 16 values: one Box-Muller value at a time (the
/// generator caches the pair's second value); 16 or more: Box-Muller over blocks of 16
/// uniforms, the last block recomputed from fresh uniforms when n is not a multiple of 16.
void normal_fill(float* out, std::size_t n, double mean, double std, generator& g);
void normal_fill(double* out, std::size_t n, double mean, double std, generator& g);
/// Tensor.random_(low, high) on an int64 tensor: torch.randint(low, high, (n,)).
std::vector<std::int64_t> randint(std::int64_t low, std::int64_t high, std::size_t n,
                                  generator& g = default_generator());
/// torch.randperm(n) (int64).
std::vector<std::int64_t> randperm(std::int64_t n, generator& g = default_generator());
/// Tensor.bernoulli_(p): 1 with probability p, else 0.
void bernoulli_fill(float* out, std::size_t n, double p, generator& g);
void bernoulli_fill(double* out, std::size_t n, double p, generator& g);

// ---- tensors ----

/// torch.rand(*shape, dtype)
Tensor rand(const shape_t& shape, dtype d = dtype::float32, generator& g = default_generator());
/// torch.randn(*shape, dtype)
Tensor randn(const shape_t& shape, dtype d = dtype::float32, generator& g = default_generator());
/// torch.normal(mean, std, size)
Tensor normal(double mean, double std, const shape_t& shape, dtype d = dtype::float32,
              generator& g = default_generator());
/// torch.randint(low, high, size, dtype=float32/float64): the int64 draws, in a float dtype
/// (PyTorch's float kernel: the same draws; low and high are first moved inward to values
/// the dtype holds exactly, as PyTorch does).
Tensor randint(std::int64_t low, std::int64_t high, const shape_t& shape, dtype d,
               generator& g = default_generator());
/// torch.randperm(n, dtype=float32/float64)
Tensor randperm(std::int64_t n, dtype d, generator& g = default_generator());

/// In place, as Tensor.uniform_ / normal_ / bernoulli_: PyTorch's in-place rules (a leaf that
/// requires grad only under no_grad) and the version bump.
Tensor& uniform_(Tensor& t, double from = 0.0, double to = 1.0, generator& g = default_generator());
Tensor& normal_(Tensor& t, double mean = 0.0, double std = 1.0, generator& g = default_generator());
Tensor& bernoulli_(Tensor& t, double p = 0.5, generator& g = default_generator());

}  // namespace gradlab::random
