// libFuzzer target for the Python interpreter: any bytes are compiled and run with a step
// limit, and must end (finished, or an error printed as a traceback) without crashing,
// hanging, leaking or overflowing the stack.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gradlab/python/interpreter.hpp"

namespace {
void sink(void* ctx, int, const char*, std::size_t n) { *static_cast<std::size_t*>(ctx) += n; }
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  gradlab::py::interpreter ip;
  std::size_t written = 0;
  ip.set_output(sink, &written);
  ip.set_step_limit(20000);
  if (ip.load(text, "fuzz.py")) {
    // in slices, as the page runs scripts
    while (ip.run(3000) == gradlab::py::run_status::paused) {
    }
  }
  return 0;
}
