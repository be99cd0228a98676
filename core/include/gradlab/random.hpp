#pragma once
/// \file random.hpp
/// PyTorch's CPU random numbers, bit for bit: torch.manual_seed, rand, randn, randint,
/// randperm, Tensor.uniform_ / normal_ / bernoulli_, torch.nn.init and nn.Linear's default
/// initialisation give the values PyTorch gives on an x86-64 CPU with AVX2, in the native
/// build and in WebAssembly alike.
///
/// How PyTorch draws (ATen's CPU kernels; the same in 1.13 and 2.x unless said):
/// - Generator: mt19937 seeded from the seed's low 32 bits (initial_seed keeps all 64).
///   random() is one 32-bit output, random64() two (high first).
/// - uniform_(from, to): per element, float32 from 24 bits of one random(), float64 from 53
///   bits of one random64(); x (to - from) + from in the tensor's dtype, one fused
///   multiply-add. 2.x (recent) maps a result equal to `to` back to `from`.
/// - normal_(mean, std) with fewer than 16 elements: at::normal_distribution<double> per
///   element: u1, u2 from random64(), r = sqrt(-2 log1p(-u2)) (1.13: log(1 - u2)),
///   theta = 2 pi u1, returns r cos(theta) std + mean and caches r sin(theta) in the generator
///   for the next such call; float32 rounds the double. manual_seed drops the cache.
/// - normal_ with 16 or more: uniforms into the whole tensor first (float32: 24-bit ones),
///   then Box-Muller on each block of 16 (u1 = 1 - v[j], u2 = v[j + 8]); when the size is not a
///   multiple of 16, the last 16 are drawn again and transformed again. float32 uses the AVX2
///   kernel (avx_mathfun's float log/sincos polynomials) on every x86-64 CPU with AVX2 and in
///   both versions (AVX-512 CPUs too: the normal kernel is never dispatched to AVX-512 code);
///   float64 uses the C library's log, sin and cos. Only a CPU without AVX2 takes a scalar
///   float path with different values, which gradlab does not reproduce.
/// - randint(low, high): per element (draw mod (high - low)) + low, the draw 32-bit, or
///   64-bit when high - low >= 2^32.
/// - randperm(n): Fisher-Yates from the front with random() % (n - i); 2.x shuffles inside-out
///   with random64() for n >= 214748364 (1.13 has no such branch).
/// - bernoulli_(p): one random64() uniform per element, 1 when below p. (PyTorch 2.0-2.4
///   wheels used MKL for this on Intel CPUs; since 2.5 and in 1.13 it is this kernel.)
/// - nn.init and nn.Linear: Python computes bounds in double, then uniform_ / normal_ above.
///
/// The libm underneath: float64 normals need glibc's log, log1p, sin and cos to the last bit
/// (random/glibc_math.hpp in the sources reproduces them); Python's slope ** 2 in
/// calculate_gain('leaky_relu') is glibc's pow, which gradlab replaces by the product: they
/// agree on every common slope and differ for about one random double in 1200.
#include "gradlab/random/distributions.hpp"
#include "gradlab/random/generator.hpp"
#include "gradlab/random/init.hpp"
