#pragma once
// Private: the VM's frames and continuations, argument binding, and the small object kinds
// only the VM and the built-ins see.
#include <string>

#include "python/runtime.hpp"

namespace gradlab::py {

/// CPython's limit on nested calls (sys.getrecursionlimit()).
constexpr int kRecursionLimit = 1000;
/// Native -> Python re-entries (a __repr__ called by print, a key= function): each nests
/// the VM on the native stack, so they are bounded separately.
constexpr int kMaxNested = 150;

/// What a returning frame's caller does with the value.
enum cont : std::uint8_t {
  c_push,      ///< push it
  c_discard,   ///< drop it (__setitem__, __setattr__, property setters)
  c_init,      ///< __init__: must be None; push the instance (frame.extra)
  c_method,    ///< LOAD_METHOD through a Python getter: push it and a null self
  c_binop,     ///< a Python operator method: NotImplemented tries the next candidate
  c_compare,   ///< a Python comparison method: likewise
  c_truth,     ///< __bool__/__len__ for a jump: replace the caller's top and re-run the jump
  c_not,       ///< __bool__/__len__ for `not`: push the negation
  c_contains,  ///< __contains__: push bool(value) (aux: 1 for `not in`)
  c_for_iter,  ///< __next__ in a for loop: push it; StopIteration ends the loop (aux: target)
  c_class,     ///< a class body: build the class from its namespace
  c_import,    ///< a module's code: re-run the IMPORT_NAME that started it
  c_nested,    ///< a native -> Python call: hand the value back to the native caller
  c_module,    ///< the main module: the script is finished
};

/// The parameters a call binds to (a Python function's or a native signature's).
struct binder_spec {
  std::string qualname;
  const value* names = nullptr;
  int npos = 0, posonly = 0, nkwonly = 0, varargs = -1, varkw = -1;
  // Python functions: defaults of the last positional parameters, and keyword-only ones
  const value* pos_defaults = nullptr;
  std::size_t ndefaults = 0;
  dict_object* kwdefaults = nullptr;
  // native functions: a default per parameter
  bool native = false;
  const value* param_defaults = nullptr;
  const std::vector<bool>* optional = nullptr;
  const int* slots = nullptr;  ///< where each parameter is written (identity if null)
  std::size_t native_optional_positional() const;
};
void bind_args(const binder_spec& s, value* args, std::size_t nargs, const value& kwnames,
               value* out);
binder_spec function_spec(function_object* f);
value call_native(native_function* f, value* args, std::size_t n, const value& kwnames);
value type_new(type_object* t);
value alloc_instance(type_object* t, bool has_args, const value& kwnames);

/// staticmethod(f) / classmethod(f).
struct wrapper_object : object {
  wrapper_object(type_object* t, value f) : object(t), func(std::move(f)) {}
  void clear() noexcept override {
    func = value();
    object::clear();
  }
  value func;
};

struct super_object : object {
  super_object(value t, value o) : object(rt().t_super), type(std::move(t)), obj(std::move(o)) {}
  void clear() noexcept override {
    type = obj = value();
    object::clear();
  }
  value type, obj;
};

/// The result of looking an attribute up for the VM.
enum class attr_kind { value, method, call_getter, call_getattr, missing };
/// Finds obj.name without running Python code: a value, a function to bind to obj
/// (method), or a function the VM must call (a property getter on obj, __getattr__ on
/// (obj, name)).
attr_kind find_attribute(const value& obj, const value& name, value& out);
/// Sets obj.name = v, or returns a Python function for the VM to call (a __setattr__ or a
/// property setter) with `args` filled in.
bool set_attribute(const value& obj, const value& name, const value& v, value& fn,
                   std::vector<value>& args);
[[noreturn]] void attribute_error(const value& obj, const value& name);

// the VM
enum class exec_status { finished, paused, returned };
exec_status execute(std::size_t stop, value* result);
void push_function_frame(const value& func, value* args, std::size_t n, const value& kwnames,
                         std::uint8_t cont);
void push_module_frame(ref<code_object> code, module_object* m, std::uint8_t cont);
void pop_frame();
/// Turns a C++ exception thrown out of native code into a Python exception value.
value exception_from_current();
void add_traceback(exception_object* e, code_object* code, std::uint32_t lasti);
value suggestion_for(const value& exc);
value make_generator(value list);

}  // namespace gradlab::py
