// The built-in exception classes (CPython's hierarchy, in its order) and BaseException's
// behaviour: args, str() and repr().
#include <cstdarg>
#include <cstdio>

#include "python/vm.hpp"

namespace gradlab::py {

namespace {

object* alloc_exception(type_object* t) {
  auto* e = new exception_object(t);
  e->args = make_tuple({});
  return e;
}

exception_object* self(value* a) { return static_cast<exception_object*>(a[0].as_object()); }

value e_new(interpreter&, value* a, std::size_t, native_function*) {
  auto* t = static_cast<type_object*>(a[0].as_object());
  if (!t->exception)
    raisef(rt().e_type, "BaseException.__new__(%s): %s is not a subtype of BaseException",
           t->name.c_str(), t->name.c_str());
  value e = value::steal(alloc_exception(t));
  static_cast<exception_object*>(e.as_object())->args = a[1];
  return e;
}

value e_init(interpreter&, value* a, std::size_t, native_function*) {
  self(a)->args = a[1];
  return value::none();
}

value e_str(interpreter&, value* a, std::size_t, native_function*) {
  auto& args = static_cast<tuple_object*>(self(a)->args.as_object())->items;
  if (args.empty()) return make_str("");
  if (args.size() == 1) return str(args[0]);
  return str(self(a)->args);
}

value key_str(interpreter&, value* a, std::size_t, native_function*) {
  auto& args = static_cast<tuple_object*>(self(a)->args.as_object())->items;
  if (args.size() == 1) return repr(args[0]);
  if (args.empty()) return make_str("");
  return str(self(a)->args);
}

value e_repr(interpreter&, value* a, std::size_t, native_function*) {
  auto& args = static_cast<tuple_object*>(self(a)->args.as_object())->items;
  const std::string& name = self(a)->type->name;
  if (args.size() == 1) return make_str(name + "(" + repr_s(args[0]) + ")");
  return make_str(name + repr_s(self(a)->args));
}

value e_with_traceback(interpreter&, value* a, std::size_t, native_function*) { return a[0]; }

value stop_value(interpreter&, value* a, std::size_t, native_function*) {
  auto& args = static_cast<tuple_object*>(self(a)->args.as_object())->items;
  return args.empty() ? value::none() : args[0];
}

struct entry {
  const char* name;
  const char* base;
};

// CPython's built-in exceptions, in the order of its builtins module
const entry kExceptions[] = {
    {"BaseException", nullptr},
    {"BaseExceptionGroup", "BaseException"},
    {"Exception", "BaseException"},
    {"GeneratorExit", "BaseException"},
    {"KeyboardInterrupt", "BaseException"},
    {"SystemExit", "BaseException"},
    {"ArithmeticError", "Exception"},
    {"AssertionError", "Exception"},
    {"AttributeError", "Exception"},
    {"BufferError", "Exception"},
    {"EOFError", "Exception"},
    {"ImportError", "Exception"},
    {"LookupError", "Exception"},
    {"MemoryError", "Exception"},
    {"NameError", "Exception"},
    {"OSError", "Exception"},
    {"ReferenceError", "Exception"},
    {"RuntimeError", "Exception"},
    {"StopAsyncIteration", "Exception"},
    {"StopIteration", "Exception"},
    {"SyntaxError", "Exception"},
    {"SystemError", "Exception"},
    {"TypeError", "Exception"},
    {"ValueError", "Exception"},
    {"Warning", "Exception"},
    {"FloatingPointError", "ArithmeticError"},
    {"OverflowError", "ArithmeticError"},
    {"ZeroDivisionError", "ArithmeticError"},
    {"BytesWarning", "Warning"},
    {"DeprecationWarning", "Warning"},
    {"EncodingWarning", "Warning"},
    {"FutureWarning", "Warning"},
    {"ImportWarning", "Warning"},
    {"PendingDeprecationWarning", "Warning"},
    {"ResourceWarning", "Warning"},
    {"RuntimeWarning", "Warning"},
    {"SyntaxWarning", "Warning"},
    {"UnicodeWarning", "Warning"},
    {"UserWarning", "Warning"},
    {"BlockingIOError", "OSError"},
    {"ChildProcessError", "OSError"},
    {"ConnectionError", "OSError"},
    {"FileExistsError", "OSError"},
    {"FileNotFoundError", "OSError"},
    {"InterruptedError", "OSError"},
    {"IsADirectoryError", "OSError"},
    {"NotADirectoryError", "OSError"},
    {"PermissionError", "OSError"},
    {"ProcessLookupError", "OSError"},
    {"TimeoutError", "OSError"},
    {"IndentationError", "SyntaxError"},
    {"IndexError", "LookupError"},
    {"KeyError", "LookupError"},
    {"ModuleNotFoundError", "ImportError"},
    {"NotImplementedError", "RuntimeError"},
    {"RecursionError", "RuntimeError"},
    {"UnboundLocalError", "NameError"},
    {"UnicodeError", "ValueError"},
    {"BrokenPipeError", "ConnectionError"},
    {"ConnectionAbortedError", "ConnectionError"},
    {"ConnectionRefusedError", "ConnectionError"},
    {"ConnectionResetError", "ConnectionError"},
    {"TabError", "IndentationError"},
    {"UnicodeDecodeError", "UnicodeError"},
    {"UnicodeEncodeError", "UnicodeError"},
    {"UnicodeTranslateError", "UnicodeError"},
    {"ExceptionGroup", "BaseExceptionGroup"},
};

}  // namespace

value make_exception_args(type_object* type, std::vector<value> args) {
  auto* e = new exception_object(type);
  e->args = make_tuple(std::move(args));
  return value::steal(e);
}

value make_exception(type_object* type, const std::string& msg) {
  return make_exception_args(type, msg.empty() && type == rt().e_keyboard
                                       ? std::vector<value>{}
                                       : std::vector<value>{make_str(msg)});
}

void raise(type_object* type, const std::string& msg) {
  throw py_exception{make_exception(type, msg), false};
}
void raise(type_object* type, const char* msg) {
  throw py_exception{make_exception(type, msg), false};
}

static std::string vformat(const char* fmt, va_list ap) {
  char buf[256];
  va_list copy;
  va_copy(copy, ap);
  const int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  std::string out;
  if (n < static_cast<int>(sizeof buf)) {
    out.assign(buf, n < 0 ? 0 : static_cast<std::size_t>(n));
  } else {
    out.resize(static_cast<std::size_t>(n));
    std::vsnprintf(&out[0], out.size() + 1, fmt, copy);
  }
  va_end(copy);
  return out;
}

std::string strf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string s = vformat(fmt, ap);
  va_end(ap);
  return s;
}

void raisef(type_object* type, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string s = vformat(fmt, ap);
  va_end(ap);
  raise(type, s);
}
void raise_value(value exc) { throw py_exception{std::move(exc), false}; }

void init_exceptions(runtime& r) {
  module_object* b = r.builtins.get();
  for (const entry& e : kExceptions) {
    type_object* base = e.base ? static_cast<type_object*>(b->get(e.base).as_object()) : r.t_object;
    type_object* t = new_builtin_type(e.name, base, layout::exception);
    t->exception = true;
    t->has_dict = true;
    t->alloc = alloc_exception;
    b->set(e.name, value::borrow(t));
  }
  b->set("EnvironmentError", b->get("OSError"));
  b->set("IOError", b->get("OSError"));
  auto get = [&](const char* n) { return static_cast<type_object*>(b->get(n).as_object()); };
  r.e_base = get("BaseException");
  r.e_exception = get("Exception");
  r.e_arith = get("ArithmeticError");
  r.e_zero = get("ZeroDivisionError");
  r.e_overflow = get("OverflowError");
  r.e_lookup = get("LookupError");
  r.e_index = get("IndexError");
  r.e_key = get("KeyError");
  r.e_type = get("TypeError");
  r.e_value = get("ValueError");
  r.e_name = get("NameError");
  r.e_unbound = get("UnboundLocalError");
  r.e_attr = get("AttributeError");
  r.e_assert = get("AssertionError");
  r.e_runtime = get("RuntimeError");
  r.e_recursion = get("RecursionError");
  r.e_notimpl = get("NotImplementedError");
  r.e_stop = get("StopIteration");
  r.e_import = get("ImportError");
  r.e_modnotfound = get("ModuleNotFoundError");
  r.e_syntax = get("SyntaxError");
  r.e_indent = get("IndentationError");
  r.e_tab = get("TabError");
  r.e_keyboard = get("KeyboardInterrupt");
  r.e_systemexit = get("SystemExit");
  r.e_memory = get("MemoryError");
  r.e_timeout = get("TimeoutError");
  r.e_unicode = get("UnicodeError");
  r.e_os = get("OSError");
  r.e_eof = get("EOFError");
  r.e_floatingpoint = get("FloatingPointError");
  type_object* be = r.e_base;
  add_method(be, "__new__", e_new, "cls, /, *args, **kwargs");
  add_method(be, "__init__", e_init, "self, /, *args, **kwargs");
  add_method(be, "__str__", e_str, "self, /");
  add_method(be, "__repr__", e_repr, "self, /");
  add_method(be, "with_traceback", e_with_traceback, "self, tb, /");
  add_method(r.e_key, "__str__", key_str, "self, /");
  r.e_stop->dict->table.set(
      intern("value"),
      value::steal(new property_object(make_native("value", stop_value, "self"), value())));
  r.e_systemexit->dict->table.set(
      intern("code"),
      value::steal(new property_object(make_native("code", stop_value, "self"), value())));
  for (const entry& e : kExceptions) get(e.name)->update_slots();
}

}  // namespace gradlab::py
