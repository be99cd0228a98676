#include "guard.hpp"

#include <new>
#include <stdexcept>

#include "gradlab/error.hpp"

namespace gradlab_wasm {

void record_current_exception() {
  try {
    throw;
  } catch (const gradlab::error& e) {
    g_error = {true, e.type(), e.what()};
  } catch (const std::bad_alloc&) {
    g_error = {true, "RuntimeError",
               "out of memory: the tensor is too large for the WebAssembly heap"};
  } catch (const std::exception& e) {
    g_error = {true, "RuntimeError", e.what()};
  } catch (...) {
    g_error = {true, "RuntimeError", "internal error: an unknown exception in the engine"};
  }
}

}  // namespace gradlab_wasm
