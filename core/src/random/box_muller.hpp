#pragma once
// The three Box-Muller transforms behind PyTorch's CPU normal_ (DistributionTemplates.h,
// DistributionsHelper.h), each computed with the operations PyTorch's x86-64 AVX2 build
// performs, so that every value has PyTorch's bits.
#include "gradlab/random/generator.hpp"

namespace gradlab::random::detail {

/// float32, 16 or more values: ATen's AVX2 kernel (normal_fill_16_AVX2). u1 = 1 - data[j],
/// u2 = data[j + 8] for j < 8; data[j] = r cos(theta) std + mean, data[j + 8] = r sin(theta)
/// std + mean with r = sqrt(-2 log u1), theta = 2 pi u2, where log, sin and cos are the float
/// polynomials of avx_mathfun.h (Cephes) as GCC compiles them with FMA contraction.
void normal_fill_16(float* data, float mean, float std);
/// float64, 16 or more values: the scalar normal_fill_16 with glibc's log, cos and sin.
void normal_fill_16(double* data, double mean, double std);
/// One value of at::normal_distribution<double>(mean, std): a pair from two float64
/// uniforms, the second value cached in the generator for the next call.
double normal_one(generator& g, double mean, double std);

/// at::uniform_real_distribution<float>(0, 1) and <double>(0, 1): 24 and 53 random bits.
inline float uniform01_f32(generator& g) {
  return static_cast<float>(g.random() & 0xffffffu) * 0x1p-24f;
}
inline double uniform01_f64(generator& g) {
  return static_cast<double>(g.random64() & 0x1fffffffffffffull) * 0x1p-53;
}

}  // namespace gradlab::random::detail
