#pragma once
/// \file error.hpp
/// Errors carry PyTorch's Python exception type next to PyTorch's message text, so the
/// UI can print "RuntimeError: ..." exactly as a learner would see it in Python.
#include <stdexcept>
#include <string>

namespace gradlab {

class error : public std::runtime_error {
 public:
  error(std::string type, const std::string& message)
      : std::runtime_error(message), type_(std::move(type)) {}
  /// "RuntimeError", "ValueError", "TypeError", "IndexError", "SyntaxError", ...
  const std::string& type() const { return type_; }

 private:
  std::string type_;
};

[[noreturn]] inline void runtime_error(const std::string& m) { throw error("RuntimeError", m); }
[[noreturn]] inline void value_error(const std::string& m) { throw error("ValueError", m); }
[[noreturn]] inline void type_error(const std::string& m) { throw error("TypeError", m); }
[[noreturn]] inline void index_error(const std::string& m) { throw error("IndexError", m); }
[[noreturn]] inline void attribute_error(const std::string& m) { throw error("AttributeError", m); }
[[noreturn]] inline void not_implemented_error(const std::string& m) {
  throw error("NotImplementedError", m);
}

/// Python's repr() of a float ("0.1", "1e-05", "-1.0"), used where PyTorch's messages
/// interpolate a number with an f-string.
std::string py_repr(double v);

}  // namespace gradlab
