#pragma once
// Shared by the Embind registration files: JS arrays to engine values. The error slot and
// guarded() are in guard.hpp, option conversions in options_val.hpp.
#include <emscripten/val.h>

#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "gradlab/error.hpp"
#include "gradlab/tensor.hpp"
#include "guard.hpp"

namespace gradlab_wasm {

/// A JS array of engine Tensor handles.
std::vector<gradlab::Tensor> to_tensors(const emscripten::val& js);
/// A JS array of integers (indices, dims).
std::vector<std::int64_t> to_ints(const emscripten::val& js);

}  // namespace gradlab_wasm
