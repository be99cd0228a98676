// Recursive descent with an explicit nesting budget (kMaxNesting) and a height budget
// (kMaxHeight): deep input fails cleanly instead of overflowing the stack.
#include "gradlab/model/parser.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "model/lexer.hpp"

namespace gradlab::model {

namespace {

const std::set<std::string>& python_keywords() {
  static const std::set<std::string> k = {
      "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
      "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
      "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
      "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};
  return k;
}

class parser {
 public:
  explicit parser(const std::string& text) : toks_(tokenize(text)) { prog_.source = text; }

  program run() {
    while (peek().kind != tok::end) {
      if (peek().kind == tok::newline) {
        ++pos_;
        continue;
      }
      statement();
      if (peek().kind != tok::newline) fail(peek(), "invalid syntax");
    }
    return std::move(prog_);
  }

 private:
  const token& peek(std::size_t k = 0) const { return toks_[std::min(pos_ + k, toks_.size() - 1)]; }
  bool is_op(const char* s, std::size_t k = 0) const {
    return peek(k).kind == tok::op && peek(k).text == s;
  }
  const token& take() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }

  [[noreturn]] static void fail_at(const span& at, const std::string& msg) {
    diagnostic d;
    d.line = at.line;
    d.col = at.col;
    d.end_col = at.end_line == at.line && at.end_col > at.col ? at.end_col : at.col + 1;
    d.message = msg;
    throw model_error(d);
  }
  [[noreturn]] void fail(const token& t, const std::string& msg) const {
    if (t.kind == tok::end || (t.kind == tok::newline && t.text.empty())) {
      if (!open_.empty())
        fail_at(open_.back().where, "'" + open_.back().text + "' was never closed");
      fail_at(t.where, msg == "invalid syntax" ? "invalid syntax: unexpected end of input" : msg);
    }
    if (t.kind == tok::op && (t.text == ")" || t.text == "]") && open_.empty())
      fail_at(t.where, "unmatched '" + t.text + "'");
    fail_at(t.where, msg);
  }
  void expect(const char* s) {
    if (!is_op(s)) fail(peek(), std::string("invalid syntax: expected '") + s + "'");
    ++pos_;
  }

  span join(const span& a, const span& b) const {
    span s = a;
    s.end_line = b.end_line;
    s.end_col = b.end_col;
    s.end = b.end;
    return s;
  }

  int add(expr e) {
    for (int c : e.args) e.height = std::max(e.height, prog_.at(c).height + 1);
    for (const auto& k : e.kwargs) e.height = std::max(e.height, prog_.at(k.value).height + 1);
    if (e.height > kMaxHeight)
      fail_at(e.where, "expression too long: more than " + std::to_string(kMaxHeight) +
                           " operations in one expression (split it with assignments)");
    prog_.nodes.push_back(std::move(e));
    return static_cast<int>(prog_.nodes.size()) - 1;
  }

  /// Counts one level of nesting for the lifetime of a recursive call.
  struct nest {
    parser& p;
    nest(parser& pp, const token& at, bool paren) : p(pp) {
      if (++p.depth_ > kMaxNesting)
        fail_at(at.where, paren ? "too many nested parentheses (the limit is " +
                                      std::to_string(kMaxNesting) + ")"
                                : "expression nested too deeply (the limit is " +
                                      std::to_string(kMaxNesting) + " levels)");
    }
    ~nest() { --p.depth_; }
  };
  struct opened {
    parser& p;
    opened(parser& pp, const token& t) : p(pp) { p.open_.push_back(t); }
    ~opened() { p.open_.pop_back(); }
  };

  void statement() {
    const token& first = peek();
    if (first.kind == tok::name && first.text == "param") {
      if (peek(1).kind != tok::name)
        fail(peek(1), "invalid syntax: expected a name after 'param', as in 'param w = 1.0'");
      param_statement();
      return;
    }
    if (first.kind == tok::name && python_keywords().count(first.text))
      fail(first, "'" + first.text +
                      "' is not part of the model language (expressions, "
                      "assignments and 'param' declarations only)");
    if (first.kind == tok::name && is_op("=", 1)) {
      stmt s;
      s.kind = stmt_kind::assign;
      s.name = first.text;
      s.name_span = first.where;
      take();
      take();
      s.value = expression();
      s.where = join(first.where, prog_.at(s.value).where);
      prog_.stmts.push_back(std::move(s));
      return;
    }
    stmt s;
    s.kind = stmt_kind::expression;
    s.value = expression();
    s.where = prog_.at(s.value).where;
    if (is_op("=")) {
      fail_at(s.where, "cannot assign to " + describe(s.value) + ": only a name can be assigned");
    }
    prog_.stmts.push_back(std::move(s));
  }

  std::string describe(int e) const {
    switch (prog_.at(e).kind) {
      case expr_kind::index:
        return "a subscript";
      case expr_kind::call:
      case expr_kind::method:
        return "a function call";
      case expr_kind::number:
        return "a literal";
      default:
        return "an expression";
    }
  }

  void param_statement() {
    const token& kw = take();
    const token& name = take();
    if (python_keywords().count(name.text))
      fail(name, "'" + name.text + "' cannot be a parameter name");
    stmt s;
    s.kind = stmt_kind::param;
    s.name = name.text;
    s.name_span = name.where;
    span last = name.where;
    if (is_op("[")) {
      opened o(*this, peek());
      take();
      s.has_shape = true;
      while (true) {
        const token& d = peek();
        if (d.kind != tok::number || d.number != std::floor(d.number) || d.number < 1 ||
            d.number > 1e6)
          fail(d,
               "a parameter's shape must be whole numbers between 1 and 1000000, as in param W[16, "
               "2]");
        s.shape.push_back(static_cast<std::size_t>(d.number));
        take();
        if (s.shape.size() > 4) fail(d, "a parameter has at most 4 dimensions");
        if (is_op(",")) {
          take();
          continue;
        }
        last = peek().where;
        expect("]");
        break;
      }
      std::size_t total = 1;
      for (auto n : s.shape) total *= n;
      if (total > 1000000)
        fail_at(join(name.where, last), "parameter too large (more than 1000000 elements)");
    }
    if (is_op("=")) {
      take();
      s.value = expression();
      last = prog_.at(s.value).where;
    } else if (peek().kind != tok::newline) {
      fail(peek(), "invalid syntax: expected '=' after 'param " + s.name + "'");
    }
    s.where = join(kw.where, last);
    prog_.stmts.push_back(std::move(s));
  }

  int expression() { return sum(); }

  int binary(const std::string& op, int a, int b) {
    expr e;
    e.kind = expr_kind::binary;
    e.text = op;
    e.args = {a, b};
    e.where = join(prog_.at(a).where, prog_.at(b).where);
    return add(std::move(e));
  }

  int sum() {
    int left = term();
    while (is_op("+") || is_op("-")) {
      const std::string op = take().text;
      left = binary(op, left, term());
    }
    return left;
  }

  int term() {
    int left = unary();
    while (is_op("*") || is_op("/") || is_op("@")) {
      const std::string op = take().text;
      if (op == "/" && is_op("/")) fail(peek(), "'//' (floor division) is not supported");
      left = binary(op, left, unary());
    }
    return left;
  }

  int unary() {
    if (is_op("-") || is_op("+")) {
      const token& t = take();
      nest n(*this, t, false);
      expr e;
      e.kind = expr_kind::unary;
      e.text = t.text;
      e.args = {unary()};
      e.where = join(t.where, prog_.at(e.args[0]).where);
      return add(std::move(e));
    }
    return power();
  }

  // ** binds tighter than a unary minus on its left and is right-associative; its right
  // operand may carry its own sign (2 ** -1).
  int power() {
    int base = postfix();
    if (is_op("**")) {
      const token& t = take();
      nest n(*this, t, false);
      return binary("**", base, unary());
    }
    return base;
  }

  int postfix() {
    int e = atom();
    while (true) {
      if (is_op("(")) {
        const expr& callee = prog_.at(e);
        if (callee.kind != expr_kind::name)
          fail(peek(), "invalid syntax: only functions and methods can be called");
        expr c;
        c.kind = expr_kind::call;
        c.text = callee.text;
        const span start = callee.where;
        const span end = arguments(c);
        c.where = join(start, end);
        e = add(std::move(c));
      } else if (is_op(".")) {
        take();
        const token& name = peek();
        if (name.kind != tok::name)
          fail(name, "invalid syntax: expected a method or attribute name after '.'");
        take();
        expr m;
        m.text = name.text;
        m.args = {e};
        if (is_op("(")) {
          m.kind = expr_kind::method;
          const span end = arguments(m);
          m.where = join(prog_.at(e).where, end);
        } else {
          m.kind = expr_kind::attribute;
          m.where = join(prog_.at(e).where, name.where);
        }
        e = add(std::move(m));
      } else if (is_op("[")) {
        const token& open = peek();
        opened o(*this, open);
        nest n(*this, open, true);
        take();
        expr ix;
        ix.kind = expr_kind::index;
        ix.args = {e};
        while (true) {
          if (is_op(":")) {
            expr sl;
            sl.kind = expr_kind::slice;
            sl.where = take().where;
            if (!is_op(",") && !is_op("]"))
              fail(peek(), "slices with bounds (a:b) are not supported: use ':' or an index");
            ix.args.push_back(add(std::move(sl)));
          } else {
            ix.args.push_back(expression());
            if (is_op(":"))
              fail(peek(), "slices with bounds (a:b) are not supported: use ':' or an index");
          }
          if (is_op(",")) {
            take();
            continue;
          }
          const span end = peek().where;
          expect("]");
          ix.where = join(prog_.at(e).where, end);
          break;
        }
        e = add(std::move(ix));
      } else {
        return e;
      }
    }
  }

  /// ( positional..., name=value... ); returns the span of the closing parenthesis.
  span arguments(expr& call) {
    const token& open = peek();
    opened o(*this, open);
    nest n(*this, open, true);
    take();
    std::set<std::string> named;  // a set, not a scan of the earlier ones: 40,000 keywords took 3 s
    while (!is_op(")")) {
      if (peek().kind == tok::name && is_op("=", 1)) {
        keyword k;
        k.name = peek().text;
        k.where = peek().where;
        if (!named.insert(k.name).second) fail(peek(), "keyword argument repeated: " + k.name);
        take();
        take();
        k.value = expression();
        call.kwargs.push_back(std::move(k));
      } else {
        if (!call.kwargs.empty()) fail(peek(), "positional argument follows keyword argument");
        call.args.push_back(expression());
      }
      if (is_op(",")) {
        take();
        continue;
      }
      if (!is_op(")")) fail(peek(), "invalid syntax: expected ',' or ')'");
    }
    const span end = peek().where;
    take();
    return end;
  }

  int atom() {
    const token& t = peek();
    if (t.kind == tok::number) {
      take();
      expr e;
      e.kind = expr_kind::number;
      e.number = t.number;
      e.text = t.text;
      e.where = t.where;
      return add(std::move(e));
    }
    if (t.kind == tok::name && (t.text == "True" || t.text == "False" || t.text == "None")) {
      take();  // Python's constants: True/False as numbers, None as "not given"
      expr e;
      e.kind = expr_kind::number;
      e.number = t.text == "True" ? 1 : 0;
      e.text = t.text;
      e.where = t.where;
      return add(std::move(e));
    }
    if (t.kind == tok::name) {
      if (python_keywords().count(t.text))
        fail(t, "'" + t.text + "' is not part of the model language");
      take();
      expr e;
      e.kind = expr_kind::name;
      e.text = t.text;
      e.where = t.where;
      return add(std::move(e));
    }
    if (is_op("(")) {
      opened o(*this, t);
      nest n(*this, t, true);
      take();
      if (is_op(")")) fail(peek(), "invalid syntax: empty parentheses (tuples are not supported)");
      int inner = sum();
      if (is_op(",")) fail(peek(), "tuples are not supported");
      const span end = peek().where;
      expect(")");
      // the parenthesised expression keeps its node; widen its span to the parentheses
      prog_.nodes[static_cast<std::size_t>(inner)].where = join(t.where, end);
      return inner;
    }
    if (is_op("[")) {
      opened o(*this, t);
      nest n(*this, t, true);
      take();
      expr e;
      e.kind = expr_kind::list;
      while (!is_op("]")) {
        e.args.push_back(expression());
        if (is_op(",")) {
          take();
          continue;
        }
        if (!is_op("]")) fail(peek(), "invalid syntax: expected ',' or ']'");
      }
      const span end = peek().where;
      take();
      e.where = join(t.where, end);
      return add(std::move(e));
    }
    if (t.kind == tok::newline || t.kind == tok::end)
      fail(t, "invalid syntax: expected an expression");
    fail(t, "invalid syntax");
  }

  std::vector<token> toks_;
  std::size_t pos_ = 0;
  program prog_;
  int depth_ = 0;
  std::vector<token> open_;  // the brackets open around the current position
};

}  // namespace

program parse(const std::string& text) { return parser(text).run(); }

std::string program::text_of(int i, std::size_t max_len) const {
  const span& s = at(i).where;
  std::string t = source.substr(s.begin, s.end - s.begin);
  for (char& c : t)
    if (c == '\n' || c == '\t') c = ' ';
  if (t.size() > max_len) t = t.substr(0, max_len - 3) + "...";
  return t;
}

}  // namespace gradlab::model
