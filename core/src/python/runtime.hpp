#pragma once
// Private: the interpreter's shared state (built-in types, interned strings, modules, the
// VM's frames) and the operations the VM, the built-ins and the host API share.
#include <cstdint>
#include <string>
#include <vector>

#include "gradlab/error.hpp"
#include "gradlab/python/ast.hpp"
#include "gradlab/python/interpreter.hpp"
#include "gradlab/python/objects.hpp"
#include "python/stack.hpp"

namespace gradlab::py {

// ------------------------------------------------------------------ code objects

enum op : std::uint8_t {
#define GRADLAB_PY_OPS(X)                                                                          \
  X(NOP)                                                                                           \
  X(POP_TOP)                                                                                       \
  X(PUSH_NULL)                                                                                     \
  X(COPY)                                                                                          \
  X(SWAP)                                                                                          \
  X(LOAD_CONST) X(LOAD_FAST) X(STORE_FAST) X(DELETE_FAST) X(LOAD_DEREF) X(STORE_DEREF) X(          \
      DELETE_DEREF) X(LOAD_CLASSDEREF) X(LOAD_GLOBAL) X(STORE_GLOBAL) X(DELETE_GLOBAL)             \
      X(LOAD_NAME) X(STORE_NAME) X(DELETE_NAME) X(LOAD_ATTR) X(STORE_ATTR) X(DELETE_ATTR) X(       \
          LOAD_METHOD) X(BINARY_SUBSCR) X(STORE_SUBSCR) X(DELETE_SUBSCR) X(BUILD_SLICE)            \
          X(BINARY_OP) X(UNARY_NEGATIVE) X(UNARY_POSITIVE) X(UNARY_NOT) X(UNARY_INVERT) X(         \
              COMPARE_OP) X(IS_OP) X(CONTAINS_OP) X(JUMP) X(POP_JUMP_IF_FALSE) X(POP_JUMP_IF_TRUE) \
              X(JUMP_IF_FALSE_OR_POP) X(JUMP_IF_TRUE_OR_POP) X(GET_ITER) X(FOR_ITER)               \
                  X(BUILD_TUPLE) X(BUILD_LIST) X(BUILD_SET) X(BUILD_MAP) X(LIST_APPEND) X(SET_ADD) \
                      X(MAP_ADD) X(LIST_EXTEND) X(SET_UPDATE) X(DICT_UPDATE) X(DICT_MERGE)         \
                          X(LIST_TO_TUPLE) X(UNPACK_SEQUENCE) X(UNPACK_EX) X(KW_NAMES) X(CALL)     \
                              X(CALL_FUNCTION_EX) X(MAKE_FUNCTION) X(LOAD_CLOSURE) X(RETURN_VALUE) \
                                  X(RAISE_VARARGS) X(RERAISE) X(PUSH_EXC_INFO) X(POP_EXCEPT)       \
                                      X(CLEANUP_RERAISE) X(CHECK_EXC_MATCH) X(BEFORE_WITH)         \
                                          X(WITH_EXCEPT_START) X(CALL_EXIT) X(IMPORT_NAME)         \
                                              X(IMPORT_FROM) X(IMPORT_STAR) X(BUILD_CLASS)         \
                                                  X(FORMAT_VALUE) X(BUILD_STRING)                  \
                                                      X(LOAD_ASSERTION_ERROR) X(MAKE_GENERATOR)    \
                                                          X(MAKE_CELL) X(POP_JUMP_IF_NOT_NONE)     \
                                                              X(LOAD_FAST_LOAD_ATTR)
#define GRADLAB_PY_ENUM(name) name,
  GRADLAB_PY_OPS(GRADLAB_PY_ENUM)
#undef GRADLAB_PY_ENUM
      OP_COUNT
};

/// Source span of one instruction (CPython's co_positions): 1-based lines, 0-based columns
/// in characters (end exclusive); line 0 when the instruction has none.
struct position {
  std::int32_t line = 0, end_line = 0, col = -1, end_col = -1;
  /// For tracebacks' anchors: the operator of a binary operation or the value/slice
  /// boundary of a subscript (columns on `line`), -1 when none.
  std::int32_t anchor_left = -1, anchor_right = -1;
};

/// The source of a module, shared by its code objects (tracebacks show its lines).
struct source_text : object {
  source_text(std::string f, std::string t);
  std::string filename, text;
  std::vector<std::uint32_t> line_starts;
  std::string line(int n) const;  ///< without the newline
};

struct code_object : object {
  code_object();
  void clear() noexcept override;
  std::vector<std::uint32_t> code;  ///< op | arg << 8
  std::vector<position> positions;
  std::vector<value> consts;
  std::vector<value> names;     ///< interned strs: attribute and global names
  std::vector<value> varnames;  ///< locals; parameters first
  std::vector<value> cellvars, freevars;
  std::vector<std::int32_t> cell_args;  ///< for each cell: the parameter it starts from, or -1
  std::int32_t argcount = 0, posonly = 0, kwonly = 0;
  bool varargs = false, varkw = false;
  bool class_body = false, module_body = false, generator = false;
  std::int32_t stacksize = 0;
  value name, qualname;
  ref<source_text> source;
  struct handler {
    std::uint32_t start, end, target, depth;
  };
  std::vector<handler> handlers;
  std::int32_t first_line = 0;
  std::size_t nlocals() const { return varnames.size(); }
  std::size_t nslots() const { return varnames.size() + cellvars.size() + freevars.size(); }
};

struct function_object : object {
  function_object(ref<code_object> c, ref<module_object> m);
  void clear() noexcept override;
  ref<code_object> code;
  ref<module_object> module;
  std::vector<value> defaults;  ///< for the last positional parameters
  value kwdefaults;             ///< dict or null
  std::vector<value> closure;   ///< cells
  value name, qualname;
};

struct range_object : object {
  range_object(std::int64_t start, std::int64_t stop, std::int64_t step);
  std::int64_t start, stop, step, length;
};

struct cell_object : object {
  cell_object();
  void clear() noexcept override;
  value v;
};

/// Compiles a parsed module into its code object. Throws syntax_error (including the
/// symbol table's and the compiler's SyntaxErrors). The compiler's SyntaxWarnings are
/// written to stderr as CPython writes them.
ref<code_object> compile_module(const program& prog, module_object* module, ref<source_text> src);

// ------------------------------------------------------------------ errors

/// A Python exception in flight through C++ code.
struct py_exception {
  value exc;             ///< an exception instance
  bool reraise = false;  ///< re-raised by a handler: no new traceback entry
};
/// Uncatchable stop: cancel flag, step limit (unwinds everything).
struct vm_stop {
  std::string message;
};

[[noreturn]] void raise(type_object* type, const std::string& msg);
[[noreturn]] void raise(type_object* type, const char* msg);
/// raisef(e_type, "can only concatenate %s (not \"%s\") to %s", a, b, c): printf-style (%s
/// takes a const char*, %d an int, %lld a long long), without a std::string per piece.
[[noreturn]] void raisef(type_object* type, const char* fmt, ...);
std::string strf(const char* fmt, ...);
/// type_name(v).c_str(), for raisef.
inline const char* tname(const value& v);
[[noreturn]] void raise_value(value exc);
value make_exception(type_object* type, const std::string& msg);
value make_exception_args(type_object* type, std::vector<value> args);

// ------------------------------------------------------------------ the runtime

struct frame {
  code_object* code = nullptr;
  value func;  ///< the function (keeps code and module alive); null for a module
  module_object* module = nullptr;
  value* locals = nullptr;  ///< varnames, then cells, then the value stack
  value* sp = nullptr;
  std::uint32_t ip = 0;   ///< the next instruction
  std::uint8_t cont = 0;  ///< what the caller does with the return value (vm.cpp)
  std::uint8_t cost = 1;  ///< recursion-depth units this frame counts
  std::int32_t aux = 0;
  value extra;  ///< continuation data
  value ns;     ///< class body namespace (a dict), else null
  std::uint32_t chunk = 0;
};

struct runtime {
  runtime();
  ~runtime();
  interpreter* ip = nullptr;
  object* objects = nullptr;  ///< every live object (a list, for teardown)
  std::size_t live = 0;

  // built-in types
  type_object *t_type{}, *t_object{}, *t_none{}, *t_bool{}, *t_int{}, *t_float{}, *t_str{},
      *t_tuple{}, *t_list{}, *t_dict{}, *t_set{}, *t_frozenset{}, *t_range{}, *t_slice{},
      *t_function{}, *t_builtin{}, *t_method{}, *t_module{}, *t_cell{}, *t_code{}, *t_property{},
      *t_staticmethod{}, *t_classmethod{}, *t_super{}, *t_notimpl{}, *t_ellipsis{}, *t_source{},
      *t_generator{}, *t_list_iter{}, *t_tuple_iter{}, *t_range_iter{}, *t_str_iter{},
      *t_dict_keyiter{}, *t_dict_valueiter{}, *t_dict_itemiter{}, *t_set_iter{}, *t_zip{},
      *t_enumerate{}, *t_map{}, *t_filter{}, *t_reversed{}, *t_callable_iter{}, *t_seq_iter{},
      *t_dict_keys{}, *t_dict_values{}, *t_dict_items{}, *t_ordered_dict{}, *t_textio{};
  // exceptions
  type_object *e_base{}, *e_exception{}, *e_arith{}, *e_zero{}, *e_overflow{}, *e_lookup{},
      *e_index{}, *e_key{}, *e_type{}, *e_value{}, *e_name{}, *e_unbound{}, *e_attr{}, *e_assert{},
      *e_runtime{}, *e_recursion{}, *e_notimpl{}, *e_stop{}, *e_import{}, *e_modnotfound{},
      *e_syntax{}, *e_indent{}, *e_tab{}, *e_keyboard{}, *e_systemexit{}, *e_memory{}, *e_timeout{},
      *e_unicode{}, *e_os{}, *e_eof{}, *e_floatingpoint{};
  std::vector<type_object*> all_types;  ///< built-in types (counted)
  value not_implemented, ellipsis;
  dict_table slot_index;  ///< "__add__" -> its slot
  dict_table interned;
  value s_init, s_name, s_qualname, s_module, s_class, s_dict, s_call, s_args, s_self;

  // modules
  ref<module_object> builtins;
  dict_table modules;  ///< sys.modules
  struct module_def {
    std::string name;
    void (*build)(interpreter&, module_object&, void*);
    void* data;
    std::string source;  ///< Python source instead of a builder
    std::string filename;
    bool python = false;
    bool builtin = false;  ///< gradlab's own (sys, math, ...): built-in argument messages
  };
  std::vector<module_def> module_defs;
  bool building_builtins = false;      ///< natives made now get built-in argument messages
  std::vector<signature*> signatures;  ///< owned

  // output
  void* out_ctx = nullptr;
  void (*out)(void* ctx, int stream, const char* s, std::size_t n) = nullptr;
  void write(int stream, const std::string& s);

  // the VM
  std::vector<frame> frames;
  std::vector<std::vector<value>> chunks;
  std::uint32_t chunk = 0;
  std::size_t chunk_top = 0;
  int depth = 0;   ///< recursion-depth units in use
  int nested = 0;  ///< native -> Python re-entries in progress
  value handled;   ///< the exception being handled (sys.exc_info)
  value kwnames;   ///< set by KW_NAMES for the next CALL
  bool pause_requested = false;
  const volatile bool* cancel_flag = nullptr;
  std::uint64_t tick = 0;            ///< instructions until the next check_events()
  std::uint64_t tick_base = 0;       ///< what tick was refilled to
  std::uint64_t slice_left = 0;      ///< of the current run() call
  std::uint64_t limit_left = ~0ull;  ///< of the whole script (a step limit)
  std::uint64_t steps = 0;
  bool stopping = false;  ///< cancelled or out of steps: no handler may catch
  void (*line_hook)(void*, interpreter&, int) = nullptr;
  void* line_ctx = nullptr;
  int last_line = -1;
  ref<module_object> main;
  value result_error;  ///< the uncaught exception of the last run
  std::string stop_message;
};

/// The runtime of the interpreter running on this thread.
runtime& rt();

/// Counts one step of a long loop in native code (an item of an iteration), so that the
/// cancel flag and the step limit also stop `list(range(10**12))`.
void native_check();
inline void native_tick() {
  runtime& r = rt();
  if (r.tick > 0) --r.tick;
  if (r.tick == 0) native_check();
}
/// The most items a list, tuple or str may have (a MemoryError beyond, before the host
/// runs out of memory).
constexpr std::size_t kMaxItems = std::size_t(1) << 25;
/// MemoryError when a result would have more than kMaxItems items (or 8x as many bytes).
void check_size(std::size_t items, bool bytes = false);
/// CPython's Py_EnterRecursiveCall: a native recursion (repr, comparison or hash of nested
/// containers) counts against the recursion limit, and stops when the stack runs low.
struct recursion_scope {
  explicit recursion_scope(const char* where);  ///< " in comparison", ...
  ~recursion_scope();
};

struct runtime_scope {
  runtime* saved;
  stack_base_scope stack;
  explicit runtime_scope(runtime* r);
  ~runtime_scope();
};

// ------------------------------------------------------------------ operations (ops.cpp)

value type_name_value(const value& v);
const std::string& type_name(const value& v);
inline const char* tname(const value& v) { return type_name(v).c_str(); }
bool truthy(const value& v);           ///< may run Python (__bool__, __len__)
std::int64_t py_hash(const value& v);  ///< TypeError for unhashable values
std::int64_t str_hash(const char* s, std::size_t n);
bool py_eq(const value& a, const value& b);                    ///< ==, as a bool
value compare(const value& a, const value& b, compare_op op);  ///< rich comparison
bool compare_bool(const value& a, const value& b, compare_op op);
value binary(const value& a, const value& b, binary_op op, bool inplace);
/// One step of a binary operation: a result, or null with fn set to the special method to
/// call (on b, a when swapped); call again with the same stage if it returns NotImplemented.
value binary_step(const value& a, const value& b, binary_op op, bool inplace, int& stage, value& fn,
                  bool& swapped);
value compare_step(const value& a, const value& b, compare_op op, int& stage, value& fn,
                   bool& swapped, bool& invert);
value unary(const value& a, unary_op op);
value repr(const value& v);  ///< a str
value str(const value& v);   ///< a str
std::string repr_s(const value& v);
std::string str_s(const value& v);
value format(const value& v, const std::string& spec);
value getattr(const value& obj, const value& name);      ///< AttributeError if missing
value getattr_opt(const value& obj, const value& name);  ///< null if missing
void setattr(const value& obj, const value& name, value v);
void delattr(const value& obj, const value& name);
value getitem(const value& obj, const value& key);
void setitem(const value& obj, const value& key, value v);
void delitem(const value& obj, const value& key);
bool contains(const value& container, const value& item);
value iter(const value& v);
value next(const value& it);  ///< null when exhausted
std::int64_t len(const value& v);
value call(const value& f, std::vector<value> args, const value& kwargs = value());
value call_args(const value& f, value* args, std::size_t n, const value& kwnames = value());
std::vector<value> to_vector(const value& iterable);
std::int64_t index_of(const value& v, const char* what);  ///< __index__: ints and bools
double to_double(const value& v);                         ///< int/float/bool, TypeError otherwise
bool is_int_like(const value& v);
value lookup_special(const value& obj, slot s);  ///< bound method or null

// numbers (number.cpp)
value num_binary(const value& a, const value& b, binary_op op);  ///< null if not numbers
std::int64_t hash_int(std::int64_t i);
std::int64_t hash_float(double d);
std::string int_repr(std::int64_t i);
std::string float_repr(double d);
[[noreturn]] void overflow();
value parse_int(const std::string& s, int base, bool& ok);
bool parse_float(const std::string& s, double& out);

// types (types.cpp)
type_object* new_builtin_type(const char* name, type_object* base, layout kind);
void add_method(type_object* t, const char* name, native_fn fn, const char* params = nullptr);
void add_function(module_object* m, const char* name, native_fn fn, const char* params = nullptr);
value make_native(const char* name, native_fn fn, const char* params, type_object* owner = nullptr);
const signature* parse_signature(const std::string& name, const char* params);
value make_class(const value& name, const value& bases, const value& ns, const value& qualname);
value instantiate(type_object* t, value* args, std::size_t n, const value& kwnames);
value type_call(type_object* t, value* args, std::size_t n, const value& kwnames);
value find_attr(const value& obj, const value& name, bool& bound_method);

// strings (str.cpp)
std::size_t utf8_length(const std::string& s);
std::string str_slice(str_object* s, std::int64_t start, std::int64_t stop, std::int64_t step);
std::string quote(const std::string& s);         ///< Python's repr() of a str
std::string ascii_escape(const std::string& s);  ///< non-ASCII code points as \x, \u, \U
void init_str_methods(runtime& r);
value str_getitem(str_object* s, const value& key);

// sequences (sequence.cpp)
void init_list_methods(runtime& r);
bool slice_indices(const value& slice, std::int64_t length, std::int64_t& start, std::int64_t& stop,
                   std::int64_t& step, std::int64_t& count);
std::int64_t norm_index(std::int64_t i, std::int64_t n, const char* what);
value seq_getitem(const value& seq, const value& key);
std::string seq_repr(const std::vector<value>& items, const char* open, const char* close,
                     bool tuple);
bool seq_eq(const std::vector<value>& a, const std::vector<value>& b);
value seq_compare(const std::vector<value>& a, const std::vector<value>& b, compare_op op);

// dicts and sets (dict.cpp, set.cpp)
void init_dict_methods(runtime& r);
void init_set_methods(runtime& r);
std::string dict_repr(dict_object* d);
std::string set_repr(set_object* s);
value make_set(type_object* t);
void set_update(set_object* s, const value& iterable);

// formatting (format.cpp)
std::string format_int(std::int64_t v, const std::string& spec);
std::string format_float(double v, const std::string& spec);
std::string format_str(const std::string& s, const std::string& spec);
value percent_format(const std::string& fmt, const value& args);
value str_format_method(const std::string& fmt, value* args, std::size_t n, const value& kwargs);

// builtins and modules
void init_builtins(runtime& r);
void init_exceptions(runtime& r);
void init_iterators(runtime& r);
void register_std_modules(runtime& r);
value import_module(const std::string& name, bool leaf);
value import_from(const value& module, const value& name);

// the VM (vm.cpp)
value run_nested(const value& f, value* args, std::size_t n, const value& kwnames);
std::string format_traceback(const value& exc);
std::string format_syntax_error(const syntax_error& e, const std::string& filename);
int current_line();

}  // namespace gradlab::py
