// runPython(source, filename, timeoutMs): runs a Python script on the interpreter with the
// torch module and returns {stdout, stderr, exitCode, errorType, errorMessage}, what
// `python3 FILE.py` would print. The script runs in slices; past timeoutMs (0: no limit) it is
// stopped as Ctrl-C would stop it (KeyboardInterrupt's traceback, exit status 1).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <chrono>
#include <string>

#include "gradlab/autograd.hpp"
#include "gradlab/python/interpreter.hpp"
#include "gradlab/python/torch.hpp"

using emscripten::function;
using emscripten::val;

namespace {

struct captured {
  std::string out, err;
};

void capture(void* ctx, int stream, const char* s, std::size_t n) {
  auto* c = static_cast<captured*>(ctx);
  (stream == 2 ? c->err : c->out).append(s, n);
}

val run_python(const std::string& source, const std::string& filename, double timeout_ms) {
  captured c;
  volatile bool cancel = false;
  int status = 0;
  std::string type, message;
  {
    gradlab::py::interpreter ip;
    ip.set_output(capture, &c);
    gradlab::py::install_torch(ip);
    ip.set_cancel_flag(&cancel);
    const auto start = std::chrono::steady_clock::now();
    gradlab::py::run_status s = gradlab::py::run_status::error;
    if (ip.load(source, filename)) {
      while ((s = ip.run(200000)) == gradlab::py::run_status::paused) {
        const std::chrono::duration<double, std::milli> spent =
            std::chrono::steady_clock::now() - start;
        if (timeout_ms > 0 && spent.count() > timeout_ms) cancel = true;
      }
    }
    if (s == gradlab::py::run_status::error) {
      status = ip.exit_code();
      type = ip.error_type();
      message = ip.error_message();
    }
  }
  gradlab::set_grad_enabled(true);  // a script stopped inside no_grad leaves nothing behind
  val r = val::object();
  r.set("stdout", c.out);
  r.set("stderr", c.err);
  r.set("exitCode", status);
  r.set("errorType", type.empty() ? val::null() : val(type));
  r.set("errorMessage", type.empty() ? val::null() : val(message));
  return r;
}

}  // namespace

EMSCRIPTEN_BINDINGS(gradlab_python) { function("runPython", &run_python); }
