// Code generation for statements, and the compiler's plumbing: instructions with CPython
// 3.11's positions, labels, stack depths, and exception handlers recorded per instruction
// (turned into each code object's handler table). try/finally and with bodies are left
// by return/break/continue through inline copies of their cleanup, as CPython compiles them.
#include <algorithm>

#include "python/compiler.hpp"

namespace gradlab::py {

loc_guard::loc_guard(compiler& cc, int node) : c(cc), saved(cc.u_->loc) { c.set_loc(node); }

compiler::compiler(const program& p, module_object* m, ref<source_text> src)
    : prog_(p), module_(m), src_(std::move(src)) {}

namespace {
[[noreturn]] void fail_node(const program& p, int node, const std::string& msg) {
  syntax_error e;
  const span& s = p.at(node).where;
  e.message = msg;
  e.line = s.line;
  e.offset = s.col;
  e.end_line = s.end_line;
  e.end_offset = s.end_col;
  e.text = source_line(p.source, s.line) + "\n";
  throw e;
}
}  // namespace

// ------------------------------------------------------------------ plumbing

position compiler::loc_of(int n) const {
  const span& s = prog_.at(n).where;
  position p;
  p.line = s.line;
  p.end_line = s.end_line;
  p.col = s.col - 1;
  p.end_col = s.end_col - 1;
  const node& nd = prog_.at(n);
  if (s.line == s.end_line) {
    if (nd.kind == node_kind::binop) {
      const span& l = prog_.at(nd.kids[0]).where;
      const span& r = prog_.at(nd.kids[1]).where;
      // CPython: the first non-blank character between the operands
      if (l.end_line == s.line && r.line == s.line) {
        const std::string text = src_->line(s.line);
        std::size_t byte = 0;
        int col = 1;
        while (byte < text.size() && col < l.end_col) {
          ++byte;
          while (byte < text.size() && (static_cast<unsigned char>(text[byte]) & 0xC0) == 0x80)
            ++byte;
          ++col;
        }
        for (int c = l.end_col; c < r.col && byte < text.size(); ++c) {
          const char ch = text[byte];
          if (ch != ' ' && ch != '\t' && ch != '\f') {
            p.anchor_left = c - 1;
            p.anchor_right = c;
            const std::size_t nb = byte + 1;
            if (c + 1 < r.col && nb < text.size() && text[nb] != ' ' && text[nb] != '\t' &&
                text[nb] != '\f')
              p.anchor_right = c + 1;
            break;
          }
          ++byte;
          while (byte < text.size() && (static_cast<unsigned char>(text[byte]) & 0xC0) == 0x80)
            ++byte;
        }
      }
    } else if (nd.kind == node_kind::subscript) {
      const span& v = prog_.at(nd.kids[0]).where;
      const span& sl = prog_.at(nd.kids[1]).where;
      if (v.end_line == s.line && sl.end_line == s.line) {
        p.anchor_left = v.end_col - 1;
        p.anchor_right = sl.end_col;  // slice end + 1 (0-based)
      }
    }
  }
  return p;
}

void compiler::set_loc(int n) { u_->loc = loc_of(n); }

// CPython's update_start_location_to_match_attr: a multi-line attribute points at its name.
void compiler::attr_loc(int n) {
  const node& a = prog_.at(n);
  position p = loc_of(n);
  p.anchor_left = p.anchor_right = -1;
  if (p.line != p.end_line) {
    p.line = p.end_line;
    const int len = static_cast<int>(utf8_length(a.text));
    p.col = len <= p.end_col ? p.end_col - len : -1;
    if (p.col < 0) p.end_col = -1;
  }
  u_->loc = p;
}

int compiler::new_label() {
  u_->labels.push_back(label{});
  return static_cast<int>(u_->labels.size()) - 1;
}

void compiler::place(int l) {
  label& lb = u_->labels[static_cast<std::size_t>(l)];
  lb.pos = static_cast<int>(u_->co->code.size());
  if (lb.depth >= 0)
    u_->depth = lb.depth;
  else
    lb.depth = u_->depth;
}

int compiler::stack_effect(op o, std::uint32_t arg) const {
  switch (o) {
    case POP_TOP:
    case STORE_FAST:
    case STORE_DEREF:
    case STORE_GLOBAL:
    case STORE_NAME:
    case DELETE_ATTR:
    case BINARY_SUBSCR:
    case BINARY_OP:
    case COMPARE_OP:
    case IS_OP:
    case CONTAINS_OP:
    case POP_JUMP_IF_FALSE:
    case POP_JUMP_IF_TRUE:
    case JUMP_IF_FALSE_OR_POP:
    case JUMP_IF_TRUE_OR_POP:
    case LIST_APPEND:
    case SET_ADD:
    case LIST_EXTEND:
    case SET_UPDATE:
    case DICT_UPDATE:
    case DICT_MERGE:
    case RETURN_VALUE:
    case RERAISE:
    case POP_EXCEPT:
    case IMPORT_STAR:
    case POP_JUMP_IF_NOT_NONE:
      return -1;
    case PUSH_NULL:
    case COPY:
    case LOAD_CONST:
    case LOAD_FAST:
    case LOAD_DEREF:
    case LOAD_CLASSDEREF:
    case LOAD_GLOBAL:
    case LOAD_NAME:
    case LOAD_METHOD:
    case FOR_ITER:
    case LOAD_CLOSURE:
    case PUSH_EXC_INFO:
    case BEFORE_WITH:
    case WITH_EXCEPT_START:
    case IMPORT_NAME:
    case IMPORT_FROM:
    case LOAD_ASSERTION_ERROR:
      return 1;
    case STORE_ATTR:
    case DELETE_SUBSCR:
    case MAP_ADD:
    case CLEANUP_RERAISE:
    case BUILD_CLASS:
      return -2;
    case STORE_SUBSCR:
      return -3;
    case BUILD_SLICE:
      return 1 - static_cast<int>(arg);
    case BUILD_TUPLE:
    case BUILD_LIST:
    case BUILD_SET:
    case BUILD_STRING:
      return 1 - static_cast<int>(arg);
    case BUILD_MAP:
      return 1 - 2 * static_cast<int>(arg);
    case UNPACK_SEQUENCE:
      return static_cast<int>(arg) - 1;
    case UNPACK_EX:
      return static_cast<int>((arg & 0xFF) + (arg >> 8));
    case CALL:
      return -1 - static_cast<int>(arg);
    case CALL_FUNCTION_EX:
      return (arg & 1) ? -3 : -2;
    case MAKE_FUNCTION:
      return -(((arg & 1) ? 1 : 0) + ((arg & 2) ? 1 : 0) + ((arg & 8) ? 1 : 0));
    case RAISE_VARARGS:
      return -static_cast<int>(arg);
    case FORMAT_VALUE:
      return (arg & 4) ? -1 : 0;
    default:
      return 0;
  }
}

int compiler::emit(op o, std::uint32_t arg) {
  unit& u = *u_;
  u.co->code.push_back(static_cast<std::uint32_t>(o) | (arg << 8));
  u.co->positions.push_back(u.loc);
  u.instr_handler.push_back(u.handler_stack.empty() ? -1 : u.handler_stack.back());
  u.depth += stack_effect(o, arg);
  if (u.depth > u.maxdepth) u.maxdepth = u.depth;
  return static_cast<int>(u.co->code.size()) - 1;
}

int compiler::emit_jump(op o, int l) {
  // the depth at the target: after the jump pops its operand (or keeps it for *_OR_POP)
  const int at_target = o == JUMP_IF_FALSE_OR_POP || o == JUMP_IF_TRUE_OR_POP ? u_->depth
                        : o == FOR_ITER                                       ? u_->depth - 1
                        : o == JUMP                                           ? u_->depth
                                                                              : u_->depth - 1;
  const int i = emit(o, 0);
  u_->patches.emplace_back(i, l);
  label& lb = u_->labels[static_cast<std::size_t>(l)];
  if (lb.depth < 0) lb.depth = at_target;
  return i;
}

std::uint32_t compiler::add_const(value v) {
  auto& consts = u_->co->consts;
  for (std::size_t i = 0; i < consts.size(); ++i)
    if (consts[i].kind() == v.kind() && consts[i].is(v)) return static_cast<std::uint32_t>(i);
  if (is_str(v))
    for (std::size_t i = 0; i < consts.size(); ++i)
      if (is_str(consts[i]) && str_of(consts[i]) == str_of(v)) return static_cast<std::uint32_t>(i);
  consts.push_back(std::move(v));
  return static_cast<std::uint32_t>(consts.size() - 1);
}

std::uint32_t compiler::add_name(const std::string& n) {
  auto& names = u_->co->names;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (str_of(names[i]) == n) return static_cast<std::uint32_t>(i);
  names.push_back(intern(n));
  return static_cast<std::uint32_t>(names.size() - 1);
}

void compiler::push_handler(int target, int depth) {
  if (depth < 0) depth = u_->depth;
  u_->handlers.push_back({target, depth});
  u_->handler_stack.push_back(static_cast<int>(u_->handlers.size()) - 1);
  label& lb = u_->labels[static_cast<std::size_t>(target)];
  if (lb.depth < 0) lb.depth = depth + 1;
}

void compiler::pop_handler() { u_->handler_stack.pop_back(); }

void compiler::finish_unit(unit& u) {
  code_object* co = u.co.get();
  for (auto& pt : u.patches) {
    const label& lb = u.labels[static_cast<std::size_t>(pt.second)];
    co->code[static_cast<std::size_t>(pt.first)] =
        (co->code[static_cast<std::size_t>(pt.first)] & 0xFF) |
        (static_cast<std::uint32_t>(lb.pos) << 8);
  }
  // runs of instructions with the same handler become the handler table
  for (std::size_t i = 0; i < u.instr_handler.size();) {
    const int h = u.instr_handler[i];
    std::size_t j = i + 1;
    while (j < u.instr_handler.size() && u.instr_handler[j] == h) ++j;
    if (h >= 0) {
      const auto& d = u.handlers[static_cast<std::size_t>(h)];
      co->handlers.push_back(
          {static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j),
           static_cast<std::uint32_t>(u.labels[static_cast<std::size_t>(d.target)].pos),
           static_cast<std::uint32_t>(d.depth)});
    }
    i = j;
  }
  co->stacksize = u.maxdepth + 2;
}

// ------------------------------------------------------------------ units

ref<code_object> compiler::compile_module() {
  top_ = build_scopes(prog_);
  const std::vector<int>& body = prog_.at(prog_.root).kids;
  return compile_scope(top_.get(), prog_.root, body);
}

ref<code_object> compiler::compile_scope(scope* sc, int body_node, const std::vector<int>& body) {
  unit u;
  u.sc = sc;
  u.co = ref<code_object>::adopt(new code_object());
  code_object* co = u.co.get();
  co->source = src_;
  co->name = intern(sc->name);
  co->qualname = make_str(sc->qualname.empty() ? sc->name : sc->qualname);
  co->module_body = sc->kind == scope_kind::module;
  co->class_body = sc->kind == scope_kind::class_body;
  co->argcount = sc->argcount;
  co->posonly = sc->posonly;
  co->kwonly = sc->kwonly;
  co->varargs = sc->varargs;
  co->varkw = sc->varkw;
  co->first_line = prog_.at(body_node).where.line;
  for (const std::string& p : sc->params) co->varnames.push_back(intern(p));
  std::vector<std::string> cells, frees;
  for (const symbol& s : sc->syms) {
    if (s.b == binding::cell) cells.push_back(s.name);
    if (s.b == binding::free && sc->kind != scope_kind::module) frees.push_back(s.name);
  }
  std::sort(cells.begin(), cells.end());
  std::sort(frees.begin(), frees.end());
  for (const std::string& c : cells) {
    co->cellvars.push_back(intern(c));
    std::int32_t arg = -1;
    for (std::size_t i = 0; i < sc->params.size(); ++i)
      if (sc->params[i] == c) arg = static_cast<std::int32_t>(i);
    co->cell_args.push_back(arg);
  }
  for (const std::string& f : frees) co->freevars.push_back(intern(f));
  unit* saved = u_;
  u_ = &u;
  u.loc = position{};
  u.loc.line = co->first_line;
  if (sc->kind == scope_kind::class_body) {
    // __module__ and __qualname__ are set by BUILD_CLASS; the body runs here
    for (int s : body) stmt(s);
    u.loc = position{};
    if (sc->class_cell) {
      emit(LOAD_CLOSURE, 0);
    } else {
      emit(LOAD_CONST, add_const(value::none()));
    }
    emit(RETURN_VALUE);
  } else if (prog_.at(body_node).kind == node_kind::lambda) {
    const int e = prog_.at(body_node).kids[1];
    expr(e);
    set_loc(e);
    emit(RETURN_VALUE);
  } else if (sc->comprehension) {
    comprehension_body(body_node);
  } else {
    for (int s : body) stmt(s);
    u.loc = position{};
    emit(LOAD_CONST, add_const(value::none()));
    emit(RETURN_VALUE);
  }
  finish_unit(u);
  u_ = saved;
  return u.co;
}

// ------------------------------------------------------------------ names

void compiler::name_op(const std::string& n, expr_ctx ctx, int node) {
  scope* sc = u_->sc;
  code_object* co = u_->co.get();
  symbol* s = sc->find(n);
  binding b = s ? s->b : binding::global_implicit;
  if (sc->kind == scope_kind::module) b = binding::global_explicit;
  auto cell_index = [&]() -> std::uint32_t {
    for (std::size_t i = 0; i < co->cellvars.size(); ++i)
      if (str_of(co->cellvars[i]) == n) return static_cast<std::uint32_t>(i);
    for (std::size_t i = 0; i < co->freevars.size(); ++i)
      if (str_of(co->freevars[i]) == n) return static_cast<std::uint32_t>(co->cellvars.size() + i);
    return 0;
  };
  (void)node;
  switch (b) {
    case binding::local:
      if (sc->kind == scope_kind::class_body) {
        const std::uint32_t k = add_name(n);
        emit(ctx == expr_ctx::load    ? LOAD_NAME
             : ctx == expr_ctx::store ? STORE_NAME
                                      : DELETE_NAME,
             k);
        return;
      } else {
        std::uint32_t k = 0;
        bool found = false;
        for (std::size_t i = 0; i < co->varnames.size(); ++i)
          if (str_of(co->varnames[i]) == n) {
            k = static_cast<std::uint32_t>(i);
            found = true;
          }
        if (!found) {
          co->varnames.push_back(intern(n));
          k = static_cast<std::uint32_t>(co->varnames.size() - 1);
        }
        emit(ctx == expr_ctx::load    ? LOAD_FAST
             : ctx == expr_ctx::store ? STORE_FAST
                                      : DELETE_FAST,
             k);
        return;
      }
    case binding::cell:
    case binding::free: {
      const std::uint32_t k = cell_index();
      if (ctx == expr_ctx::load)
        emit(sc->kind == scope_kind::class_body ? LOAD_CLASSDEREF : LOAD_DEREF, k);
      else
        emit(ctx == expr_ctx::store ? STORE_DEREF : DELETE_DEREF, k);
      return;
    }
    case binding::global_implicit:
      if (sc->kind == scope_kind::class_body) {
        const std::uint32_t k = add_name(n);
        emit(ctx == expr_ctx::load    ? LOAD_NAME
             : ctx == expr_ctx::store ? STORE_NAME
                                      : DELETE_NAME,
             k);
        return;
      }
      [[fallthrough]];
    case binding::global_explicit: {
      const auto k = static_cast<std::uint32_t>(module_->slot_for(intern(n)));
      emit(ctx == expr_ctx::load    ? LOAD_GLOBAL
           : ctx == expr_ctx::store ? STORE_GLOBAL
                                    : DELETE_GLOBAL,
           k);
      return;
    }
  }
}

// ------------------------------------------------------------------ statements

void compiler::stmts(int block) {
  if (block < 0) return;
  for (int s : prog_.at(block).kids) stmt(s);
}

void compiler::stmt(int s) {
  check_stack_compiling();
  const node& n = prog_.at(s);
  loc_guard g(*this, s);
  switch (n.kind) {
    case node_kind::expr_stmt:
      expr(n.kids[0]);
      emit(POP_TOP);
      break;
    case node_kind::assign: {
      expr(n.kids.back());
      for (std::size_t i = 0; i + 1 < n.kids.size(); ++i) {
        if (i + 2 < n.kids.size()) emit(COPY, 1);
        assign_target(n.kids[i]);
      }
      break;
    }
    case node_kind::augassign:
      aug_assign(s);
      break;
    case node_kind::annassign:
      if (n.kids[2] >= 0) {
        expr(n.kids[2]);
        assign_target(n.kids[0]);
      }
      break;
    case node_kind::param:
      param_stmt(s);
      break;
    case node_kind::if_stmt:
      if_stmt(s);
      break;
    case node_kind::while_stmt:
      while_stmt(s);
      break;
    case node_kind::for_stmt:
      for_stmt(s);
      break;
    case node_kind::try_stmt:
      try_stmt(s);
      break;
    case node_kind::with_stmt:
      with_stmt(s, 1);
      break;
    case node_kind::def:
      function_def(s);
      break;
    case node_kind::class_def:
      class_def(s);
      break;
    case node_kind::return_stmt:
      return_stmt(s);
      break;
    case node_kind::break_stmt:
      break_continue(s, true);
      break;
    case node_kind::continue_stmt:
      break_continue(s, false);
      break;
    case node_kind::pass_stmt:
      break;
    case node_kind::raise_stmt:
      raise_stmt(s);
      break;
    case node_kind::assert_stmt:
      assert_stmt(s);
      break;
    case node_kind::del_stmt:
      for (int t : n.kids) delete_target(t);
      break;
    case node_kind::global_stmt:
    case node_kind::nonlocal_stmt:
      break;
    case node_kind::import_stmt:
      import_stmt(s);
      break;
    case node_kind::import_from:
      import_from(s);
      break;
    default:
      fail_node(prog_, s, "unsupported statement");
  }
}

void compiler::param_stmt(int s) {
  // the model language's `param` outside a model: evaluate the initial value and bind it
  const node& n = prog_.at(s);
  if (n.kids[0] >= 0)
    expr(n.kids[0]);
  else
    emit(LOAD_CONST, add_const(value::none()));
  name_op(n.text, expr_ctx::store, s);
}

void compiler::assign_target(int t) {
  const node& n = prog_.at(t);
  loc_guard g(*this, t);
  switch (n.kind) {
    case node_kind::name:
      name_op(n.text, expr_ctx::store, t);
      break;
    case node_kind::attribute:
      expr(n.kids[0]);
      attr_loc(t);
      emit(STORE_ATTR, add_name(n.text));
      break;
    case node_kind::subscript:
      expr(n.kids[0]);
      expr(n.kids[1]);
      set_loc(t);
      emit(STORE_SUBSCR);
      break;
    case node_kind::tuple:
    case node_kind::list:
      unpack(t);
      break;
    case node_kind::starred:
      fail_node(prog_, t, "starred assignment target must be in a list or tuple");
    default:
      fail_node(prog_, t, "cannot assign to expression");
  }
}

void compiler::unpack(int t) {
  const node& n = prog_.at(t);
  std::size_t star = n.kids.size();
  for (std::size_t i = 0; i < n.kids.size(); ++i)
    if (prog_.at(n.kids[i]).kind == node_kind::starred) {
      if (star != n.kids.size())
        fail_node(prog_, n.kids[i], "multiple starred expressions in assignment");
      star = i;
    }
  if (star == n.kids.size()) {
    emit(UNPACK_SEQUENCE, static_cast<std::uint32_t>(n.kids.size()));
  } else {
    const std::size_t after = n.kids.size() - star - 1;
    if (star > 255 || after > 255)
      fail_node(prog_, t, "too many expressions in star-unpacking assignment");
    emit(UNPACK_EX, static_cast<std::uint32_t>(star | (after << 8)));
  }
  for (int k : n.kids) {
    const node& kn = prog_.at(k);
    assign_target(kn.kind == node_kind::starred ? kn.kids[0] : k);
  }
}

void compiler::delete_target(int t) {
  const node& n = prog_.at(t);
  loc_guard g(*this, t);
  switch (n.kind) {
    case node_kind::name:
      name_op(n.text, expr_ctx::del, t);
      break;
    case node_kind::attribute:
      expr(n.kids[0]);
      attr_loc(t);
      emit(DELETE_ATTR, add_name(n.text));
      break;
    case node_kind::subscript:
      expr(n.kids[0]);
      expr(n.kids[1]);
      set_loc(t);
      emit(DELETE_SUBSCR);
      break;
    case node_kind::tuple:
    case node_kind::list:
      for (int k : n.kids) delete_target(k);
      break;
    default:
      fail_node(prog_, t, "cannot delete expression");
  }
}

void compiler::aug_assign(int s) {
  const node& n = prog_.at(s);
  const int t = n.kids[0];
  const node& tn = prog_.at(t);
  const std::uint32_t opcode = n.op | 0x100;
  {
    loc_guard g(*this, t);
    switch (tn.kind) {
      case node_kind::name:
        name_op(tn.text, expr_ctx::load, t);
        break;
      case node_kind::attribute:
        expr(tn.kids[0]);
        emit(COPY, 1);
        attr_loc(t);
        emit(LOAD_ATTR, add_name(tn.text));
        break;
      case node_kind::subscript:
        expr(tn.kids[0]);
        expr(tn.kids[1]);
        emit(COPY, 2);
        emit(COPY, 2);
        set_loc(t);
        emit(BINARY_SUBSCR);
        break;
      default:
        break;
    }
  }
  expr(n.kids[1]);
  emit(BINARY_OP, opcode);  // at the statement's position
  loc_guard g(*this, t);
  switch (tn.kind) {
    case node_kind::name:
      name_op(tn.text, expr_ctx::store, t);
      break;
    case node_kind::attribute:
      attr_loc(t);
      emit(SWAP, 2);
      emit(STORE_ATTR, add_name(tn.text));
      break;
    case node_kind::subscript:
      emit(SWAP, 3);
      emit(SWAP, 2);
      emit(STORE_SUBSCR);
      break;
    default:
      break;
  }
}

void compiler::if_stmt(int s) {
  const node& n = prog_.at(s);
  const int end = new_label();
  const int orelse = n.kids[2] >= 0 ? new_label() : end;
  jump_if(n.kids[0], false, orelse);
  stmts(n.kids[1]);
  if (n.kids[2] >= 0) {
    u_->loc = position{};
    emit_jump(JUMP, end);
    place(orelse);
    stmts(n.kids[2]);
  }
  place(end);
}

void compiler::while_stmt(int s) {
  const node& n = prog_.at(s);
  const int start = new_label(), orelse = new_label(), exit = new_label();
  place(start);
  jump_if(n.kids[0], false, orelse);
  u_->fblocks.push_back({fblock::while_loop, start, exit, -1, "", u_->handler_stack.size()});
  stmts(n.kids[1]);
  u_->fblocks.pop_back();
  u_->loc = position{};
  emit_jump(JUMP, start);
  place(orelse);
  stmts(n.kids[2]);
  place(exit);
}

void compiler::for_stmt(int s) {
  const node& n = prog_.at(s);
  const int start = new_label(), cleanup = new_label(), exit = new_label();
  expr(n.kids[1]);
  set_loc(s);
  emit(GET_ITER);
  place(start);
  emit_jump(FOR_ITER, cleanup);
  assign_target(n.kids[0]);
  u_->fblocks.push_back({fblock::for_loop, start, exit, -1, "", u_->handler_stack.size()});
  stmts(n.kids[2]);
  u_->fblocks.pop_back();
  u_->loc = position{};
  emit_jump(JUMP, start);
  place(cleanup);
  stmts(n.kids[3]);
  place(exit);
}

void compiler::return_stmt(int s) {
  const node& n = prog_.at(s);
  if (u_->sc->kind != scope_kind::function) fail_node(prog_, s, "'return' outside function");
  const bool has_value = n.kids[0] >= 0;
  if (has_value)
    expr(n.kids[0]);
  else
    emit(LOAD_CONST, add_const(value::none()));
  unwind_fblocks(true, false, nullptr);
  set_loc(s);
  emit(RETURN_VALUE);
}

void compiler::break_continue(int s, bool is_break) {
  fblock loop;
  if (!unwind_fblocks(false, true, &loop))
    fail_node(prog_, s, is_break ? "'break' outside loop" : "'continue' not properly in loop");
  set_loc(s);
  if (is_break && loop.k == fblock::for_loop) emit(POP_TOP);  // the iterator
  emit_jump(JUMP, is_break ? loop.exit : loop.start);
}

// Emits the cleanup of the blocks being left (innermost first), each as code outside the
// handlers of the blocks it leaves. With to_loop, stops at the innermost loop (returned).
bool compiler::unwind_fblocks(bool preserve_tos, bool to_loop, fblock* loop) {
  const std::vector<int> saved_handlers = u_->handler_stack;
  const std::vector<fblock> saved_blocks = u_->fblocks;
  bool found = false;
  for (std::size_t i = saved_blocks.size(); i-- > 0;) {
    const fblock b = saved_blocks[i];
    if (to_loop && (b.k == fblock::while_loop || b.k == fblock::for_loop)) {
      *loop = b;
      found = true;
      break;
    }
    u_->fblocks.resize(i);  // code emitted now is outside block i
    u_->handler_stack.resize(b.handler_depth);
    unwind(b, preserve_tos);
  }
  u_->fblocks = saved_blocks;
  u_->handler_stack = saved_handlers;
  return found;
}

void compiler::unwind(const fblock& b, bool preserve_tos) {
  switch (b.k) {
    case fblock::while_loop:
      break;
    case fblock::for_loop:
      if (preserve_tos) emit(SWAP, 2);
      emit(POP_TOP);
      break;
    case fblock::try_except:
      break;
    case fblock::finally_try: {
      if (preserve_tos)
        u_->fblocks.push_back({fblock::pop_value, -1, -1, -1, "", u_->handler_stack.size()});
      const position saved = u_->loc;
      stmts(b.body);
      u_->loc = saved;
      if (preserve_tos) u_->fblocks.pop_back();
      break;
    }
    case fblock::finally_end:
      if (preserve_tos) emit(SWAP, 2);
      emit(POP_TOP);  // the exception
      if (preserve_tos) emit(SWAP, 2);
      emit(POP_EXCEPT);
      break;
    case fblock::with:
      if (preserve_tos) emit(SWAP, 2);
      emit(CALL_EXIT);
      emit(POP_TOP);
      break;
    case fblock::handler_cleanup:
      if (preserve_tos) emit(SWAP, 2);
      emit(POP_EXCEPT);
      if (!b.name.empty()) {
        emit(LOAD_CONST, add_const(value::none()));
        name_op(b.name, expr_ctx::store, -1);
        name_op(b.name, expr_ctx::del, -1);
      }
      break;
    case fblock::pop_value:
      if (preserve_tos) emit(SWAP, 2);
      emit(POP_TOP);
      break;
  }
}

void compiler::try_stmt(int s) {
  const node& n = prog_.at(s);
  if (n.kids[2] >= 0)
    try_finally(s);
  else
    try_except(s);
}

void compiler::try_finally(int s) {
  const node& n = prog_.at(s);
  const int final_exc = new_label(), cleanup = new_label(), exit = new_label();
  push_handler(final_exc);
  u_->fblocks.push_back({fblock::finally_try, -1, -1, n.kids[2], "", u_->handler_stack.size() - 1});
  if (n.kids.size() > 3)
    try_except(s);
  else
    stmts(n.kids[0]);
  u_->fblocks.pop_back();
  pop_handler();
  stmts(n.kids[2]);
  u_->loc = position{};
  emit_jump(JUMP, exit);
  place(final_exc);  // stack: exc
  emit(PUSH_EXC_INFO);
  push_handler(cleanup, u_->depth - 1);  // keeps prev
  u_->fblocks.push_back({fblock::finally_end, -1, -1, -1, "", u_->handler_stack.size() - 1});
  stmts(n.kids[2]);
  u_->fblocks.pop_back();
  u_->loc = position{};
  emit(RERAISE);
  pop_handler();
  place(cleanup);  // stack: prev, exc
  emit(CLEANUP_RERAISE);
  place(exit);
}

void compiler::try_except(int s) {
  const node& n = prog_.at(s);
  const int handler = new_label(), cleanup = new_label(), end = new_label();
  push_handler(handler);
  u_->fblocks.push_back({fblock::try_except, -1, -1, -1, "", u_->handler_stack.size() - 1});
  stmts(n.kids[0]);
  u_->fblocks.pop_back();
  pop_handler();
  stmts(n.kids[1]);  // else
  u_->loc = position{};
  emit_jump(JUMP, end);
  place(handler);  // stack: exc
  emit(PUSH_EXC_INFO);
  push_handler(cleanup, u_->depth - 1);  // keeps prev
  for (std::size_t i = 3; i < n.kids.size(); ++i) {
    const int h = n.kids[i];
    const node& hn = prog_.at(h);
    loc_guard g(*this, h);
    if (hn.kids[0] < 0 && i + 1 < n.kids.size())
      fail_node(prog_, h, "default 'except:' must be last");
    const int next = new_label();
    if (hn.kids[0] >= 0) {
      expr(hn.kids[0]);
      emit(CHECK_EXC_MATCH);
      emit_jump(POP_JUMP_IF_FALSE, next);
    }
    if (!hn.text.empty()) {
      name_op(hn.text, expr_ctx::store, h);
      const int cleanup_name = new_label();
      push_handler(cleanup_name);
      u_->fblocks.push_back(
          {fblock::handler_cleanup, -1, -1, -1, hn.text, u_->handler_stack.size() - 2});
      stmts(hn.kids[1]);
      u_->fblocks.pop_back();
      pop_handler();
      u_->loc = position{};
      emit(POP_EXCEPT);
      emit(LOAD_CONST, add_const(value::none()));
      name_op(hn.text, expr_ctx::store, h);
      name_op(hn.text, expr_ctx::del, h);
      emit_jump(JUMP, end);
      place(cleanup_name);  // stack: prev, exc2
      emit(LOAD_CONST, add_const(value::none()));
      name_op(hn.text, expr_ctx::store, h);
      name_op(hn.text, expr_ctx::del, h);
      emit(RERAISE);
    } else {
      emit(POP_TOP);
      u_->fblocks.push_back(
          {fblock::handler_cleanup, -1, -1, -1, "", u_->handler_stack.size() - 1});
      stmts(hn.kids[1]);
      u_->fblocks.pop_back();
      u_->loc = position{};
      emit(POP_EXCEPT);
      emit_jump(JUMP, end);
    }
    place(next);
    u_->depth = u_->labels[static_cast<std::size_t>(next)].depth;
  }
  u_->loc = position{};
  emit(RERAISE);  // no handler matched
  pop_handler();
  place(cleanup);
  emit(CLEANUP_RERAISE);
  place(end);
}

void compiler::with_stmt(int s, std::size_t item) {
  const node& n = prog_.at(s);
  const int it = n.kids[item];
  const node& in = prog_.at(it);
  const int exc = new_label(), cleanup = new_label(), suppress = new_label(), end = new_label();
  expr(in.kids[0]);
  set_loc(s);
  emit(BEFORE_WITH);  // stack: exit, enter()
  u_->depth -= 1;
  push_handler(exc);  // the handler keeps exit
  u_->depth += 1;
  u_->fblocks.push_back({fblock::with, -1, -1, -1, "", u_->handler_stack.size() - 1});
  if (in.kids[1] >= 0)
    assign_target(in.kids[1]);
  else
    emit(POP_TOP);
  if (item + 1 < n.kids.size())
    with_stmt(s, item + 1);
  else
    stmts(n.kids[0]);
  u_->fblocks.pop_back();
  pop_handler();
  set_loc(s);
  emit(CALL_EXIT);
  emit(POP_TOP);
  emit_jump(JUMP, end);
  place(exc);  // stack: exit, exc
  emit(PUSH_EXC_INFO);
  push_handler(cleanup, u_->depth - 1);  // keeps exit, prev
  emit(WITH_EXCEPT_START);
  emit_jump(POP_JUMP_IF_TRUE, suppress);
  emit(RERAISE);
  place(suppress);
  emit(POP_TOP);
  emit(POP_EXCEPT);
  emit(POP_TOP);
  pop_handler();
  emit_jump(JUMP, end);
  place(cleanup);
  emit(CLEANUP_RERAISE);
  place(end);
}

void compiler::raise_stmt(int s) {
  const node& n = prog_.at(s);
  std::uint32_t count = 0;
  if (n.kids[0] >= 0) {
    expr(n.kids[0]);
    ++count;
    if (n.kids[1] >= 0) {
      expr(n.kids[1]);
      ++count;
    }
  }
  set_loc(s);
  emit(RAISE_VARARGS, count);
}

void compiler::assert_stmt(int s) {
  const node& n = prog_.at(s);
  const int ok = new_label();
  jump_if(n.kids[0], true, ok);
  // CPython 3.11 reports a failed assert at its comparison (a test that is a comparison,
  // also under `not` and at the end of an and/or chain), else at the statement
  int at = n.kids[0];
  for (;;) {
    const node& t = prog_.at(at);
    if (t.kind == node_kind::unary && t.op == static_cast<std::uint8_t>(unary_op::not_))
      at = t.kids[0];
    else if (t.kind == node_kind::boolop)
      at = t.kids.back();
    else
      break;
  }
  if (prog_.at(at).kind == node_kind::compare)
    set_loc(at);
  else
    set_loc(s);
  const position p = u_->loc;
  emit(LOAD_ASSERTION_ERROR);
  if (n.kids[1] >= 0) {
    emit(PUSH_NULL);
    expr(n.kids[1]);
    u_->loc = p;
    emit(CALL, 1);
  }
  emit(RAISE_VARARGS, 1);
  place(ok);
}

void compiler::import_stmt(int s) {
  const node& n = prog_.at(s);
  for (int a : n.kids) {
    const node& al = prog_.at(a);
    const bool leaf = al.kids[0] >= 0;
    emit(IMPORT_NAME, add_const(intern(al.text)) | (leaf ? 0x800000 : 0));
    if (leaf)
      name_op(prog_.at(al.kids[0]).text, expr_ctx::store, a);
    else
      name_op(al.text.substr(0, al.text.find('.')), expr_ctx::store, a);
  }
}

void compiler::import_from(int s) {
  const node& n = prog_.at(s);
  emit(IMPORT_NAME, add_const(intern(n.text)) | 0x800000);
  for (int a : n.kids) {
    const node& al = prog_.at(a);
    if (al.text == "*") {
      emit(IMPORT_STAR);
      return;
    }
    emit(IMPORT_FROM, add_name(al.text));
    name_op(al.kids[0] >= 0 ? prog_.at(al.kids[0]).text : al.text, expr_ctx::store, a);
  }
  emit(POP_TOP);
}

// ------------------------------------------------------------------ definitions

void compiler::make_closure(scope* child, std::uint32_t flags) {
  // the child's free variables, from this scope's cells and free variables
  std::vector<std::string> frees;
  for (const symbol& s : child->syms)
    if (s.b == binding::free) frees.push_back(s.name);
  std::sort(frees.begin(), frees.end());
  if (!frees.empty()) {
    code_object* co = u_->co.get();
    for (const std::string& f : frees) {
      std::uint32_t k = 0;
      for (std::size_t i = 0; i < co->cellvars.size(); ++i)
        if (str_of(co->cellvars[i]) == f) k = static_cast<std::uint32_t>(i);
      for (std::size_t i = 0; i < co->freevars.size(); ++i)
        if (str_of(co->freevars[i]) == f) k = static_cast<std::uint32_t>(co->cellvars.size() + i);
      emit(LOAD_CLOSURE, k);
    }
    emit(BUILD_TUPLE, static_cast<std::uint32_t>(frees.size()));
    flags |= 8;
  }
  ref<code_object> code;
  const node& cn = prog_.at(child->node);
  if (cn.kind == node_kind::def || cn.kind == node_kind::class_def)
    code = compile_scope(child, child->node,
                         prog_.at(cn.kids[cn.kind == node_kind::def ? 1 : 0]).kids);
  else
    code = compile_scope(child, child->node, {});
  emit(LOAD_CONST, add_const(value(code)));
  emit(MAKE_FUNCTION, flags);
}

void compiler::function_def(int s) {
  const node& n = prog_.at(s);
  scope* child = u_->sc->children[u_->sc->next_child++].get();
  for (std::size_t i = 3; i < n.kids.size(); ++i) {  // decorators, called innermost first
    expr(n.kids[i]);
    emit(PUSH_NULL);
  }
  std::uint32_t flags = 0;
  std::vector<int> pos_defaults, kw_defaults;
  for (int a : prog_.at(n.kids[0]).kids) {
    const node& arg = prog_.at(a);
    if (arg.kids[0] < 0) continue;
    if (static_cast<arg_kind>(arg.op) == arg_kind::keyword_only)
      kw_defaults.push_back(a);
    else
      pos_defaults.push_back(a);
  }
  if (!pos_defaults.empty()) {
    for (int a : pos_defaults) expr(prog_.at(a).kids[0]);
    emit(BUILD_TUPLE, static_cast<std::uint32_t>(pos_defaults.size()));
    flags |= 1;
  }
  if (!kw_defaults.empty()) {
    for (int a : kw_defaults) {
      emit(LOAD_CONST, add_const(intern(prog_.at(a).text)));
      expr(prog_.at(a).kids[0]);
    }
    emit(BUILD_MAP, static_cast<std::uint32_t>(kw_defaults.size()));
    flags |= 2;
  }
  make_closure(child, flags);
  for (std::size_t i = n.kids.size(); i-- > 3;) {
    loc_guard g(*this, n.kids[i]);
    emit(CALL, 1);
  }
  name_op(n.text, expr_ctx::store, s);
}

void compiler::class_def(int s) {
  const node& n = prog_.at(s);
  scope* child = u_->sc->children[u_->sc->next_child++].get();
  const auto ndec = static_cast<std::size_t>(n.ival);
  for (std::size_t i = 1; i <= ndec; ++i) {
    expr(n.kids[i]);
    emit(PUSH_NULL);
  }
  make_closure(child, 0);  // the body, as a function
  emit(LOAD_CONST, add_const(intern(n.text)));
  std::uint32_t nbases = 0;
  for (std::size_t i = 1 + ndec; i < n.kids.size(); ++i) {
    const node& b = prog_.at(n.kids[i]);
    if (b.kind == node_kind::keyword)
      fail_node(prog_, n.kids[i],
                "class keyword arguments (metaclass=...) are not supported by gradlab");
    if (b.kind == node_kind::starred)
      fail_node(prog_, n.kids[i], "starred base classes are not supported by gradlab");
    expr(n.kids[i]);
    ++nbases;
  }
  emit(BUILD_TUPLE, nbases);
  emit(BUILD_CLASS);
  for (std::size_t i = ndec; i >= 1; --i) {
    loc_guard g(*this, n.kids[i]);
    emit(CALL, 1);
  }
  name_op(n.text, expr_ctx::store, s);
}

ref<code_object> compile_module(const program& prog, module_object* module, ref<source_text> src) {
  compiler c(prog, module, std::move(src));
  return c.compile_module();
}

}  // namespace gradlab::py
