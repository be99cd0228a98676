#pragma once
// Helpers for the Python interpreter's tests: run a script and capture what it prints.
#include <string>

#include "gradlab/python/interpreter.hpp"

namespace pytest {

struct output {
  std::string out, err;
};

inline void capture(void* ctx, int stream, const char* s, std::size_t n) {
  auto* o = static_cast<output*>(ctx);
  (stream == 2 ? o->err : o->out).append(s, n);
}

struct result {
  std::string out, err;
  int status = 0;
  gradlab::py::run_status last = gradlab::py::run_status::finished;
  std::size_t slices = 0;
};

/// Runs source to the end in slices of `budget` instructions.
inline result run(const std::string& source, std::uint64_t budget = UINT64_MAX,
                  gradlab::py::interpreter* ip_in = nullptr) {
  gradlab::py::interpreter own;
  gradlab::py::interpreter& ip = ip_in ? *ip_in : own;
  output o;
  ip.set_output(capture, &o);
  result r;
  if (ip.load(source, "test.py")) {
    do {
      r.last = ip.run(budget);
      ++r.slices;
    } while (r.last == gradlab::py::run_status::paused && r.slices < 100000000);
  } else {
    r.last = gradlab::py::run_status::error;
  }
  r.out = o.out;
  r.err = o.err;
  r.status = ip.exit_code();
  return r;
}

}  // namespace pytest
