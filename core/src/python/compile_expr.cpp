// Code generation for expressions. Left-deep chains (a + b + c ..., a.b.c, x[i][j],
// f()(), - - x) are compiled by walking down their first operands in a loop, so a
// 3000-term sum does not recurse 3000 levels on the native stack.
#include "python/compiler.hpp"

namespace gradlab::py {

namespace {
bool is_starred(const program& p, int e) { return p.at(e).kind == node_kind::starred; }
}  // namespace

void compiler::const_expr(int e) {
  const node& n = prog_.at(e);
  value v;
  switch (static_cast<const_kind>(n.op)) {
    case const_kind::none:
      v = value::none();
      break;
    case const_kind::true_:
      v = value::from_bool(true);
      break;
    case const_kind::false_:
      v = value::from_bool(false);
      break;
    case const_kind::integer:
      v = value::from_int(n.ival);
      break;
    case const_kind::floating:
      v = value::from_float(n.fval);
      break;
    case const_kind::string:
      v = make_str(n.text);
      break;
    case const_kind::ellipsis:
      v = rt().ellipsis;
      break;
  }
  emit(LOAD_CONST, add_const(std::move(v)));
}

// Is this call `obj.name(args)` without * or ** arguments (compiled with LOAD_METHOD)?
static bool method_call(const program& p, const node& n) {
  if (p.at(n.kids[0]).kind != node_kind::attribute) return false;
  for (std::size_t i = 1; i < n.kids.size(); ++i) {
    const node& a = p.at(n.kids[i]);
    if (a.kind == node_kind::starred || (a.kind == node_kind::keyword && a.text.empty()))
      return false;
  }
  return true;
}

void compiler::expr(int e) {
  check_stack_compiling();
  const position saved = u_->loc;
  // walk down the first operands of a left-deep chain
  std::vector<int> spine;
  int cur = e;
  for (;;) {
    const node& n = prog_.at(cur);
    if (n.kind == node_kind::binop || n.kind == node_kind::unary ||
        (n.kind == node_kind::attribute && n.ctx == expr_ctx::load) ||
        (n.kind == node_kind::subscript && n.ctx == expr_ctx::load)) {
      if (n.kind == node_kind::unary && n.op == static_cast<std::uint8_t>(unary_op::not_)) {
        spine.push_back(cur);
        cur = n.kids[0];
        continue;
      }
      spine.push_back(cur);
      cur = n.kids[0];
      continue;
    }
    if (n.kind == node_kind::call) {
      spine.push_back(cur);
      cur = method_call(prog_, n) ? prog_.at(n.kids[0]).kids[0] : n.kids[0];
      continue;
    }
    break;
  }
  set_loc(cur);
  expr_spine(cur);
  for (std::size_t i = spine.size(); i-- > 0;) {
    const int s = spine[i];
    const node& n = prog_.at(s);
    set_loc(s);
    switch (n.kind) {
      case node_kind::binop:
        expr(n.kids[1]);
        set_loc(s);
        emit(BINARY_OP, n.op);
        break;
      case node_kind::unary:
        switch (static_cast<unary_op>(n.op)) {
          case unary_op::neg:
            emit(UNARY_NEGATIVE);
            break;
          case unary_op::pos:
            emit(UNARY_POSITIVE);
            break;
          case unary_op::invert:
            emit(UNARY_INVERT);
            break;
          case unary_op::not_:
            emit(UNARY_NOT);
            break;
        }
        break;
      case node_kind::attribute:
        attr_loc(s);
        emit(LOAD_ATTR, add_name(n.text));
        break;
      case node_kind::subscript:
        expr(n.kids[1]);
        set_loc(s);
        emit(BINARY_SUBSCR);
        break;
      case node_kind::call:
        if (method_call(prog_, n)) {
          const int attr = n.kids[0];
          attr_loc(attr);
          emit(LOAD_METHOD, add_name(prog_.at(attr).text));
          set_loc(s);
          call_args(s, 1, true);
        } else {
          emit(PUSH_NULL);
          call_args(s, 1, false);
        }
        break;
      default:
        break;
    }
  }
  u_->loc = saved;
}

// The expressions that are not part of a chain.
void compiler::expr_spine(int e) {
  const node& n = prog_.at(e);
  switch (n.kind) {
    case node_kind::name:
      name_op(n.text, expr_ctx::load, e);
      break;
    case node_kind::constant:
      const_expr(e);
      break;
    case node_kind::fstring:
      fstring(e);
      break;
    case node_kind::boolop:
      bool_op(e);
      break;
    case node_kind::compare:
      compare(e);
      break;
    case node_kind::ifexp: {
      const int orelse = new_label(), end = new_label();
      jump_if(n.kids[0], false, orelse);
      expr(n.kids[1]);
      emit_jump(JUMP, end);
      place(orelse);
      expr(n.kids[2]);
      place(end);
      break;
    }
    case node_kind::lambda:
      lambda(e);
      break;
    case node_kind::slice:
      for (int k = 0; k < 2; ++k) {
        if (n.kids[k] >= 0)
          expr(n.kids[k]);
        else
          emit(LOAD_CONST, add_const(value::none()));
      }
      if (n.kids[2] >= 0) expr(n.kids[2]);
      set_loc(e);
      emit(BUILD_SLICE, n.kids[2] >= 0 ? 3 : 2);
      break;
    case node_kind::tuple:
    case node_kind::list:
    case node_kind::set:
      collection(e, n.kind);
      break;
    case node_kind::dict:
      dict_display(e);
      break;
    case node_kind::listcomp:
    case node_kind::setcomp:
    case node_kind::dictcomp:
    case node_kind::genexp:
      comprehension(e);
      break;
    case node_kind::starred: {
      syntax_error err;
      err.message = "can't use starred expression here";
      err.line = n.where.line;
      err.offset = n.where.col;
      err.end_line = n.where.end_line;
      err.end_offset = n.where.end_col;
      err.text = source_line(prog_.source, n.where.line) + "\n";
      throw err;
    }
    default: {
      syntax_error err;
      err.message = "invalid syntax";
      err.line = n.where.line;
      err.offset = n.where.col;
      err.text = source_line(prog_.source, n.where.line) + "\n";
      throw err;
    }
  }
}

void compiler::call_args(int e, std::size_t first, bool method) {
  const node& n = prog_.at(e);
  std::vector<int> pos, kws;
  bool star = false, dstar = false;
  for (std::size_t i = first; i < n.kids.size(); ++i) {
    const node& a = prog_.at(n.kids[i]);
    if (a.kind == node_kind::keyword) {
      kws.push_back(n.kids[i]);
      dstar = dstar || a.text.empty();
    } else {
      pos.push_back(n.kids[i]);
      star = star || a.kind == node_kind::starred;
    }
  }
  // f(<genexp>): CPython runs the generator inside f, so its frame is reported at f's call
  const int saved_genexp = genexp_call_;
  genexp_call_ =
      pos.size() == 1 && kws.empty() && prog_.at(pos[0]).kind == node_kind::genexp ? e : -1;
  if (!star && !dstar) {
    for (int a : pos) expr(a);
    std::vector<value> names;
    for (int k : kws) {
      expr(prog_.at(k).kids[0]);
      names.push_back(intern(prog_.at(k).text));
    }
    genexp_call_ = saved_genexp;
    set_loc(e);
    if (!names.empty()) emit(KW_NAMES, add_const(make_tuple(std::move(names))));
    emit(CALL, static_cast<std::uint32_t>(pos.size() + kws.size()));
    return;
  }
  (void)method;
  // *args and/or **kwargs: build a tuple and a dict
  if (pos.size() == 1 && star) {
    expr(prog_.at(pos[0]).kids[0]);
  } else {
    std::size_t plain = 0;
    while (plain < pos.size() && !is_starred(prog_, pos[plain])) expr(pos[plain++]);
    emit(BUILD_LIST, static_cast<std::uint32_t>(plain));
    for (std::size_t i = plain; i < pos.size(); ++i) {
      const node& a = prog_.at(pos[i]);
      if (a.kind == node_kind::starred) {
        expr(a.kids[0]);
        emit(LIST_EXTEND, 1);
      } else {
        expr(pos[i]);
        emit(LIST_APPEND, 1);
      }
    }
    emit(LIST_TO_TUPLE);
  }
  genexp_call_ = saved_genexp;
  std::uint32_t flags = 0;
  if (!kws.empty()) {
    emit(BUILD_MAP, 0);
    for (int k : kws) {
      const node& kn = prog_.at(k);
      if (kn.text.empty()) {
        expr(kn.kids[0]);
      } else {
        emit(LOAD_CONST, add_const(intern(kn.text)));
        expr(kn.kids[0]);
        emit(BUILD_MAP, 1);
      }
      emit(DICT_MERGE, 1);
    }
    flags = 1;
  }
  set_loc(e);
  emit(CALL_FUNCTION_EX, flags);
}

void compiler::bool_op(int e) {
  const node& n = prog_.at(e);
  const int end = new_label();
  const bool is_or = n.op == 1;
  for (std::size_t i = 0; i < n.kids.size(); ++i) {
    expr(n.kids[i]);
    if (i + 1 < n.kids.size()) {
      set_loc(e);
      emit_jump(is_or ? JUMP_IF_TRUE_OR_POP : JUMP_IF_FALSE_OR_POP, end);
    }
  }
  place(end);
}

// CPython's check_is_arg: a literal other than None, True, False and ... (after constant
// folding, so -1 and tuples of constants count).
static bool literal(const program& p, int e) {
  const node& n = p.at(e);
  if (n.kind == node_kind::constant) {
    const auto k = static_cast<const_kind>(n.op);
    return k != const_kind::none && k != const_kind::true_ && k != const_kind::false_ &&
           k != const_kind::ellipsis;
  }
  if (n.kind == node_kind::unary && n.op != static_cast<std::uint8_t>(unary_op::not_))
    return p.at(n.kids[0]).kind == node_kind::constant && literal(p, n.kids[0]);
  if (n.kind == node_kind::tuple && n.ctx == expr_ctx::load) {
    for (int k : n.kids)
      if (!literal(p, k) && p.at(k).kind != node_kind::constant) return false;
    return true;
  }
  return false;
}

void compiler::warn(int node, const std::string& msg) {
  const span& s = prog_.at(node).where;
  std::string line = src_->line(s.line);
  std::size_t b = 0;
  while (b < line.size() && (line[b] == ' ' || line[b] == '\t' || line[b] == '\f')) ++b;
  rt().write(2, src_->filename + ":" + std::to_string(s.line) + ": SyntaxWarning: " + msg + "\n  " +
                    line.substr(b) + "\n");
}

void compiler::compare(int e) {
  const node& n = prog_.at(e);
  const std::size_t count = n.text.size();
  for (std::size_t i = 0; i < count; ++i) {
    const auto o = static_cast<compare_op>(n.text[i]);
    if ((o == compare_op::is || o == compare_op::is_not) &&
        (literal(prog_, n.kids[i]) || literal(prog_, n.kids[i + 1])))
      warn(e, o == compare_op::is ? "\"is\" with a literal. Did you mean \"==\"?"
                                  : "\"is not\" with a literal. Did you mean \"!=\"?");
  }
  auto emit_cmp = [&](compare_op o) {
    set_loc(e);
    switch (o) {
      case compare_op::is:
        emit(IS_OP, 0);
        break;
      case compare_op::is_not:
        emit(IS_OP, 1);
        break;
      case compare_op::in:
        emit(CONTAINS_OP, 0);
        break;
      case compare_op::not_in:
        emit(CONTAINS_OP, 1);
        break;
      default:
        emit(COMPARE_OP, static_cast<std::uint32_t>(o));
    }
  };
  expr(n.kids[0]);
  if (count == 1) {
    expr(n.kids[1]);
    emit_cmp(static_cast<compare_op>(n.text[0]));
    return;
  }
  const int cleanup = new_label(), end = new_label();
  for (std::size_t i = 0; i + 1 < count; ++i) {
    expr(n.kids[i + 1]);
    set_loc(e);
    emit(SWAP, 2);
    emit(COPY, 2);
    emit_cmp(static_cast<compare_op>(n.text[i]));
    emit_jump(JUMP_IF_FALSE_OR_POP, cleanup);
  }
  expr(n.kids[count]);
  emit_cmp(static_cast<compare_op>(n.text[count - 1]));
  emit_jump(JUMP, end);
  place(cleanup);
  emit(SWAP, 2);
  emit(POP_TOP);
  place(end);
}

void compiler::jump_if(int e, bool cond, int l) {
  const node& n = prog_.at(e);
  if (n.kind == node_kind::unary && n.op == static_cast<std::uint8_t>(unary_op::not_)) {
    jump_if(n.kids[0], !cond, l);
    return;
  }
  if (n.kind == node_kind::boolop) {
    const bool is_or = n.op == 1;
    const int next = cond == is_or ? l : new_label();
    for (std::size_t i = 0; i + 1 < n.kids.size(); ++i) jump_if(n.kids[i], is_or, next);
    jump_if(n.kids.back(), cond, l);
    if (next != l) place(next);
    return;
  }
  expr(e);
  emit_jump(cond ? POP_JUMP_IF_TRUE : POP_JUMP_IF_FALSE, l);
}

void compiler::collection(int e, node_kind kind) {
  const node& n = prog_.at(e);
  bool star = false, constant = true;
  for (int k : n.kids) {
    star = star || is_starred(prog_, k);
    const node& kn = prog_.at(k);
    constant = constant && kn.kind == node_kind::constant &&
               kn.op != static_cast<std::uint8_t>(const_kind::ellipsis);
  }
  const auto count = static_cast<std::uint32_t>(n.kids.size());
  if (kind == node_kind::set && constant && count >= 3) {
    // CPython folds a display of 3+ constants into a frozenset merged into a new set (which
    // sizes the table differently from adding one by one: the iteration order shows it)
    value fs = make_set(rt().t_frozenset);
    auto* so = static_cast<set_object*>(fs.as_object());
    for (int k : n.kids) {
      const node& kn = prog_.at(k);
      value v;
      switch (static_cast<const_kind>(kn.op)) {
        case const_kind::none:
          v = value::none();
          break;
        case const_kind::true_:
          v = value::from_bool(true);
          break;
        case const_kind::false_:
          v = value::from_bool(false);
          break;
        case const_kind::integer:
          v = value::from_int(kn.ival);
          break;
        case const_kind::floating:
          v = value::from_float(kn.fval);
          break;
        default:
          v = make_str(kn.text);
          break;
      }
      so->add(v, py_hash(v));
    }
    set_loc(e);
    emit(BUILD_SET, 0);
    emit(LOAD_CONST, add_const(fs));
    emit(SET_UPDATE, 1);
    return;
  }
  if (!star) {
    for (int k : n.kids) expr(k);
    set_loc(e);
    emit(kind == node_kind::tuple  ? BUILD_TUPLE
         : kind == node_kind::list ? BUILD_LIST
                                   : BUILD_SET,
         count);
    return;
  }
  std::size_t plain = 0;
  while (plain < n.kids.size() && !is_starred(prog_, n.kids[plain])) expr(n.kids[plain++]);
  emit(kind == node_kind::set ? BUILD_SET : BUILD_LIST, static_cast<std::uint32_t>(plain));
  for (std::size_t i = plain; i < n.kids.size(); ++i) {
    const node& a = prog_.at(n.kids[i]);
    if (a.kind == node_kind::starred) {
      expr(a.kids[0]);
      emit(kind == node_kind::set ? SET_UPDATE : LIST_EXTEND, 1);
    } else {
      expr(n.kids[i]);
      emit(kind == node_kind::set ? SET_ADD : LIST_APPEND, 1);
    }
  }
  if (kind == node_kind::tuple) emit(LIST_TO_TUPLE);
}

void compiler::dict_display(int e) {
  const node& n = prog_.at(e);
  bool unpack = false;
  for (std::size_t i = 0; i < n.kids.size(); i += 2) unpack = unpack || n.kids[i] < 0;
  if (!unpack) {
    for (int k : n.kids) expr(k);
    set_loc(e);
    emit(BUILD_MAP, static_cast<std::uint32_t>(n.kids.size() / 2));
    return;
  }
  emit(BUILD_MAP, 0);
  for (std::size_t i = 0; i < n.kids.size(); i += 2) {
    if (n.kids[i] < 0) {
      expr(n.kids[i + 1]);
    } else {
      expr(n.kids[i]);
      expr(n.kids[i + 1]);
      emit(BUILD_MAP, 1);
    }
    emit(DICT_UPDATE, 1);
  }
}

void compiler::lambda(int e) {
  const node& n = prog_.at(e);
  scope* child = u_->sc->children[u_->sc->next_child++].get();
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
}

void compiler::comprehension(int e) {
  const node& n = prog_.at(e);
  scope* child = u_->sc->children[u_->sc->next_child++].get();
  const std::size_t first = n.kind == node_kind::dictcomp ? 2 : 1;
  const int call_loc = genexp_call_ >= 0 && n.kind == node_kind::genexp ? genexp_call_ : e;
  genexp_call_ = -1;
  make_closure(child, 0);
  emit(PUSH_NULL);
  expr(prog_.at(n.kids[first]).kids[1]);
  set_loc(e);
  emit(GET_ITER);
  set_loc(call_loc);
  emit(CALL, 1);
}

// The body of a comprehension's function: nested loops appending to the result.
void compiler::comprehension_body(int e) {
  const node& n = prog_.at(e);
  const std::size_t first = n.kind == node_kind::dictcomp ? 2 : 1;
  const std::size_t gens = n.kids.size() - first;
  set_loc(e);
  emit(n.kind == node_kind::setcomp    ? BUILD_SET
       : n.kind == node_kind::dictcomp ? BUILD_MAP
                                       : BUILD_LIST,
       0);
  std::vector<int> starts(gens), ends(gens);
  for (std::size_t g = 0; g < gens; ++g) {
    const node& gen = prog_.at(n.kids[first + g]);
    set_loc(e);
    if (g == 0) {
      emit(LOAD_FAST, 0);  // .0: the first iterator, passed in
    } else {
      expr(gen.kids[1]);
      set_loc(e);
      emit(GET_ITER);
    }
    starts[g] = new_label();
    ends[g] = new_label();
    place(starts[g]);
    set_loc(e);
    emit_jump(FOR_ITER, ends[g]);
    assign_target(gen.kids[0]);
    for (std::size_t c = 2; c < gen.kids.size(); ++c) jump_if(gen.kids[c], false, starts[g]);
  }
  const auto depth = static_cast<std::uint32_t>(gens + 1);
  if (n.kind == node_kind::dictcomp) {
    expr(n.kids[0]);
    expr(n.kids[1]);
    set_loc(e);
    emit(MAP_ADD, depth);
  } else {
    expr(n.kids[0]);
    set_loc(e);
    emit(n.kind == node_kind::setcomp ? SET_ADD : LIST_APPEND, depth);
  }
  for (std::size_t g = gens; g-- > 0;) {
    emit_jump(JUMP, starts[g]);
    place(ends[g]);
  }
  set_loc(e);
  if (n.kind == node_kind::genexp) emit(MAKE_GENERATOR);
  emit(RETURN_VALUE);
}

void compiler::fstring(int e) {
  const node& n = prog_.at(e);
  std::uint32_t count = 0;
  for (int p : n.kids) {
    const node& part = prog_.at(p);
    if (part.kind == node_kind::constant) {
      const_expr(p);
    } else {
      expr(part.kids[0]);
      std::uint32_t flags = part.op == 's' ? 1 : part.op == 'r' ? 2 : part.op == 'a' ? 3 : 0;
      if (part.kids[1] >= 0) {
        fstring(part.kids[1]);
        flags |= 4;
      }
      set_loc(e);
      emit(FORMAT_VALUE, flags);
    }
    ++count;
  }
  if (count == 0)
    emit(LOAD_CONST, add_const(make_str("")));
  else if (count > 1 || prog_.at(n.kids[0]).kind == node_kind::constant)
    emit(BUILD_STRING, count);
}

void compiler::call(int) {}
void compiler::subscript(int) {}

}  // namespace gradlab::py
