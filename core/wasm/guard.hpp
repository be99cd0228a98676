#pragma once
// The one error slot every Embind binding file reports into, and guarded(), which runs a
// binding's body and turns any C++ exception into an entry in that slot. Exceptions never
// cross into JS (that unwinds wasm frames and leaks); the JS wrapper reads the slot after
// each call (hasError/takeError) and throws a GradlabError with PyTorch's message. A failed
// call returns a default value (null for a JS value) that the wrapper never uses.
#include <emscripten/val.h>

#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "gradlab/error.hpp"

namespace gradlab_wasm {

struct error_slot {
  bool set = false;
  std::string type, message;
};

/// One slot for the whole module (inline: both binding files share it).
inline error_slot g_error;

template <class F>
auto guarded(F&& f) -> decltype(f()) {
  using R = decltype(f());
  try {
    return f();
  } catch (const gradlab::error& e) {
    g_error = {true, e.type(), e.what()};
  } catch (const std::bad_alloc&) {
    g_error = {true, "RuntimeError",
               "out of memory: the tensor is too large for the WebAssembly heap"};
  } catch (const std::exception& e) {
    g_error = {true, "RuntimeError", e.what()};
  }
  if constexpr (std::is_void_v<R>)
    return;
  else if constexpr (std::is_same_v<R, emscripten::val>)
    return emscripten::val::null();
  else
    return R{};
}

}  // namespace gradlab_wasm
