// Expressions: precedence climbing over CPython's grammar levels. Unary chains and
// left-associative operator chains are loops, so only brackets (at most kMaxParenDepth),
// lambdas, conditional expressions and ** recurse (counted by nest_guard).
#include "python/parser_impl.hpp"

namespace gradlab::py {

namespace {

bool is_const(const node& n, const_kind k) {
  return n.kind == node_kind::constant && n.op == static_cast<std::uint8_t>(k);
}

}  // namespace

int parser::expression() {
  if (kw("lambda")) return lambda_expr();
  const span start = peek().where;
  // CPython's invalid_expression does not look at an expression that starts with a name
  // followed by a string, or with a soft keyword
  const bool no_comma_check =
      (peek().kind == tok::name && peek(1).kind == tok::string) ||
      (peek().kind == tok::name &&
       (peek().text == "match" || peek().text == "case" || peek().text == "_"));
  int d = disjunction();
  if (kw("if")) {
    nest_guard g(*this);
    take();
    const int test = disjunction();
    if (!kw("else")) {
      if (op(":")) invalid_syntax();
      fail_range(d, test, "expected 'else' after 'if' expression");
    }
    take();
    const int orelse = expression();
    d = make(node_kind::ifexp, start, {test, d, orelse});
  }
  if (!no_comma_check) comma_check(d);
  return d;
}

// Two expressions side by side inside brackets: "Perhaps you forgot a comma?"
void parser::comma_check(int a) {
  if (!starts_expression() || (peek().level == 0 && !sub_)) return;
  const node& an = at(a);
  if (an.kind == node_kind::name && (an.text == "print" || an.text == "exec")) return;
  const std::size_t save = pos_;
  const span save_last = last_;
  const int save_depth = depth_;
  int b = -1;
  try {
    b = disjunction();  // CPython's expression_without_invalid
  } catch (const syntax_error& e) {
    if (e.fatal) throw;
    b = -1;
  }
  depth_ = save_depth;
  if (b < 0 || (toks_[pos_ - 1].level == 0 && !sub_)) {
    pos_ = save;
    last_ = save_last;
    return;
  }
  fail_range(a, b, "invalid syntax. Perhaps you forgot a comma?");
}

int parser::named_expression() {
  const int e = expression();
  if (op(":=")) fail_at(peek().where, "assignment expressions (':=') are not supported by gradlab");
  return op("=") ? stray_equals(e) : e;
}

// `f(a.b = 1)`, `[x = 1]`: CPython's invalid_named_expression.
int parser::stray_equals(int e) {
  const node n = at(e);  // a copy: parsing below may move the arena
  const bool excluded = n.kind == node_kind::tuple || n.kind == node_kind::list ||
                        n.kind == node_kind::genexp || is_const(n, const_kind::true_) ||
                        is_const(n, const_kind::false_) || is_const(n, const_kind::none);
  if (excluded) return e;
  const std::size_t save = pos_;
  const span save_last = last_;
  take();
  int b = -1;
  try {
    if (starts_expression()) b = bitwise(0);
  } catch (const syntax_error& e) {
    if (e.fatal) throw;
    b = -1;
  }
  if (b >= 0 && !op("=") && !op(":=")) {
    if (n.kind == node_kind::name)
      fail_range(e, b, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    fail_at(at(e).where,
            "cannot assign to " + expr_name(e) + " here. Maybe you meant '==' instead of '='?");
  }
  pos_ = save;
  last_ = save_last;
  return e;
}

int parser::star_expression() {
  if (op("*")) {
    const span s = take().where;
    const int v = bitwise(0);
    return make(node_kind::starred, s, {v});
  }
  return expression();
}

int parser::star_expressions() {
  const span start = peek().where;
  const int first = star_expression();
  if (!op(",")) return first;
  std::vector<int> elts = {first};
  while (op(",")) {
    take();
    if (!starts_expression() && !op("*")) break;
    elts.push_back(star_expression());
  }
  return make(node_kind::tuple, start, std::move(elts));
}

// Targets of `for` and `del`: a, *b, c[0] -- at bitwise-or level, so `in` ends them.
int parser::expressions_list(bool allow_star) {
  const span start = peek().where;
  auto item = [&]() {
    if (allow_star && op("*")) {
      const span s = take().where;
      const int v = bitwise(0);
      return make(node_kind::starred, s, {v});
    }
    return bitwise(0);
  };
  const int first = item();
  if (!op(",")) return first;
  std::vector<int> elts = {first};
  while (op(",")) {
    take();
    if (!starts_expression() && !op("*")) break;
    elts.push_back(item());
  }
  return make(node_kind::tuple, start, std::move(elts));
}

int parser::disjunction() {
  const span start = peek().where;
  const int a = conjunction();
  if (!kw("or")) return a;
  std::vector<int> vals = {a};
  while (kw("or")) {
    take();
    vals.push_back(conjunction());
  }
  return make(node_kind::boolop, start, std::move(vals), 1);
}

int parser::conjunction() {
  const span start = peek().where;
  const int a = inversion();
  if (!kw("and")) return a;
  std::vector<int> vals = {a};
  while (kw("and")) {
    take();
    vals.push_back(inversion());
  }
  return make(node_kind::boolop, start, std::move(vals), 0);
}

int parser::inversion() {
  std::vector<span> nots;
  while (kw("not")) nots.push_back(take().where);
  int e = comparison();
  for (std::size_t i = nots.size(); i-- > 0;)
    e = make(node_kind::unary, nots[i], {e}, static_cast<std::uint8_t>(unary_op::not_));
  return e;
}

int parser::comparison() {
  const span start = peek().where;
  const int a = bitwise(0);
  const token& t = peek();
  const bool more = (t.kind == tok::op &&
                     (t.text[0] == '<' || t.text[0] == '>' || t.text == "==" || t.text == "!=")) ||
                    kw("in") || kw("is") || (kw("not") && kw("in", 1));
  return more ? comparison_tail(a, start) : a;
}

int parser::comparison_tail(int a, const span& start) {
  std::string ops;
  std::vector<int> kids = {a};
  for (;;) {
    compare_op o;
    if (op("<"))
      o = compare_op::lt;
    else if (op("<="))
      o = compare_op::le;
    else if (op("=="))
      o = compare_op::eq;
    else if (op("!="))
      o = compare_op::ne;
    else if (op(">"))
      o = compare_op::gt;
    else if (op(">="))
      o = compare_op::ge;
    else if (kw("in"))
      o = compare_op::in;
    else if (kw("not") && kw("in", 1)) {
      take();
      o = compare_op::not_in;
    } else if (kw("is")) {
      o = compare_op::is;
      if (kw("not", 1)) {
        take();
        o = compare_op::is_not;
      }
    } else {
      break;
    }
    take();
    kids.push_back(bitwise(0));
    ops += static_cast<char>(o);
  }
  if (ops.empty()) return a;
  node n;
  n.kind = node_kind::compare;
  n.text = ops;
  n.kids = std::move(kids);
  n.where = from(start);
  return add(std::move(n));
}

// Binary operator levels, loosest first: | ^ & (<< >>) (+ -) (* / // % @), by precedence
// climbing: one call per operand rather than one per level (the native stack a bracket
// costs is what bounds how deep brackets can nest).
int parser::bitwise(int min_level) {
  static const char* const ops[] = {"|", "^", "&", "<<", ">>", "+", "-", "*", "/", "//", "%", "@"};
  static const std::uint8_t levels[] = {0, 1, 2, 3, 3, 4, 4, 5, 5, 5, 5, 5};
  static const binary_op codes[] = {binary_op::or_,      binary_op::xor_,   binary_op::and_,
                                    binary_op::lshift,   binary_op::rshift, binary_op::add,
                                    binary_op::sub,      binary_op::mul,    binary_op::truediv,
                                    binary_op::floordiv, binary_op::mod,    binary_op::matmul};
  const span start = peek().where;
  int left = factor();
  for (;;) {
    const token& t = peek();
    if (t.kind != tok::op) return left;
    int k = 0;
    while (k < 12 && t.text != ops[k]) ++k;
    if (k == 12 || levels[k] < min_level) return left;
    take();
    const int right = bitwise(levels[k] + 1);
    left = make(node_kind::binop, start, {left, right}, static_cast<std::uint8_t>(codes[k]));
  }
}

int parser::factor() {
  std::vector<std::pair<span, unary_op>> ops;
  for (;;) {
    if (op("-"))
      ops.push_back({take().where, unary_op::neg});
    else if (op("+"))
      ops.push_back({take().where, unary_op::pos});
    else if (op("~"))
      ops.push_back({take().where, unary_op::invert});
    else
      break;
  }
  int e = power();
  for (std::size_t i = ops.size(); i-- > 0;)
    e = make(node_kind::unary, ops[i].first, {e}, static_cast<std::uint8_t>(ops[i].second));
  return e;
}

int parser::power() {
  const span start = peek().where;
  if (kw("await")) fail_at(peek().where, "'async' and 'await' are not supported by gradlab");
  const int base = primary();
  if (!op("**")) return base;
  nest_guard g(*this);
  take();
  const int exponent = factor();
  return make(node_kind::binop, start, {base, exponent}, static_cast<std::uint8_t>(binary_op::pow));
}

int parser::primary() {
  const span start = peek().where;
  int e = atom();
  for (;;) {
    if (op(".")) {
      e = attribute(e, start);
    } else if (op("(")) {
      e = call(e, start);
    } else if (op("[")) {
      e = subscript(e, start);
    } else {
      return e;
    }
  }
}

int parser::attribute(int value, const span& start) {
  take();
  if (peek().kind != tok::name || is_keyword(peek().text)) invalid_syntax();
  node n;
  n.kind = node_kind::attribute;
  n.text = take().text;
  n.kids = {value};
  n.where = from(start);
  return add(std::move(n));
}

int parser::call(int func, const span& start) {
  const span open = take().where;
  std::vector<int> args, kws;
  int first_dstar = -1, bare_genexp = -1;
  while (!op(")")) {
    const span as = peek().where;
    if (op("*")) {
      take();
      const int v = expression();
      const int s = make(node_kind::starred, as, {v});
      if (first_dstar >= 0)
        fail_at(at(first_dstar).where,
                "iterable argument unpacking follows keyword argument unpacking");
      args.push_back(s);
    } else if (op("**")) {
      take();
      const int v = expression();
      node k;
      k.kind = node_kind::keyword;
      k.kids = {v};
      k.where = from(as);
      const int ki = add(std::move(k));
      if (first_dstar < 0) first_dstar = ki;
      kws.push_back(ki);
    } else if (peek().kind == tok::name && op("=", 1)) {
      const token& nt = peek();
      if (nt.text == "True" || nt.text == "False" || nt.text == "None") {
        span s = nt.where;
        const span eq = peek(1).where;
        s.end_line = eq.end_line;
        s.end_col = eq.end_col;
        fail_at(s, "cannot assign to " + nt.text);
      }
      if (is_keyword(nt.text)) invalid_syntax();
      node k;
      k.kind = node_kind::keyword;
      k.text = take().text;
      take();
      k.kids = {expression()};
      k.where = from(as);
      for (int other : kws)
        if (at(other).text == k.text) fail_at(k.where, "keyword argument repeated: " + k.text);
      kws.push_back(add(std::move(k)));
    } else {
      int v = expression();
      if (kw("for")) {
        v = comprehension_tail(node_kind::genexp, as, {v}, nullptr);
        bare_genexp = v;
      }
      if (op("=")) {
        span s = at(v).where;
        s.end_line = peek().where.end_line;
        s.end_col = peek().where.end_col;
        fail_at(s, "expression cannot contain assignment, perhaps you meant \"==\"?");
      }
      // CPython reports these at the token after the argument
      if (first_dstar >= 0)
        fail_token(peek(), "positional argument follows keyword argument unpacking");
      if (!kws.empty()) fail_token(peek(), "positional argument follows keyword argument");
      args.push_back(v);
    }
    if (op(",")) {
      take();
      continue;
    }
    if (!op(")")) invalid_syntax();
  }
  if (bare_genexp >= 0 && args.size() + kws.size() > 1)
    fail_at(at(bare_genexp).where, "Generator expression must be parenthesized");
  take();
  if (bare_genexp >= 0)
    at(bare_genexp).where = from(open);  // the call's parentheses are the genexp's
  std::vector<int> kids = {func};
  kids.insert(kids.end(), args.begin(), args.end());
  kids.insert(kids.end(), kws.begin(), kws.end());
  return make(node_kind::call, start, std::move(kids));
}

int parser::subscript(int value, const span& start) {
  take();
  const span ss = peek().where;
  std::vector<int> items;
  bool tuple = false;
  for (;;) {
    items.push_back(slice_item());
    if (op(",")) {
      take();
      tuple = true;
      if (op("]")) break;
      continue;
    }
    break;
  }
  int index = items[0];
  if (tuple) index = make(node_kind::tuple, ss, std::move(items));
  expect("]");
  return make(node_kind::subscript, start, {value, index});
}

int parser::slice_item() {
  const span s = peek().where;
  int lower = -1, upper = -1, step = -1;
  if (!op(":")) {
    if (op("*")) return star_expression();
    lower = expression();
    if (!op(":")) return lower;
  }
  take();
  if (!op(":") && !op("]") && !op(",")) upper = expression();
  if (op(":")) {
    take();
    if (!op("]") && !op(",")) step = expression();
  }
  return make(node_kind::slice, s, {lower, upper, step});
}

int parser::leaf(node_kind kind, std::uint8_t op) {
  const token& t = peek();
  node n;
  n.kind = kind;
  n.op = op;
  if (kind == node_kind::name) n.text = t.text;
  n.ival = t.ival;
  n.fval = t.fval;
  n.where = take().where;
  return add(std::move(n));
}

int parser::atom() {
  if (stack_low()) recursion_error();
  const token& t = peek();
  if (t.kind == tok::name) {
    if (t.text == "True" || t.text == "False" || t.text == "None")
      return leaf(node_kind::constant,
                  static_cast<std::uint8_t>(t.text == "True"    ? const_kind::true_
                                            : t.text == "False" ? const_kind::false_
                                                                : const_kind::none));
    if (t.text == "yield") fail_at(t.where, "generators ('yield') are not supported by gradlab");
    if (is_keyword(t.text)) invalid_syntax();
    return leaf(node_kind::name, 0);
  }
  if (t.kind == tok::number) {
    if (t.is_imag) fail_at(t.where, "complex numbers are not supported by gradlab");
    if (t.too_big)
      fail_at(t.where,
              "integer literal too large: gradlab's ints are 64-bit (at most 9223372036854775807), "
              "Python's are unbounded");
    return leaf(node_kind::constant,
                static_cast<std::uint8_t>(t.is_float ? const_kind::floating : const_kind::integer));
  }
  if (t.kind == tok::string) return strings();
  if (t.kind == tok::op) {
    if (t.text == "(") return paren_atom();
    if (t.text == "[") return bracket_atom();
    if (t.text == "{") return brace_atom();
    if (t.text == "...")
      return leaf(node_kind::constant, static_cast<std::uint8_t>(const_kind::ellipsis));
  }
  invalid_syntax();
}

int parser::paren_atom() {
  const span start = take().where;
  if (op(")")) {
    take();
    return make(node_kind::tuple, start);
  }
  if (kw("yield")) fail_at(peek().where, "generators ('yield') are not supported by gradlab");
  const int first = op("*") ? star_expression() : named_expression();
  if (kw("for")) return comprehension_tail(node_kind::genexp, start, {first}, ")");
  if (op(")")) {
    take();
    if (at(first).kind == node_kind::starred)
      fail_at(at(first).where, "cannot use starred expression here");
    return first;  // a parenthesised expression keeps its own span
  }
  std::vector<int> elts = {first};
  while (op(",")) {
    take();
    if (op(")")) break;
    elts.push_back(op("*") ? star_expression() : named_expression());
  }
  expect(")");
  return make(node_kind::tuple, start, std::move(elts));
}

int parser::bracket_atom() {
  const span start = take().where;
  std::vector<int> elts;
  if (!op("]")) {
    const int first = op("*") ? star_expression() : named_expression();
    if (kw("for")) return comprehension_tail(node_kind::listcomp, start, {first}, "]");
    elts.push_back(first);
    while (op(",")) {
      take();
      if (op("]")) break;
      elts.push_back(op("*") ? star_expression() : named_expression());
    }
  }
  expect("]");
  return make(node_kind::list, start, std::move(elts));
}

int parser::brace_atom() {
  const span start = take().where;
  if (op("}")) {
    take();
    return make(node_kind::dict, start);
  }
  std::vector<int> kids;
  auto dict_item = [&](bool first) {
    if (op("**")) {
      take();
      kids.push_back(-1);
      kids.push_back(bitwise(0));
      return;
    }
    const int k = expression();
    if (!op(":")) {
      if (first) return;
      fail_at(at(k).where, "':' expected after dictionary key");
    }
    take();
    kids.push_back(k);
    kids.push_back(expression());
  };
  if (op("**")) {
    dict_item(true);
  } else {
    const int first = op("*") ? star_expression() : expression();
    if (!op(":")) {  // a set
      if (kw("for")) return comprehension_tail(node_kind::setcomp, start, {first}, "}");
      std::vector<int> elts = {first};
      while (op(",")) {
        take();
        if (op("}")) break;
        elts.push_back(op("*") ? star_expression() : expression());
      }
      expect("}");
      return make(node_kind::set, start, std::move(elts));
    }
    take();
    const int value = expression();
    if (kw("for")) return comprehension_tail(node_kind::dictcomp, start, {first, value}, "}");
    kids = {first, value};
  }
  while (op(",")) {
    take();
    if (op("}")) break;
    dict_item(false);
  }
  expect("}");
  return make(node_kind::dict, start, std::move(kids));
}

int parser::comprehension_tail(node_kind kind, const span& start, std::vector<int> heads,
                               const char* closer) {
  std::vector<int> kids = std::move(heads);
  while (kw("for")) {
    const span cs = take().where;
    const int target = expressions_list(true);
    if (const int bad = invalid_target(target, false); bad >= 0)
      fail_at(at(bad).where, "cannot assign to " + expr_name(bad));
    set_context(target, expr_ctx::store);
    if (!kw("in")) invalid_syntax();
    take();
    std::vector<int> ck = {target, disjunction()};
    while (kw("if")) {
      take();
      ck.push_back(disjunction());
    }
    kids.push_back(make(node_kind::comprehension, cs, std::move(ck)));
  }
  if (kw("async")) fail_at(peek().where, "'async' and 'await' are not supported by gradlab");
  if (closer) expect(closer);
  return make(kind, start, std::move(kids));
}

int parser::lambda_expr() {
  nest_guard g(*this);
  const span start = take().where;
  const int args = arguments(true);
  expect(":");
  const int body = expression();
  return make(node_kind::lambda, start, {args, body});
}

int parser::strings() {
  const span start = peek().where;
  std::vector<int> parts;
  bool any_f = false;
  while (peek().kind == tok::string) {
    const token t = take();
    if (t.bytes) fail_at(t.where, "bytes literals (b'...') are not supported by gradlab");
    if (t.fstring) {
      any_f = true;
      fstring(t, parts);
    } else {
      node c;
      c.kind = node_kind::constant;
      c.op = static_cast<std::uint8_t>(const_kind::string);
      c.text = t.text;
      c.where = t.where;
      parts.push_back(add(std::move(c)));
    }
  }
  // adjacent literal parts become one
  std::vector<int> merged;
  for (int p : parts) {
    if (!merged.empty() && is_const(at(p), const_kind::string) &&
        is_const(at(merged.back()), const_kind::string)) {
      at(merged.back()).text += at(p).text;
      continue;
    }
    merged.push_back(p);
  }
  if (!any_f) {
    node& n = at(merged[0]);
    n.where = from(start);
    return merged[0];
  }
  std::vector<int> kids;
  for (int p : merged)
    if (!is_const(at(p), const_kind::string) || !at(p).text.empty()) kids.push_back(p);
  return make(node_kind::fstring, start, std::move(kids));
}

// ---------------------------------------------------------------- targets

void parser::set_context(int e, expr_ctx ctx) {
  node& n = at(e);
  n.ctx = ctx;
  if (n.kind == node_kind::tuple || n.kind == node_kind::list || n.kind == node_kind::starred) {
    const std::vector<int> kids = n.kids;
    for (int k : kids) set_context(k, ctx);
  }
}

int parser::invalid_target(int e, bool del) const {
  const node& n = prog_->at(e);
  switch (n.kind) {
    case node_kind::name:
    case node_kind::attribute:
    case node_kind::subscript:
      return -1;
    case node_kind::tuple:
    case node_kind::list:
      for (int k : n.kids)
        if (const int bad = invalid_target(k, del); bad >= 0) return bad;
      return -1;
    case node_kind::starred:
      return del ? e : invalid_target(n.kids[0], del);
    default:
      return e;
  }
}

std::string parser::expr_name(int e) const {
  const node& n = prog_->at(e);
  switch (n.kind) {
    case node_kind::attribute:
      return "attribute";
    case node_kind::subscript:
      return "subscript";
    case node_kind::starred:
      return "starred";
    case node_kind::name:
      return "name";
    case node_kind::list:
      return "list";
    case node_kind::tuple:
      return "tuple";
    case node_kind::lambda:
      return "lambda";
    case node_kind::call:
      return "function call";
    case node_kind::boolop:
    case node_kind::binop:
    case node_kind::unary:
      return "expression";
    case node_kind::genexp:
      return "generator expression";
    case node_kind::listcomp:
      return "list comprehension";
    case node_kind::setcomp:
      return "set comprehension";
    case node_kind::dictcomp:
      return "dict comprehension";
    case node_kind::dict:
      return "dict literal";
    case node_kind::set:
      return "set display";
    case node_kind::fstring:
    case node_kind::formatted:
      return "f-string expression";
    case node_kind::compare:
      return "comparison";
    case node_kind::ifexp:
      return "conditional expression";
    case node_kind::constant:
      switch (static_cast<const_kind>(n.op)) {
        case const_kind::none:
          return "None";
        case const_kind::true_:
          return "True";
        case const_kind::false_:
          return "False";
        case const_kind::ellipsis:
          return "ellipsis";
        default:
          return "literal";
      }
    default:
      return "expression";
  }
}

}  // namespace gradlab::py
