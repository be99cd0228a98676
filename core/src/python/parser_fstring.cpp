// f-strings as CPython 3.11 reads them: the literal parts with {{ }} and escapes, and each
// {expression!conversion:format_spec} field, whose expression is tokenized and parsed from
// its place in the source (so runtime errors point into the f-string) by a sub-parser.
#include "python/parser_impl.hpp"

namespace gradlab::py {

namespace {

struct cursor {
  std::size_t i;
  int line, col;
};

void step(const std::string& s, cursor& c) {
  const unsigned char ch = static_cast<unsigned char>(s[c.i++]);
  if (ch == '\n') {
    ++c.line;
    c.col = 1;
  } else if ((ch & 0xC0) != 0x80) {
    ++c.col;
  }
}

}  // namespace

int parser::fstring_field_expression() {
  const int e = star_expressions();
  if (peek().kind != tok::end) invalid_syntax();
  if (at(e).kind == node_kind::starred) fail_at(at(e).where, "cannot use starred expression here");
  return e;
}

int parser::fstring(const token& t, std::vector<int>& parts) {
  cursor c{t.body, t.body_line, t.body_col};
  fstring_body(t, &c, parts, 0);
  return 0;
}

// Literal text and fields up to the end of the string, or up to the '}' that ends a format
// spec (nested = the number of enclosing format specs).
void parser::fstring_body(const token& t, void* cur, std::vector<int>& out, int nested) {
  cursor& c = *static_cast<cursor*>(cur);
  const std::string& s = src_;
  const std::size_t end = t.body_end;
  auto scan_error = [&](const std::string& msg) {
    const token& next = peek();
    syntax_error e;
    e.message = msg;
    e.line = next.where.line;
    e.offset = next.where.col;
    e.end_line = next.where.line;
    e.end_offset = next.where.col;
    e.text = source_line(src_, e.line) + "\n";
    check_rest_of_source(e);
    throw e;
  };
  {
    std::size_t lit_begin = c.i;
    cursor lit_start = c;
    std::string lit;
    auto flush = [&](std::size_t upto) {
      if (upto > lit_begin)
        lit += t.raw ? s.substr(lit_begin, upto - lit_begin)
                     : decode_escapes(lex_, s, lit_begin, upto, lit_start.line, lit_start.col);
      if (!lit.empty()) {
        node n;
        n.kind = node_kind::constant;
        n.op = static_cast<std::uint8_t>(const_kind::string);
        n.text = lit;
        n.where = t.where;
        out.push_back(add(std::move(n)));
        lit.clear();
      }
    };
    while (c.i < end) {
      const char ch = s[c.i];
      if (nested && ch == '}') break;
      if (!t.raw && ch == '\\' && c.i + 1 < end) {  // an escape never starts a field
        step(s, c);
        step(s, c);
        continue;
      }
      if ((ch == '{' || ch == '}') && c.i + 1 < end && s[c.i + 1] == ch && !nested) {
        flush(c.i);
        lit += ch;
        step(s, c);
        step(s, c);
        lit_begin = c.i;
        lit_start = c;
        continue;
      }
      if (ch == '}') scan_error("f-string: single '}' is not allowed");
      if (ch != '{') {
        step(s, c);
        continue;
      }
      flush(c.i);
      if (nested >= 2) scan_error("f-string: expressions nested too deeply");
      step(s, c);  // '{'
      const cursor expr_start = c;
      // the expression ends at a top-level '!', ':', '=' or '}'
      std::vector<char> brackets;
      char quote = 0;
      bool triple = false;
      for (;;) {
        if (c.i >= end) scan_error("f-string: expecting '}'");
        const char d = s[c.i];
        if (quote) {
          if (d == '\\') scan_error("f-string expression part cannot include a backslash");
          if (d == quote &&
              (!triple || (c.i + 2 < end && s[c.i + 1] == quote && s[c.i + 2] == quote))) {
            if (triple) step(s, c), step(s, c);
            quote = 0;
          }
          step(s, c);
          continue;
        }
        if (d == '\\') scan_error("f-string expression part cannot include a backslash");
        if (d == '#') scan_error("f-string expression part cannot include '#'");
        if (d == '\'' || d == '"') {
          quote = d;
          triple = c.i + 2 < end && s[c.i + 1] == d && s[c.i + 2] == d;
          if (triple) step(s, c), step(s, c);
          step(s, c);
          continue;
        }
        if (d == '(' || d == '[' || d == '{') {
          brackets.push_back(d);
        } else if (d == ')' || d == ']' || d == '}') {
          if (brackets.empty()) {
            if (d == '}') break;
            scan_error(std::string("f-string: unmatched '") + d + "'");
          }
          const char open = brackets.back();
          if ((open == '(' && d != ')') || (open == '[' && d != ']') || (open == '{' && d != '}'))
            scan_error(std::string("f-string: closing parenthesis '") + d +
                       "' does not match opening parenthesis '" + open + "'");
          brackets.pop_back();
        } else if (brackets.empty()) {
          const char nx = c.i + 1 < end ? s[c.i + 1] : '\0';
          if (d == '!' && nx != '=') break;
          if (d == ':') break;
          if (d == '=' && nx != '=') {
            const char pv = c.i > expr_start.i ? s[c.i - 1] : '\0';
            if (pv != '=' && pv != '!' && pv != '<' && pv != '>') break;
          }
          if (d == '=' && nx == '=') step(s, c);
        }
        step(s, c);
      }
      const cursor expr_end = c;
      bool blank = true;
      for (std::size_t k = expr_start.i; k < expr_end.i; ++k)
        if (s[k] != ' ' && s[k] != '\t' && s[k] != '\n' && s[k] != '\f') blank = false;
      if (blank) scan_error("f-string: empty expression not allowed");
      std::string debug;
      if (s[c.i] == '=') {
        step(s, c);
        while (c.i < end && (s[c.i] == ' ' || s[c.i] == '\t')) step(s, c);
        debug = s.substr(expr_start.i, c.i - expr_start.i);
      }
      char conversion = 0;
      if (c.i < end && s[c.i] == '!') {
        step(s, c);
        if (c.i >= end) scan_error("f-string: expecting '}'");
        conversion = s[c.i];
        if (conversion != 's' && conversion != 'r' && conversion != 'a')
          scan_error("f-string: invalid conversion character: expected 's', 'r', or 'a'");
        step(s, c);
      }
      int spec = -1;
      if (c.i < end && s[c.i] == ':') {
        step(s, c);
        std::vector<int> spec_parts;
        fstring_body(t, &c, spec_parts, nested + 1);
        node sp;
        sp.kind = node_kind::fstring;
        sp.kids = std::move(spec_parts);
        sp.where = t.where;
        spec = add(std::move(sp));
      }
      if (c.i >= end || s[c.i] != '}') scan_error("f-string: expecting '}'");
      step(s, c);
      // parse the expression where it stands
      int value;
      {
        parser sub(s, expr_start.i, expr_end.i, expr_start.line, expr_start.col, depth_ + 1, prog_);
        try {
          value = sub.fstring_field_expression();
        } catch (const syntax_error& e) {
          if (e.type == "RecursionError") throw;
          syntax_error f = e;  // shown as CPython shows it: on the text "(expression)"
          f.message = "f-string: " + e.message;
          f.text = "(" + s.substr(expr_start.i, expr_end.i - expr_start.i) + ")\n";
          f.line = expr_start.line;
          f.offset = e.offset - expr_start.col + 2;
          f.end_line = expr_start.line;
          f.end_offset = e.end_offset - expr_start.col + 2;
          f.fatal = false;
          check_rest_of_source(f);
          throw f;
        }
      }
      if (!debug.empty()) {
        node d;
        d.kind = node_kind::constant;
        d.op = static_cast<std::uint8_t>(const_kind::string);
        d.text = debug;
        d.where = t.where;
        out.push_back(add(std::move(d)));
        if (!conversion && spec < 0) conversion = 'r';
      }
      node f;
      f.kind = node_kind::formatted;
      f.op = static_cast<std::uint8_t>(conversion);
      f.kids = {value, spec};
      f.where = t.where;
      out.push_back(add(std::move(f)));
      lit_begin = c.i;
      lit_start = c;
    }
    flush(c.i);
  }
}

}  // namespace gradlab::py
