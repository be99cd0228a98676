#pragma once
// Shared by the Embind registration files: the error slot and guarded(), which keeps every
// C++ exception on the C++ side of the boundary (the JS wrapper reads the slot and throws).
#include <emscripten/val.h>

#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "gradlab/error.hpp"
#include "gradlab/tensor.hpp"

namespace gradlab_wasm {

struct error_slot {
  bool set = false;
  std::string type, message;
};
error_slot& last_error();

template <class F>
auto guarded(F&& f) -> decltype(f()) {
  using R = decltype(f());
  try {
    return f();
  } catch (const gradlab::error& e) {
    last_error() = {true, e.type(), e.what()};
  } catch (const std::bad_alloc&) {
    last_error() = {true, "RuntimeError",
                    "out of memory: the tensor is too large for the WebAssembly heap"};
  } catch (const std::exception& e) {
    last_error() = {true, "RuntimeError", e.what()};
  }
  if constexpr (std::is_void_v<R>)
    return;
  else
    return R{};
}

/// A JS array of engine Tensor handles.
std::vector<gradlab::Tensor> to_tensors(const emscripten::val& js);
/// A JS array of integers (indices, dims).
std::vector<std::int64_t> to_ints(const emscripten::val& js);

}  // namespace gradlab_wasm
