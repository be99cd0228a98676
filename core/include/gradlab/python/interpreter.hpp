#pragma once
/// \file interpreter.hpp
/// A Python 3.11 subset interpreter: scripts compile to bytecode that a VM runs in time
/// slices (its frames live in its own data, so it can stop after any instruction and
/// resume), printing exactly what CPython prints, tracebacks included.
///
/// A host (the torch bindings) uses it like this:
///
///     py::interpreter ip;
///     ip.set_output(write, ctx);                         // print() and tracebacks
///     ip.add_module("torch", build_torch);               // built on first import
///     ip.add_module("torch.nn", build_nn);               // `import torch.nn as nn`
///     if (ip.load(source, "train.py"))                   // false: SyntaxError (printed)
///       while (ip.run(100000) == py::run_status::paused) { ...show ip.current_line()... }
///
/// A module builder defines functions, types and values on the module:
///
///     void build_torch(py::interpreter& ip, py::module_object& m, void*) {
///       ip.def(m, "tanh", tanh_fn, "input");   // CPython's TypeErrors for bad arguments
///       py::type_object* t = ip.def_type(m, "Tensor", nullptr, alloc_tensor);
///       ip.def_method(t, "add", add_fn, "self, other, *, alpha=1");
///       ip.def_method(t, "__add__", add_op, "self, other");  // operators are dunders
///       ip.def_property(t, "grad", get_grad, set_grad);
///     }
///
/// Native functions receive their arguments bound to the parameter list they were defined
/// with (`value args[]`, defaults filled in, null for a missing optional without default)
/// and return a value. They raise Python exceptions with ip.raise(type, message), or by
/// throwing gradlab::error (its type() names the Python exception class). An operator that
/// does not apply returns ip.not_implemented() so that the other operand is tried, as in
/// CPython. A Python class may subclass a host type (`class Net(nn.Module)`); instances
/// are made by the host type's alloc function and carry a __dict__.
///
/// Limits: ints are 64-bit (Python's are unbounded): a result that does not fit raises
/// OverflowError. Generators (yield) are not supported; generator expressions are evaluated
/// eagerly. Reference counting frees values at once; reference cycles are freed when the
/// interpreter is destroyed.
#include <cstdint>
#include <string>
#include <vector>

#include "gradlab/python/objects.hpp"
#include "gradlab/python/parser.hpp"
#include "gradlab/python/value.hpp"

namespace gradlab::py {

struct runtime;

/// stream 1 is stdout, 2 is stderr.
using write_fn = void (*)(void* ctx, int stream, const char* text, std::size_t n);
using module_builder = void (*)(interpreter& ip, module_object& module, void* data);

enum class run_status { finished, paused, error };

struct frame_info {
  std::string filename, function;
  int line = 0;
};

/// An object that holds a C++ value: the instances of a host type. Make the type with
/// `ip.def_type(module, "Tensor", base, alloc_native<Tensor>)`; native functions read the
/// value with `native_value<Tensor>(args[0])` and make new instances with
/// `new_native<Tensor>(type, tensor)`.
template <class T>
struct native_object : object {
  explicit native_object(type_object* t) : object(t) {}
  T value{};
};
template <class T>
object* alloc_native(type_object* t) {
  return new native_object<T>(t);
}
/// The C++ value of a host type's instance (or of an instance of a Python subclass of it).
template <class T>
T& native_value(const value& v) {
  return static_cast<native_object<T>*>(v.as_object())->value;
}
template <class T>
value new_native(type_object* t, T v) {
  object* o = t->alloc(t);
  static_cast<native_object<T>*>(o)->value = std::move(v);
  return value::steal(o);
}

class interpreter {
 public:
  interpreter();
  ~interpreter();
  interpreter(const interpreter&) = delete;
  interpreter& operator=(const interpreter&) = delete;

  // ---------------------------------------------------------------- output and modules
  void set_output(write_fn fn, void* ctx);
  void write(int stream, const std::string& text);
  /// A native module, built by build(ip, module, data) when first imported. A dotted name
  /// is a submodule: importing it imports its parents first and sets it as their attribute.
  void add_module(const std::string& name, module_builder build, void* data = nullptr);
  /// A module written in Python, compiled and run when first imported.
  void add_source_module(const std::string& name, std::string source);

  // ---------------------------------------------------------------- defining things
  /// params: a Python parameter list ("self, other, *, alpha=1, **kwargs"), whose defaults
  /// are literals; nullptr: positional arguments only, any number, passed as given.
  void def(module_object& m, const char* name, native_fn fn, const char* params = nullptr);
  void set(module_object& m, const char* name, value v);
  /// A type whose instances alloc makes (a subclass of object holding the C++ value);
  /// base: another host type or nullptr (object).
  type_object* def_type(module_object& m, const char* name, type_object* base,
                        object* (*alloc)(type_object*));
  void def_method(type_object* t, const char* name, native_fn fn, const char* params = nullptr);
  void def_property(type_object* t, const char* name, native_fn get, native_fn set = nullptr);
  void def_staticmethod(type_object* t, const char* name, native_fn fn,
                        const char* params = nullptr);
  /// A native function value (to store in a module or return from a function).
  value function(const char* name, native_fn fn, const char* params = nullptr);

  // ---------------------------------------------------------------- running
  /// Compiles source as the __main__ module. On a SyntaxError, prints it as CPython does
  /// and returns false (run() then reports error).
  bool load(const std::string& source, const std::string& filename);
  /// Runs up to `budget` instructions: finished, paused (budget used up, or a native
  /// function called request_pause()), or error (the traceback has been printed).
  run_status run(std::uint64_t budget = UINT64_MAX);
  /// From a native function: stop right after it returns (deferred until the outermost
  /// native->Python call returns).
  void request_pause();
  /// Checked every few thousand instructions; when true the script stops with an error.
  void set_cancel_flag(const volatile bool* flag);
  /// A total instruction limit for the script (beyond it the script stops with an error).
  void set_step_limit(std::uint64_t steps);
  /// Called with the line number whenever the running line changes (slows the VM).
  void set_line_hook(void (*hook)(void* ctx, interpreter& ip, int line), void* ctx);

  int current_line() const;               ///< of the innermost running frame (0 if none)
  std::vector<frame_info> stack() const;  ///< outermost first
  std::uint64_t steps() const;            ///< instructions run so far
  /// After run() returned error: the exception's class name and str(), and the exit status
  /// (1, or SystemExit's code).
  std::string error_type() const;
  std::string error_message() const;
  int exit_code() const;

  // ---------------------------------------------------------------- values
  /// Calls a Python callable from native code (a nested run of the VM).
  value call(const value& f, std::vector<value> args);
  [[noreturn]] void raise(type_object* type, const std::string& message);
  /// A built-in exception class by name ("RuntimeError", "TypeError", ...), or nullptr.
  type_object* exception_type(const std::string& name) const;
  /// A built-in type by name ("int", "list", ...), or nullptr.
  type_object* builtin_type(const std::string& name) const;
  value not_implemented() const;
  std::string repr(const value& v);
  std::string str(const value& v);
  bool truthy(const value& v);
  /// Imports a module by name (running its builder) and returns it.
  value import(const std::string& name);
  module_object& main_module();
  /// Python objects alive now (for tests of memory use).
  std::size_t live_objects() const;

  runtime& impl() { return *rt_; }

 private:
  runtime* rt_;
  int exit_code_ = 0;
};

}  // namespace gradlab::py
