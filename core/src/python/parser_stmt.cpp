// Statements, blocks, the token stream and syntax errors. Python's grammar by recursive
// descent, with CPython 3.11's messages for the common mistakes (its PEG parser's invalid_*
// rules) and its positions (pegen's: a node spans its first to its last token).
#include <cstring>

#include "python/parser_impl.hpp"

namespace gradlab::py {

nest_guard::nest_guard(parser& pp) : p(pp) {
  if (++p.depth_ > kMaxNesting || stack_low()) p.recursion_error();
}

parser::parser(const std::string& source, const parse_options& opts)
    : src_(source), opts_(opts), lex_(source), prog_(&own_) {}

parser::parser(const std::string& source, std::size_t b, std::size_t e, int line, int col,
               int depth, program* prog)
    : src_(source), lex_(source, b, e, line, col, true), prog_(prog), depth_(depth), sub_(true) {}

// ---------------------------------------------------------------- tokens

const token& parser::peek(std::size_t k) {
  while (toks_.size() <= pos_ + k) {
    if (!toks_.empty() && toks_.back().kind == tok::end) return toks_.back();
    toks_.push_back(lex_.next());
  }
  return toks_[pos_ + k];
}

const token& parser::take() {
  const token& t = peek();
  if (t.kind != tok::newline && t.kind != tok::indent && t.kind != tok::dedent &&
      t.kind != tok::end)
    last_ = t.where;
  if (t.kind != tok::end) ++pos_;
  return t;
}

bool parser::starts_expression(std::size_t k) {
  const token& t = peek(k);
  if (t.kind == tok::number || t.kind == tok::string) return true;
  if (t.kind == tok::name)
    return !is_keyword(t.text) || t.text == "None" || t.text == "True" || t.text == "False" ||
           t.text == "not" || t.text == "lambda" || t.text == "await";
  if (t.kind == tok::op)
    return t.text == "(" || t.text == "[" || t.text == "{" || t.text == "-" || t.text == "+" ||
           t.text == "~" || t.text == "...";
  return false;
}

void parser::expect(const char* s) {
  if (!op(s)) invalid_syntax();
  take();
}

// ---------------------------------------------------------------- errors

void parser::fail_at(const span& s, const std::string& msg, const char* type) {
  syntax_error e;
  e.type = type;
  e.message = msg;
  e.line = s.line;
  e.offset = s.col;
  e.end_line = s.end_line;
  e.end_offset = s.end_col;
  e.text = source_line(src_, s.line) + "\n";
  check_rest_of_source(e);
  throw e;
}

void parser::fail_range(int a, int b, const std::string& msg) {
  span s = at(a).where;
  s.end_line = at(b).where.end_line;
  s.end_col = at(b).where.end_col;
  fail_at(s, msg);
}

void parser::fail_token(const token& t, const std::string& msg) {
  if (t.kind == tok::end && lex_.level() > 0) {
    const token* open = lex_.innermost_open();
    syntax_error e;
    e.message = "'" + open->text + "' was never closed";
    e.line = e.end_line = open->where.line;
    e.offset = e.end_offset = open->where.col;
    e.text = source_line(src_, e.line) + "\n";
    throw e;
  }
  if (t.kind == tok::indent || t.kind == tok::dedent) {
    syntax_error e;
    e.type = "IndentationError";
    e.message = t.kind == tok::indent ? "unexpected indent" : "unexpected unindent";
    e.line = e.end_line = t.where.line;
    e.offset = t.where.col;
    e.end_offset = -1;
    e.text = source_line(src_, e.line) + "\n";
    throw e;
  }
  fail_at(t.where, msg);
}

void parser::recursion_error() {
  syntax_error e;
  e.type = "RecursionError";
  e.message = "maximum recursion depth exceeded during compilation";
  e.fatal = true;
  throw e;
}

// After a parse error CPython tokenizes the rest of the file: a tokenizer error there wins,
// and so does a bracket left open on a line before the error.
void parser::check_rest_of_source(const syntax_error& /*e*/) {
  if (sub_) return;
  const int err_line = toks_.empty() ? 0 : toks_.back().where.line;  // CPython: the last token read
  try {
    for (;;) {
      const token& t = peek(toks_.size() - pos_);
      if (t.kind == tok::end) break;
    }
  } catch (const syntax_error& later) {
    throw later;
  }
  if (lex_.level() > 0 && err_line > lex_.open_line()) {
    const token* open = lex_.innermost_open();
    syntax_error n;
    n.message = "'" + open->text + "' was never closed";
    n.line = n.end_line = open->where.line;
    n.offset = n.end_offset = open->where.col;
    n.text = source_line(src_, n.line) + "\n";
    throw n;
  }
}

// ---------------------------------------------------------------- nodes

int parser::add(node n) {
  for (int k : n.kids)
    if (k >= 0 && prog_->at(k).height + 1 > n.height) n.height = prog_->at(k).height + 1;
  if (n.height > kMaxHeight) recursion_error();
  prog_->nodes.push_back(std::move(n));
  return static_cast<int>(prog_->nodes.size()) - 1;
}

span parser::from(const span& start) const {
  span s = start;
  s.end_line = last_.end_line;
  s.end_col = last_.end_col;
  s.end = last_.end;
  return s;
}

int parser::make(node_kind k, const span& start, std::vector<int> kids, std::uint8_t o) {
  node n;
  n.kind = k;
  n.op = o;
  n.where = from(start);
  n.kids = std::move(kids);
  return add(std::move(n));
}

// ---------------------------------------------------------------- statements

program parser::run() {
  std::vector<int> body;
  statements_until_end(body);
  node m;
  m.kind = node_kind::module;
  m.kids = std::move(body);
  own_.root = add(std::move(m));
  own_.source = src_;
  return std::move(own_);
}

void parser::statements_until_end(std::vector<int>& out) {
  while (peek().kind != tok::end) {
    if (peek().kind == tok::newline) {
      take();
      continue;
    }
    statement(out);
  }
}

void parser::statement(std::vector<int>& out) {
  const token& t = peek();
  if (t.kind == tok::op && t.text == "@") {
    out.push_back(compound_statement());
    return;
  }
  if (t.kind == tok::name) {
    static const char* const compound[] = {"if",   "while", "for",   "try",
                                           "with", "def",   "class", "async"};
    for (const char* c : compound)
      if (t.text == c) {
        out.push_back(compound_statement());
        return;
      }
  }
  simple_statements(out);
}

void parser::simple_statements(std::vector<int>& out) {
  for (;;) {
    out.push_back(simple_statement());
    if (op(";")) {
      take();
      if (peek().kind == tok::newline) break;
      continue;
    }
    if (peek().kind != tok::newline) invalid_syntax();
    break;
  }
  take();
}

void parser::expect_colon() {
  if (op(":")) {
    take();
    return;
  }
  fail_token(peek(), "expected ':'");
}

int parser::block(const char* what, int line) {
  if (stack_low()) recursion_error();
  const span start = peek().where;
  std::vector<int> body;
  if (peek().kind == tok::newline) {
    take();
    if (peek().kind != tok::indent) {
      const token& t = peek();
      syntax_error e;
      e.type = "IndentationError";
      e.message = std::string("expected an indented block after ") + what + " on line " +
                  std::to_string(line);
      e.line = t.where.line;
      e.offset = t.where.col;
      e.end_line = t.where.end_line;
      e.end_offset = t.where.end_col;
      e.text = source_line(src_, e.line) + "\n";
      check_rest_of_source(e);
      throw e;
    }
    take();
    while (peek().kind != tok::dedent && peek().kind != tok::end) statement(body);
    if (peek().kind == tok::dedent) take();
  } else {
    simple_statements(body);
  }
  node b;
  b.kind = node_kind::block;
  b.where = from(start);
  b.kids = std::move(body);
  return add(std::move(b));
}

int parser::compound_statement() {
  const token& t = peek();
  if (t.kind == tok::op) {  // decorators
    const span start = t.where;
    std::vector<int> decorators;
    while (op("@")) {
      take();
      decorators.push_back(named_expression());
      if (peek().kind != tok::newline) invalid_syntax();
      take();
    }
    if (kw("def")) return def_statement(std::move(decorators), start);
    if (kw("class")) return class_statement(std::move(decorators), start);
    invalid_syntax();
  }
  const std::string w = t.text;
  if (w == "if") return if_statement(false);
  if (w == "while") return while_statement();
  if (w == "for") return for_statement();
  if (w == "try") return try_statement();
  if (w == "with") return with_statement();
  if (w == "def") return def_statement({}, t.where);
  if (w == "class") return class_statement({}, t.where);
  fail_at(t.where, "'async' and 'await' are not supported by gradlab");
}

int parser::if_statement(bool elif) {
  const token& t = take();
  const span start = t.where;
  const int line = start.line;
  const int test = named_expression();
  if (!op(":") && peek().kind != tok::newline) invalid_syntax();
  expect_colon();
  const int body = block(elif ? "'elif' statement" : "'if' statement", line);
  int orelse = -1;
  if (kw("elif")) {
    const span es = peek().where;
    const int nested = if_statement(true);
    node b;
    b.kind = node_kind::block;
    b.where = from(es);
    b.kids = {nested};
    orelse = add(std::move(b));
  } else if (kw("else")) {
    const int eline = take().where.line;
    expect_colon();
    orelse = block("'else' statement", eline);
  }
  return make(node_kind::if_stmt, start, {test, body, orelse});
}

int parser::while_statement() {
  const span start = take().where;
  const int test = named_expression();
  if (!op(":") && peek().kind != tok::newline) invalid_syntax();
  expect_colon();
  const int body = block("'while' statement", start.line);
  int orelse = -1;
  if (kw("else")) {
    const int eline = take().where.line;
    expect_colon();
    orelse = block("'else' statement", eline);
  }
  return make(node_kind::while_stmt, start, {test, body, orelse});
}

int parser::for_statement() {
  const span start = take().where;
  const int target = expressions_list(true);
  if (const int bad = invalid_target(target, false); bad >= 0)
    fail_at(at(bad).where, "cannot assign to " + expr_name(bad));
  set_context(target, expr_ctx::store);
  if (!kw("in")) invalid_syntax();
  take();
  const int iter = star_expressions();
  if (!op(":") && peek().kind != tok::newline) invalid_syntax();
  expect_colon();
  const int body = block("'for' statement", start.line);
  int orelse = -1;
  if (kw("else")) {
    const int eline = take().where.line;
    expect_colon();
    orelse = block("'else' statement", eline);
  }
  return make(node_kind::for_stmt, start, {target, iter, body, orelse});
}

int parser::try_statement() {
  const span start = take().where;
  expect_colon();
  const int body = block("'try' statement", start.line);
  std::vector<int> kids = {body, -1, -1};
  while (kw("except")) {
    const span hs = take().where;
    int type = -1;
    std::string name;
    if (!op(":") && peek().kind != tok::newline) {
      type = expression();
      if (op(",")) {
        take();
        const int second = expression();
        fail_range(type, second, "multiple exception types must be parenthesized");
      }
      if (kw("as")) {
        take();
        if (!at_name()) invalid_syntax();
        name = take().text;
      }
    }
    if (!op(":") && peek().kind != tok::newline) invalid_syntax();
    expect_colon();
    const int hbody = block("'except' statement", hs.line);
    node h;
    h.kind = node_kind::handler;
    h.where = from(hs);
    h.text = name;
    h.kids = {type, hbody};
    kids.push_back(add(std::move(h)));
  }
  if (kw("else") && kids.size() > 3) {
    const int eline = take().where.line;
    expect_colon();
    kids[1] = block("'else' statement", eline);
  }
  if (kw("finally")) {
    const int fline = take().where.line;
    expect_colon();
    kids[2] = block("'finally' statement", fline);
  }
  if (kids.size() == 3 && kids[2] < 0) {
    std::size_t k = 0;
    while (peek(k).kind == tok::dedent || peek(k).kind == tok::newline) ++k;
    fail_token(peek(k), "expected 'except' or 'finally' block");
  }
  return make(node_kind::try_stmt, start, std::move(kids));
}

int parser::with_statement() {
  const span start = take().where;
  std::vector<int> items;
  auto item = [&]() {
    const span is = peek().where;
    const int ctx = expression();
    int target = -1;
    if (kw("as")) {
      take();
      target = star_expression();
      if (const int bad = invalid_target(target, false); bad >= 0)
        fail_at(at(bad).where, "cannot assign to " + expr_name(bad));
      set_context(target, expr_ctx::store);
    }
    items.push_back(make(node_kind::with_item, is, {ctx, target}));
  };
  bool done = false;
  if (op("(")) {  // with (a as b, c as d):  -- or an ordinary parenthesised expression
    const std::size_t save = pos_;
    const span save_last = last_;
    try {
      take();
      while (!op(")")) {
        item();
        if (op(","))
          take();
        else
          break;
      }
      expect(")");
      if (!op(":")) throw syntax_error();
      done = true;
    } catch (const syntax_error& e) {
      if (e.fatal) throw;
      pos_ = save;
      last_ = save_last;
      items.clear();
    }
  }
  if (!done) {
    item();
    while (op(",")) {
      take();
      item();
    }
  }
  if (!op(":") && peek().kind != tok::newline) invalid_syntax();
  expect_colon();
  const int body = block("'with' statement", start.line);
  std::vector<int> kids = {body};
  kids.insert(kids.end(), items.begin(), items.end());
  return make(node_kind::with_stmt, start, std::move(kids));
}

int parser::def_statement(std::vector<int> decorators, const span& /*decorator start*/) {
  const span start = take().where;
  if (!at_name()) invalid_syntax();
  const std::string name = take().text;
  if (!op("(")) fail_token(peek(), "expected '('");
  take();
  const int args = arguments(false);
  expect(")");
  int returns = -1;
  if (op("->")) {
    take();
    returns = expression();
  }
  expect_colon();
  ++loop_depth_;  // (unused: loops are checked by the compiler)
  --loop_depth_;
  const int body = block("function definition", start.line);
  std::vector<int> kids = {args, body, returns};
  kids.insert(kids.end(), decorators.begin(), decorators.end());
  node n;
  n.kind = node_kind::def;
  n.text = name;
  n.where = from(start);
  n.kids = std::move(kids);
  return add(std::move(n));
}

int parser::class_statement(std::vector<int> decorators, const span& /*decorator start*/) {
  const span start = take().where;
  if (!at_name()) invalid_syntax();
  const std::string name = take().text;
  std::vector<int> bases;
  if (op("(")) {
    const span cs = peek().where;
    const int c = call(-1, cs);  // parse like a call's arguments
    bases.assign(at(c).kids.begin() + 1, at(c).kids.end());
  }
  if (!op(":") && peek().kind != tok::newline) invalid_syntax();
  expect_colon();
  const int body = block("class definition", start.line);
  node n;
  n.kind = node_kind::class_def;
  n.text = name;
  n.ival = static_cast<std::int64_t>(decorators.size());
  n.kids = {body};
  n.kids.insert(n.kids.end(), decorators.begin(), decorators.end());
  n.kids.insert(n.kids.end(), bases.begin(), bases.end());
  n.where = from(start);
  return add(std::move(n));
}

// Parameters of a def (up to ')') or a lambda (up to ':').
int parser::arguments(bool lambda) {
  const span start = peek().where;
  std::vector<int> args;
  bool seen_default = false, seen_star = false, seen_kw = false, slash = false;
  const char* closer = lambda ? ":" : ")";
  while (!op(closer)) {
    const token& t = peek();
    if (seen_kw) fail_token(t, "arguments cannot follow var-keyword argument");
    if (op("/")) {
      if (slash || seen_star || args.empty()) invalid_syntax();
      take();
      slash = true;
      for (int a : args) at(a).op = static_cast<std::uint8_t>(arg_kind::positional_only);
    } else {
      arg_kind kind = seen_star ? arg_kind::keyword_only : arg_kind::normal;
      const span as = t.where;
      if (op("*") || op("**")) {
        const bool two = op("**");
        const token star = take();
        if (!two) {
          if (seen_star) invalid_syntax();
          seen_star = true;
          if (op(",") || op(closer)) {  // a bare '*'
            if (op(closer) || op("**", 1))
              fail_at(star.where, "named arguments must follow bare *");
            take();
            continue;
          }
        }
        kind = two ? arg_kind::varkw : arg_kind::varargs;
        if (two) seen_kw = true;
      }
      if (!at_name()) invalid_syntax();
      node a;
      a.kind = node_kind::arg;
      a.text = take().text;
      a.op = static_cast<std::uint8_t>(kind);
      a.kids = {-1, -1};
      if (!lambda && op(":")) {
        take();
        a.kids[1] = kind == arg_kind::varargs ? star_expression() : expression();
      }
      a.where = from(as);
      if (op("=")) {
        if (kind == arg_kind::varargs || kind == arg_kind::varkw) {
          fail_token(peek(), kind == arg_kind::varargs
                                 ? "var-positional argument cannot have default value"
                                 : "var-keyword argument cannot have default value");
        }
        take();
        a.kids[0] = expression();
        if (kind == arg_kind::normal || kind == arg_kind::positional_only) seen_default = true;
      } else if (seen_default && (kind == arg_kind::normal || kind == arg_kind::positional_only)) {
        fail_at(a.where, "non-default argument follows default argument");
      }
      for (int other : args)
        if (at(other).text == a.text)
          fail_at(a.where, "duplicate argument '" + a.text + "' in function definition");
      args.push_back(add(std::move(a)));
    }
    if (op(",")) {
      take();
      continue;
    }
    if (!op(closer)) invalid_syntax();
  }
  node n;
  n.kind = node_kind::arguments;
  n.kids = std::move(args);
  n.where = from(start);
  return add(std::move(n));
}

int parser::name_node() {
  if (!at_name()) invalid_syntax();
  const token& t = take();
  node n;
  n.kind = node_kind::name;
  n.text = t.text;
  n.where = t.where;
  return add(std::move(n));
}

int parser::simple_statement() {
  const token& t = peek();
  const span start = t.where;
  if (t.kind == tok::name) {
    const std::string w = t.text;
    if (w == "pass" || w == "break" || w == "continue") {
      take();
      return make(w == "pass"    ? node_kind::pass_stmt
                  : w == "break" ? node_kind::break_stmt
                                 : node_kind::continue_stmt,
                  start);
    }
    if (w == "return") {
      take();
      int v = -1;
      if (peek().kind != tok::newline && !op(";")) v = star_expressions();
      return make(node_kind::return_stmt, start, {v});
    }
    if (w == "raise") {
      take();
      int exc = -1, cause = -1;
      if (peek().kind != tok::newline && !op(";")) {
        exc = expression();
        if (kw("from")) {
          take();
          cause = expression();
        }
      }
      return make(node_kind::raise_stmt, start, {exc, cause});
    }
    if (w == "global" || w == "nonlocal") {
      take();
      std::vector<int> names = {name_node()};
      while (op(",")) {
        take();
        names.push_back(name_node());
      }
      return make(w == "global" ? node_kind::global_stmt : node_kind::nonlocal_stmt, start,
                  std::move(names));
    }
    if (w == "del") {
      take();
      const int targets = expressions_list(false);
      std::vector<int> kids;
      if (at(targets).kind == node_kind::tuple &&
          at(targets).where.begin == at(at(targets).kids[0]).where.begin)
        kids = at(targets).kids;  // `del a, b`: the targets themselves
      else
        kids = {targets};
      for (int k : kids) {
        if (const int bad = invalid_target(k, true); bad >= 0)
          fail_at(at(bad).where, "cannot delete " + expr_name(bad));
        set_context(k, expr_ctx::del);
      }
      return make(node_kind::del_stmt, start, std::move(kids));
    }
    if (w == "assert") {
      take();
      const int test = expression();
      int msg = -1;
      if (op(",")) {
        take();
        msg = expression();
      }
      return make(node_kind::assert_stmt, start, {test, msg});
    }
    if (w == "import") return import_statement();
    if (w == "from") return from_statement();
    if (opts_.allow_param && w == "param" && peek(1).kind == tok::name) return param_statement();
  }
  return expression_statement();
}

int parser::import_statement() {
  const span start = take().where;
  std::vector<int> aliases;
  do {
    if (!aliases.empty()) take();
    const span as = peek().where;
    if (!at_name()) invalid_syntax();
    std::string name = take().text;
    while (op(".")) {
      take();
      if (!at_name()) invalid_syntax();
      name += "." + take().text;
    }
    int asname = -1;
    if (kw("as")) {
      take();
      asname = name_node();
    }
    node a;
    a.kind = node_kind::alias;
    a.text = name;
    a.kids = {asname};
    a.where = from(as);
    aliases.push_back(add(std::move(a)));
  } while (op(","));
  return make(node_kind::import_stmt, start, std::move(aliases));
}

int parser::from_statement() {
  const span start = take().where;
  if (op(".") || op("...")) fail_at(peek().where, "relative imports are not supported by gradlab");
  if (!at_name()) invalid_syntax();
  std::string module = take().text;
  while (op(".")) {
    take();
    if (!at_name()) invalid_syntax();
    module += "." + take().text;
  }
  if (!kw("import")) invalid_syntax();
  take();
  std::vector<int> aliases;
  if (op("*")) {
    node a;
    a.kind = node_kind::alias;
    a.text = "*";
    a.kids = {-1};
    a.where = take().where;
    aliases.push_back(add(std::move(a)));
  } else {
    const bool paren = op("(");
    if (paren) take();
    for (;;) {
      const span as = peek().where;
      if (!at_name()) invalid_syntax();
      node a;
      a.kind = node_kind::alias;
      a.text = take().text;
      a.kids = {-1};
      if (kw("as")) {
        take();
        a.kids[0] = name_node();
      }
      a.where = from(as);
      aliases.push_back(add(std::move(a)));
      if (!op(",")) break;
      take();
      if (paren && op(")")) break;
      if (!paren && peek().kind == tok::newline) invalid_syntax();
    }
    if (paren) expect(")");
  }
  node n;
  n.kind = node_kind::import_from;
  n.text = module;
  n.kids = std::move(aliases);
  n.where = from(start);
  return add(std::move(n));
}

// The model language's declaration: param NAME = EXPR, param NAME[d0, d1, ...] = EXPR.
int parser::param_statement() {
  const span start = take().where;
  node n;
  n.kind = node_kind::param;
  const token& nt = take();
  n.text = nt.text;
  if (is_keyword(n.text)) fail_at(nt.where, "'" + n.text + "' cannot be a parameter name");
  n.kids = {-1};
  if (op("[")) {
    take();
    n.op = 1;
    for (;;) {
      const token& d = peek();
      if (d.kind != tok::number || d.is_float || d.is_imag || d.too_big || d.ival < 1 ||
          d.ival > 1000000)
        fail_at(d.where,
                "a parameter's shape must be whole numbers between 1 and 1000000, as in param "
                "W[16, 2]");
      node c;
      c.kind = node_kind::constant;
      c.op = static_cast<std::uint8_t>(const_kind::integer);
      c.ival = d.ival;
      c.where = take().where;
      n.kids.push_back(add(std::move(c)));
      if (n.kids.size() > 5) fail_at(d.where, "a parameter has at most 4 dimensions");
      if (op(",")) {
        take();
        continue;
      }
      expect("]");
      break;
    }
  }
  if (op("=")) {
    take();
    n.kids[0] = expression();
  } else if (peek().kind != tok::newline && !op(";")) {
    fail_token(peek(), "invalid syntax: expected '=' after 'param " + n.text + "'");
  }
  n.where = from(start);
  return add(std::move(n));
}

int parser::expression_statement() {
  const span start = peek().where;
  if (kw("yield")) fail_at(peek().where, "generators ('yield') are not supported by gradlab");
  const int e = star_expressions();
  static const char* const aug[] = {
      "+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=", "^=", ">>=", "<<="};
  static const binary_op aug_op[] = {binary_op::add,     binary_op::sub,      binary_op::mul,
                                     binary_op::truediv, binary_op::floordiv, binary_op::mod,
                                     binary_op::pow,     binary_op::matmul,   binary_op::and_,
                                     binary_op::or_,     binary_op::xor_,     binary_op::rshift,
                                     binary_op::lshift};
  if (op(":")) {  // annotated assignment
    const node_kind k = at(e).kind;
    if (k == node_kind::tuple)
      fail_at(at(e).where, "only single target (not tuple) can be annotated");
    if (k == node_kind::list)
      fail_at(at(e).where, "only single target (not list) can be annotated");
    if (k != node_kind::name && k != node_kind::attribute && k != node_kind::subscript)
      fail_at(at(e).where, "illegal target for annotation");
    take();
    const int ann = expression();
    int value = -1;
    if (op("=")) {
      take();
      value = star_expressions();
    }
    set_context(e, expr_ctx::store);
    return make(node_kind::annassign, start, {e, ann, value});
  }
  for (std::size_t k = 0; k < sizeof aug / sizeof aug[0]; ++k) {
    if (!op(aug[k])) continue;
    const node_kind tk = at(e).kind;
    if (tk != node_kind::name && tk != node_kind::attribute && tk != node_kind::subscript)
      fail_at(at(e).where,
              "'" + expr_name(e) + "' is an illegal expression for augmented assignment");
    take();
    if (kw("yield")) fail_at(peek().where, "generators ('yield') are not supported by gradlab");
    const int value = star_expressions();
    set_context(e, expr_ctx::store);
    return make(node_kind::augassign, start, {e, value}, static_cast<std::uint8_t>(aug_op[k]));
  }
  if (op("=")) {
    std::vector<int> parts = {e};
    while (op("=")) {
      take();
      if (kw("yield")) fail_at(peek().where, "generators ('yield') are not supported by gradlab");
      parts.push_back(star_expressions());
    }
    for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
      const int t = parts[k];
      const int bad = invalid_target(t, false);
      if (bad < 0) continue;
      const node& tn = at(t);
      const bool excluded = tn.kind == node_kind::tuple || tn.kind == node_kind::list ||
                            tn.kind == node_kind::genexp ||
                            (tn.kind == node_kind::constant &&
                             (tn.op == static_cast<std::uint8_t>(const_kind::none) ||
                              tn.op == static_cast<std::uint8_t>(const_kind::true_) ||
                              tn.op == static_cast<std::uint8_t>(const_kind::false_)));
      if (k == 0 && parts.size() == 2 && !excluded) {
        const node& v = at(parts[1]);
        const bool rhs_or =
            v.kind != node_kind::lambda && v.kind != node_kind::starred &&
            !(v.kind == node_kind::unary && v.op == static_cast<std::uint8_t>(unary_op::not_));
        if (rhs_or)
          fail_at(tn.where, "cannot assign to " + expr_name(t) +
                                " here. Maybe you meant '==' instead of '='?");
      }
      fail_at(at(bad).where, "cannot assign to " + expr_name(bad));
    }
    for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
      if (at(parts[k]).kind == node_kind::starred)
        fail_at(at(parts[k]).where, "starred assignment target must be in a list or tuple");
      set_context(parts[k], expr_ctx::store);
    }
    return make(node_kind::assign, start, std::move(parts));
  }
  if (at(e).kind == node_kind::name && (at(e).text == "print" || at(e).text == "exec") &&
      starts_expression() && peek().kind != tok::op) {
    const int b = star_expressions();
    fail_range(e, b,
               "Missing parentheses in call to '" + at(e).text + "'. Did you mean " + at(e).text +
                   "(...)?");
  }
  if (at(e).kind == node_kind::starred) fail_at(at(e).where, "can't use starred expression here");
  return make(node_kind::expr_stmt, start, {e});
}

// ---------------------------------------------------------------- entry points

program parse(const std::string& source, const parse_options& options) {
  stack_base_scope stack;
  // universal newlines, as CPython reads a file
  std::string text;
  text.reserve(source.size());
  for (std::size_t i = 0; i < source.size(); ++i) {
    if (source[i] == '\r') {
      text += '\n';
      if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
    } else {
      text += source[i];
    }
  }
  parser p(text, options);
  return p.run();
}

}  // namespace gradlab::py
