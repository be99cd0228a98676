#pragma once
// Private: the compiler from the AST to code objects. scope.cpp builds the symbol tables
// (which names are local, cells, free, global); compile_stmt.cpp and compile_expr.cpp
// generate the bytecode, with CPython 3.11's instruction positions (tracebacks' carets).
#include <memory>
#include <string>
#include <vector>

#include "python/runtime.hpp"

namespace gradlab::py {

enum sym_flag : std::uint16_t {
  s_local = 1,
  s_param = 2,
  s_global = 4,
  s_nonlocal = 8,
  s_use = 16,
};
enum class binding : std::uint8_t { local, cell, free, global_explicit, global_implicit };
enum class scope_kind : std::uint8_t { module, function, class_body };

struct symbol {
  std::string name;
  std::uint16_t flags = 0;
  binding b = binding::global_implicit;
};

struct scope {
  scope_kind kind = scope_kind::module;
  int node = -1;
  std::string name, qualname;
  scope* parent = nullptr;
  std::vector<std::unique_ptr<scope>> children;
  std::vector<symbol> syms;
  std::vector<std::string> params;  ///< in CPython's order (positional, kw-only, *a, **k)
  int argcount = 0, posonly = 0, kwonly = 0;
  bool varargs = false, varkw = false;
  bool class_cell = false;  ///< a class whose methods use super() / __class__
  bool comprehension = false;
  std::size_t next_child = 0;  ///< codegen walks children in order
  symbol* find(const std::string& n);
  symbol& add(const std::string& n);
};

/// Builds the scopes of a module (throws syntax_error for the symbol table's errors).
std::unique_ptr<scope> build_scopes(const program& prog);

struct fblock {
  enum kind {
    while_loop,
    for_loop,
    try_except,
    finally_try,
    finally_end,
    with,
    handler_cleanup,
    pop_value
  } k;
  int start = -1, exit = -1;      ///< labels (loops)
  int body = -1;                  ///< the finally body node (finally_try)
  std::string name;               ///< handler_cleanup: the bound name
  std::size_t handler_depth = 0;  ///< handler stack size when the block began
};

struct label {
  int pos = -1;    ///< instruction index once placed
  int depth = -1;  ///< stack depth there, when known
};

class compiler {
 public:
  compiler(const program& p, module_object* m, ref<source_text> src);
  ref<code_object> compile_module();

 private:
  // units
  struct unit {
    scope* sc = nullptr;
    ref<code_object> co;
    std::vector<fblock> fblocks;
    std::vector<int> handler_stack;  ///< indices into handlers
    struct handler_desc {
      int target;  ///< label
      int depth;
    };
    std::vector<handler_desc> handlers;
    std::vector<std::int32_t> instr_handler;
    std::vector<std::pair<int, int>> patches;  ///< (instruction, label)
    std::vector<label> labels;
    int depth = 0, maxdepth = 0;
    position loc;
  };
  ref<code_object> compile_scope(scope* sc, int body_node, const std::vector<int>& body);
  void finish_unit(unit& u);

  // emitting
  int emit(op o, std::uint32_t arg = 0);
  int emit_jump(op o, int label);
  int new_label();
  void place(int label);
  int stack_effect(op o, std::uint32_t arg) const;
  std::uint32_t add_const(value v);
  std::uint32_t add_name(const std::string& n);
  void push_handler(int target_label, int depth = -1);
  void pop_handler();
  void set_loc(int node);
  position loc_of(int node) const;
  void attr_loc(int node);  ///< CPython's location for an attribute access

  // statements (compile_stmt.cpp)
  void stmt(int s);
  void stmts(int block);
  void assign_target(int t);
  void delete_target(int t);
  void name_op(const std::string& n, expr_ctx ctx, int node);
  void function_def(int s);
  void class_def(int s);
  void if_stmt(int s);
  void while_stmt(int s);
  void for_stmt(int s);
  void try_stmt(int s);
  void try_except(int s);
  void try_finally(int s);
  void with_stmt(int s, std::size_t item);
  void return_stmt(int s);
  void break_continue(int s, bool is_break);
  bool unwind_fblocks(bool preserve_tos, bool to_loop, fblock* loop);
  void unwind(const fblock& b, bool preserve_tos);
  void import_stmt(int s);
  void import_from(int s);
  void aug_assign(int s);
  void assert_stmt(int s);
  void raise_stmt(int s);
  void param_stmt(int s);

  // expressions (compile_expr.cpp)
  void expr(int e);
  void expr_spine(int e);
  void call(int e);
  void call_args(int e, std::size_t first_arg, bool method);
  void bool_op(int e);
  void compare(int e);
  void jump_if(int e, bool cond, int label);
  void collection(int e, node_kind kind);
  void dict_display(int e);
  void comprehension(int e);
  void comprehension_body(int e);
  void lambda(int e);
  void fstring(int e);
  void make_closure(scope* child, std::uint32_t flags);
  void unpack(int target);
  void subscript(int e);
  void const_expr(int e);

  const program& prog_;
  module_object* module_;
  ref<source_text> src_;
  std::unique_ptr<scope> top_;
  unit* u_ = nullptr;
  int genexp_call_ = -1;  ///< a call whose only argument is a generator expression
  void warn(int node, const std::string& msg);
  friend struct loc_guard;
};

/// Sets the compiler's location for a node's duration.
struct loc_guard {
  compiler& c;
  position saved;
  loc_guard(compiler& cc, int node);
  ~loc_guard() { c.u_->loc = saved; }
};

}  // namespace gradlab::py
