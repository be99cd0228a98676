#pragma once
// The one error slot every Embind binding file reports into, and guarded(), which runs a
// binding's body and turns any C++ exception into an entry in that slot. Exceptions never
// cross into JS (that unwinds wasm frames and leaks); the JS wrapper reads the slot after
// each call (hasError/takeError) and throws a GradlabError with PyTorch's message. A failed
// call returns a default value (null for a JS value) that the wrapper never uses.
#include <emscripten/val.h>

#include <string>
#include <type_traits>

namespace gradlab_wasm {

struct error_slot {
  bool set = false;
  std::string type, message;
};

/// One slot for the whole module (inline: both binding files share it).
inline error_slot g_error;

/// Files the exception being handled into g_error (call only inside a catch block). One
/// out-of-line copy: each binding's guarded() then holds a single catch-all, not three
/// typed handlers (156 bindings carried about 60 KB of them).
void record_current_exception();

template <class F>
auto guarded(F&& f) -> decltype(f()) {
  using R = decltype(f());
  try {
    return f();
  } catch (...) {
    record_current_exception();
  }
  if constexpr (std::is_void_v<R>)
    return;
  else if constexpr (std::is_same_v<R, emscripten::val>)
    return emscripten::val::null();
  else
    return R{};
}

}  // namespace gradlab_wasm
