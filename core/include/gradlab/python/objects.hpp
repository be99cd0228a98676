#pragma once
/// \file objects.hpp
/// The built-in object kinds: types, strings, tuples, lists, dicts, sets, modules, functions
/// and exceptions, with what a host needs to build and read them.
#include <cstdint>
#include <string>
#include <vector>

#include "gradlab/python/value.hpp"

namespace gradlab::py {

class interpreter;
struct native_function;

/// The C++ layout behind a type's instances. A Python class inherits its base's layout.
enum class layout : std::uint8_t {
  object,
  str,
  tuple,
  list,
  dict,
  set,
  range,
  slice,
  function,
  native_function,
  method,
  type,
  module,
  cell,
  code,
  exception,
  property,
  staticmethod,
  classmethod,
  super,
  iterator,
  native
};

/// The special methods the VM calls, cached per type (resolved through the bases).
enum class slot : std::uint8_t {
  // binary operators in binary_op order, then reflected, then in-place
  add,
  and_,
  floordiv,
  lshift,
  matmul,
  mul,
  mod,
  or_,
  pow,
  rshift,
  sub,
  truediv,
  xor_,
  radd,
  rand,
  rfloordiv,
  rlshift,
  rmatmul,
  rmul,
  rmod,
  ror,
  rpow,
  rrshift,
  rsub,
  rtruediv,
  rxor,
  iadd,
  iand,
  ifloordiv,
  ilshift,
  imatmul,
  imul,
  imod,
  ior,
  ipow,
  irshift,
  isub,
  itruediv,
  ixor,
  neg,
  pos,
  invert,
  abs,
  lt,
  le,
  eq,
  ne,
  gt,
  ge,
  bool_,
  len,
  getitem,
  setitem,
  delitem,
  contains,
  iter,
  next,
  call,
  repr,
  str,
  format,
  hash,
  getattr,
  setattr,
  delattr,
  enter,
  exit,
  init,
  new_,
  index,
  int_,
  float_,
  round,
  get,
  set_,
  count
};
/// "__add__", "__radd__", ... for each slot.
const char* slot_name(slot s);

// ------------------------------------------------------------------ dict

/// An insertion-ordered hash table keyed by Python values (a dict, an instance's
/// attributes, a class namespace, a module's names).
struct dict_table {
  struct entry {
    value key, val;
    std::int64_t hash = 0;
  };
  std::vector<entry> entries;       ///< insertion order; a removed entry keeps a null key
  std::vector<std::int32_t> index;  ///< open addressing over entries (-1 empty, -2 removed)
  std::size_t used = 0;

  /// Index into entries of key, or -1. May run Python code (__eq__).
  std::int64_t find(const value& key, std::int64_t hash) const;
  /// Index of the str key with this text (hash: its str hash), or -1.
  std::int64_t find_text(const char* s, std::size_t n, std::int64_t hash) const;
  value* get(const value& key) const;  ///< hashes the key (may raise TypeError)
  value* get_str(const char* s) const;
  void set(const value& key, value v);
  void set_hashed(const value& key, std::int64_t hash, value v);
  bool erase(const value& key);
  void clear() noexcept;
  std::size_t size() const { return used; }
  /// Visits live entries in order: for (auto& e : t.entries) if (!e.key.is_null()) ...
 private:
  void rebuild(std::size_t capacity);
};

// ------------------------------------------------------------------ type

struct type_object : object {
  type_object(type_object* metatype, std::string name, type_object* base, layout kind);
  void clear() noexcept override;
  ~type_object() override;
  std::string name, qualname;
  std::string module = "builtins";
  type_object* base = nullptr;  ///< single inheritance (a counted reference)
  dict_object* dict = nullptr;  ///< the class namespace
  layout kind;
  bool python_class = false;  ///< made by a class statement
  bool has_dict = false;      ///< instances carry attributes
  bool final = false;         ///< cannot be subclassed
  bool exception = false;     ///< BaseException or a subclass
  value slots[static_cast<int>(slot::count)];
  /// Makes an uninitialised instance (of this type or a subclass); nullptr: not creatable
  /// by object.__new__.
  object* (*alloc)(type_object* t) = nullptr;
  const value& get_slot(slot s) const { return slots[static_cast<int>(s)]; }
  bool is_subtype(const type_object* other) const;
  /// Looks name up in this type and its bases (nullptr if absent).
  value* lookup(const value& name) const;
  /// Recomputes the slot cache (after the namespace changed).
  void update_slots();
};

// ------------------------------------------------------------------ containers

struct str_object : object {
  str_object(std::string s);
  std::string s;
  std::int64_t hash = -1;   ///< -1 until computed
  std::int32_t chars = -1;  ///< characters (code points); -1 until counted
  bool interned = false;
  std::size_t length();  ///< in characters
  bool ascii() { return length() == s.size(); }
};

struct tuple_object : object {
  tuple_object(std::vector<value> v);
  void clear() noexcept override;
  std::vector<value> items;
};

struct list_object : object {
  list_object(std::vector<value> v);
  void clear() noexcept override;
  std::vector<value> items;
};

struct dict_object : object {
  dict_object();
  explicit dict_object(type_object* t);
  void clear() noexcept override;
  dict_table table;
};

/// A set with CPython's table layout, so that sets of ints iterate in CPython's order.
struct set_object : object {
  struct entry {
    value key;  ///< null: empty (or removed, when dummy)
    std::int64_t hash = 0;
    bool dummy = false;
  };
  explicit set_object(type_object* t);
  void clear() noexcept override;
  std::vector<entry> table = std::vector<entry>(8);
  std::size_t fill = 0, used = 0, finger = 0;
  bool frozen = false;
  bool contains(const value& key, std::int64_t hash) const;
  void add(const value& key, std::int64_t hash);
  bool discard(const value& key, std::int64_t hash);
  void resize(std::size_t minused);
};

struct module_object : object {
  explicit module_object(std::string name);
  void clear() noexcept override;
  std::string name;
  /// Globals live in numbered slots (the compiler resolves names to them); `names` maps a
  /// name to its slot. An unbound slot holds null.
  std::vector<value> globals;
  std::vector<value> slot_names;  ///< the interned name of each slot
  dict_table names;
  bool initialized = false;
  std::int32_t slot_for(const value& name);  ///< finds or creates the slot
  value get(const char* name) const;         ///< null if unbound
  void set(const char* name, value v);
};

/// start:stop:step (each None when omitted).
struct slice_object : object {
  slice_object(value start, value stop, value step);
  void clear() noexcept override;
  value start, stop, step;
  /// Python's slice.indices(length): the start, stop and step for a sequence of that
  /// length, and how many items the slice selects. Raises for a zero step.
  void indices(std::int64_t length, std::int64_t& start, std::int64_t& stop, std::int64_t& step,
               std::int64_t& count) const;
};

// ------------------------------------------------------------------ callables

/// The parameters of a native function. The function receives them in the order they are
/// written ("*args" as a tuple, "**kwargs" as a dict); `names`, `defaults` and `optional`
/// list them in CPython's order (positional, keyword-only, *args, **kwargs), and `slots`
/// maps that order to the written one.
struct signature {
  std::string name;             ///< for messages: "mse_loss", "Tensor.add"
  std::vector<value> names;     ///< interned parameter names
  std::vector<value> defaults;  ///< per parameter; null if none (or if optional without one)
  std::vector<bool> optional;   ///< declared with a default (`x=_missing`: optional, no value)
  std::vector<int> slots;       ///< where each parameter goes in the function's arguments
  int positional = 0;           ///< parameters that can be passed by position
  int positional_only = 0;
  int keyword_only = 0;
  int varargs = -1;      ///< argument index of *args, or -1
  int varkw = -1;        ///< argument index of **kwargs, or -1
  bool builtin = false;  ///< a built-in's: CPython's C-level argument messages, not a def's
  std::size_t size() const { return names.size(); }
};

/// A native function receives its arguments bound to its signature's parameters (missing
/// optional ones hold their default, or null without one); without a signature it
/// receives the positional arguments as given and refuses keywords.
using native_fn = value (*)(interpreter& ip, value* args, std::size_t nargs, native_function* self);

struct native_function : object {
  native_function(const char* name, native_fn fn, const signature* sig);
  void clear() noexcept override;
  std::string name;
  native_fn fn;
  const signature* sig;          ///< not owned (lives in the runtime), or nullptr
  value data;                    ///< for the function's own use (a bound value, a closure)
  void* ptr = nullptr;           ///< for the function's own use
  type_object* owner = nullptr;  ///< for methods: the type they belong to (messages)
};

/// A function bound to an object (obj.method).
struct method_object : object {
  method_object(value func, value self);
  void clear() noexcept override;
  value func, self;
};

/// property(fget, fset), and a host property with native getter/setter.
struct property_object : object {
  property_object(value get, value set);
  void clear() noexcept override;
  value fget, fset;
};

struct exception_object : object {
  explicit exception_object(type_object* t);
  void clear() noexcept override;
  value args;  ///< a tuple
  value cause, context;
  bool suppress_context = false;
  /// Where it passed, innermost first: the code object and instruction of each frame.
  struct tb_entry {
    object* code;  ///< a counted reference
    std::uint32_t lasti;
  };
  std::vector<tb_entry> traceback;
  void clear_traceback() noexcept;
  ~exception_object() override;
};

// ------------------------------------------------------------------ helpers

value make_str(std::string s);
value intern(const std::string& s);  ///< the one str object with this text
value make_tuple(std::vector<value> items);
value make_list(std::vector<value> items);
ref<dict_object> make_dict();
/// The text of a str value (the value must be a str).
const std::string& str_of(const value& v);
bool is_str(const value& v);
bool is_instance(const value& v, const type_object* t);

}  // namespace gradlab::py
