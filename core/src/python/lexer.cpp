// Python's tokenizer (CPython 3.11's rules and messages): INDENT/DEDENT from an indentation
// stack, implicit line joining inside brackets, backslash continuation, NEWLINE tokens that
// start at a trailing comment, strings with prefixes and escapes, numbers with underscores.
// Columns count characters (UTF-8 continuation bytes do not count).
#include "python/lexer.hpp"

#include <cstdlib>
#include <cstring>

namespace gradlab::py {

namespace {

bool ident_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool digit(char c) { return c >= '0' && c <= '9'; }
bool ident_char(unsigned char c) { return ident_start(c) || digit(static_cast<char>(c)); }
bool hexdigit(char c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/// Decodes the UTF-8 character at s[i]; n = its byte length.
std::uint32_t decode_utf8(const std::string& s, std::size_t i, std::size_t end, int& n) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  std::uint32_t cp = c;
  n = 1;
  if (c >= 0xF0)
    n = 4, cp = c & 7;
  else if (c >= 0xE0)
    n = 3, cp = c & 15;
  else if (c >= 0xC0)
    n = 2, cp = c & 31;
  for (int k = 1; k < n; ++k) {
    if (i + static_cast<std::size_t>(k) >= end) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 63);
  }
  return cp;
}

/// Non-ASCII characters accepted in names: the letters of the common scripts (CPython
/// accepts all of Unicode's XID classes; these ranges avoid shipping Unicode's tables).
bool unicode_letter(std::uint32_t c) {
  return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
         (c >= 0x370 && c <= 0x3FF && c != 0x37E && c != 0x387) || (c >= 0x400 && c <= 0x4FF) ||
         (c >= 0x3040 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || c == 0xB5 || c == 0xAA || c == 0xBA;
}
bool unicode_nonprintable(std::uint32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0xA0) || c == 0xAD ||
         (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
         (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0xFEFF;
}

const char* const kKeywords[] = {
    "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
    "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
    "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
    "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};

}  // namespace

bool is_keyword(const std::string& s) {
  for (const char* k : kKeywords)
    if (s == k) return true;
  return false;
}

lexer::lexer(const std::string& src, std::size_t begin, std::size_t end, int line, int col,
             bool in_brackets)
    : src_(src), i_(begin), end_(end), line_(line), col_(col), sub_(in_brackets) {
  if (sub_) at_line_start_ = false;
  if (!sub_ && src_.compare(0, 3, "\xEF\xBB\xBF") == 0 && begin == 0) i_ = 3;  // BOM
}

void lexer::advance() {
  const unsigned char c = static_cast<unsigned char>(src_[i_]);
  ++i_;
  if (c == '\n') {
    ++line_;
    col_ = 1;
  } else if ((c & 0xC0) != 0x80) {
    ++col_;
  }
}

span lexer::here() const {
  span s;
  s.line = s.end_line = line_;
  s.col = s.end_col = col_;
  s.begin = s.end = i_;
  return s;
}

void lexer::fail(const char* type, const std::string& msg, int line, int col, int end_line,
                 int end_col) const {
  syntax_error e;
  e.type = type;
  e.message = msg;
  e.line = line;
  e.offset = col;
  e.end_line = end_line;
  e.end_offset = end_col;
  e.text = source_line(src_, line) + "\n";
  e.fatal = true;
  throw e;
}

[[noreturn]] void lexer::bad_character() {
  int n = 1;
  const std::uint32_t cp = decode_utf8(src_, i_, end_, n);
  char hex[16];
  std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(cp));
  const span s = here();
  if (unicode_nonprintable(cp))
    fail("SyntaxError", std::string("invalid non-printable character ") + hex, s.line, s.col,
         s.line, s.col);
  fail("SyntaxError",
       "invalid character '" + src_.substr(i_, static_cast<std::size_t>(n)) + "' (" + hex + ")",
       s.line, s.col, s.line, s.col);
}

// At the start of a line: measures the indentation and queues INDENT/DEDENT tokens.
// Returns false for a blank or comment-only line (consumed whole).
bool lexer::indentation() {
  int col = 0, alt = 0;
  while (i_ < end_) {
    const char c = src_[i_];
    if (c == ' ') {
      ++col, ++alt;
    } else if (c == '\t') {
      col = (col / 8 + 1) * 8;
      ++alt;
    } else if (c == '\f') {
      col = alt = 0;
    } else {
      break;
    }
    advance();
  }
  const char c = peek();
  if (c == '#' || c == '\n' || c == '\r' || c == '\0' || (c == '\\' && peek(1) == '\n')) {
    if (c == '\\') {  // a line that is only a continuation joins the next one
      advance();
      advance();
      return false;
    }
    while (i_ < end_ && src_[i_] != '\n') advance();
    if (i_ < end_) advance();
    return false;
  }
  const int line_len = static_cast<int>(source_line(src_, line_).size());
  if (col == indents_.back()) {
    if (alt != alt_indents_.back())
      fail("TabError", "inconsistent use of tabs and spaces in indentation", line_, 1, line_, 0);
  } else if (col > indents_.back()) {
    if (static_cast<int>(indents_.size()) >= kMaxIndentDepth)
      fail("IndentationError", "too many levels of indentation", line_, line_len + 1, line_,
           line_len + 1);
    if (alt <= alt_indents_.back())
      fail("TabError", "inconsistent use of tabs and spaces in indentation", line_, 1, line_, 0);
    indents_.push_back(col);
    alt_indents_.push_back(alt);
    pending_indent_ = true;
  } else {
    while (indents_.size() > 1 && col < indents_.back()) {
      indents_.pop_back();
      alt_indents_.pop_back();
      ++pending_dedents_;
    }
    if (col != indents_.back())
      fail("IndentationError", "unindent does not match any outer indentation level", line_,
           line_len + 1, line_, line_len + 1);
    if (alt != alt_indents_.back())
      fail("TabError", "inconsistent use of tabs and spaces in indentation", line_, 1, line_, 0);
  }
  return true;
}

token lexer::next() {
  token t;
  for (;;) {
    if (pending_dedents_ > 0) {
      --pending_dedents_;
      t.kind = tok::dedent;
      t.where = here();
      t.level = level();
      return last_ = t;
    }
    if (pending_indent_) {
      pending_indent_ = false;
      t.kind = tok::indent;
      t.where = here();
      t.where.col = t.where.end_col = col_ - 1;  // no caret under "unexpected indent"
      return last_ = t;
    }
    if (at_line_start_ && parens_.empty() && !sub_) {
      if (i_ >= end_) break;
      at_line_start_ = false;
      if (!indentation()) {
        at_line_start_ = true;
        continue;
      }
      if (pending_dedents_ || pending_indent_) continue;
    }
    if (i_ >= end_) break;
    const char c = src_[i_];
    if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
      advance();
      continue;
    }
    if (c == '#' || c == '\n') {
      span s = here();
      while (i_ < end_ && src_[i_] != '\n') advance();
      if (!parens_.empty() || sub_) {
        if (i_ < end_) advance();
        continue;
      }
      finish(s);  // NEWLINE starts at a trailing comment and ends at the '\n'
      if (i_ < end_) advance();
      at_line_start_ = true;
      if (emitted_newline_) continue;  // cannot happen after a token; kept for safety
      emitted_newline_ = true;
      t.kind = tok::newline;
      t.where = s;
      return last_ = t;
    }
    if (c == '\\') {
      span s = here();
      advance();
      if (i_ >= end_) {
        s.col += 1;
        fail("SyntaxError", "unexpected EOF while parsing", s.line, s.col, s.line, s.col);
      }
      if (src_[i_] != '\n')
        fail("SyntaxError", "unexpected character after line continuation character", s.line,
             s.col + 1, s.line, s.col + 1);
      advance();
      if (i_ >= end_ && !sub_)
        fail("SyntaxError", "unexpected EOF while parsing", s.line, s.col + 1, s.line, s.col + 1);
      continue;
    }
    emitted_newline_ = false;
    const unsigned char u = static_cast<unsigned char>(c);
    if (digit(c) || (c == '.' && digit(peek(1)))) {
      t = number();
    } else if (ident_start(u) || u >= 0x80) {
      span s = here();
      const std::size_t b = i_;
      while (i_ < end_) {
        const unsigned char d = static_cast<unsigned char>(src_[i_]);
        if (ident_char(d)) {
          advance();
        } else if (d >= 0x80) {
          int n = 1;
          const std::uint32_t cp = decode_utf8(src_, i_, end_, n);
          if (!unicode_letter(cp)) {
            if (i_ == b) bad_character();
            break;
          }
          for (int k = 0; k < n; ++k) advance();
        } else {
          break;
        }
      }
      if (i_ == b) bad_character();
      const std::string word = src_.substr(b, i_ - b);
      if ((peek() == '\'' || peek() == '"') && word.size() <= 2) {
        bool ok = true;
        for (char p : word) ok = ok && std::strchr("rRuUfFbB", p);
        const bool two = word.size() == 2;
        if (two) {
          const char a = static_cast<char>(word[0] | 32), bb = static_cast<char>(word[1] | 32);
          ok = ok && a != bb && (a == 'r' || bb == 'r');
        }
        if (ok) {
          t = string_token(s, word);
          t.level = level();
          return last_ = t;
        }
      }
      t.kind = tok::name;
      t.text = word;
      finish(s);
      t.where = s;
    } else if (c == '\'' || c == '"') {
      t = string_token(here(), "");
    } else {
      t = op_token();
    }
    t.level = level();
    return last_ = t;
  }
  // end of input: a NEWLINE if the last line lacks one, DEDENTs, then ENDMARKER. CPython
  // places them at the end of the last line (after a final newline), or at column 0
  span eof = here();
  if (!sub_) {
    if (i_ > 0 && src_[i_ - 1] == '\n') eof.line = eof.end_line = line_ - 1;
    eof.col = eof.end_col = 0;
  }
  if (!parens_.empty() && !sub_) {
    t.kind = tok::end;
    t.where = eof;
    return last_ = t;
  }
  if (!emitted_newline_ && !sub_) {
    emitted_newline_ = true;
    t.kind = tok::newline;
    t.where = here();
    return last_ = t;
  }
  if (indents_.size() > 1 && !sub_) {
    indents_.pop_back();
    alt_indents_.pop_back();
    t.kind = tok::dedent;
    t.where = eof;
    return last_ = t;
  }
  t.kind = tok::end;
  t.where = eof;
  return last_ = t;
}

token lexer::number() {
  token t;
  t.kind = tok::number;
  span s = here();
  const std::size_t b = i_;
  std::string clean;
  auto fail_here = [&](const std::string& m) {
    // CPython reports the last character read
    fail("SyntaxError", m, line_, col_ - 1 < s.col ? s.col : col_ - 1, line_,
         col_ - 1 < s.col ? s.col : col_ - 1);
  };
  auto digits = [&](bool (*ok)(char), const char* kind) {
    // digits with single underscores between them
    for (;;) {
      while (i_ < end_ && ok(src_[i_])) clean += src_[i_], advance();
      if (peek() != '_') return;
      advance();
      if (!ok(peek())) {
        col_ -= 0;
        fail_here(std::string("invalid ") + kind + " literal");
      }
    }
  };
  auto end_check = [&](const char* kind) {
    const unsigned char d = static_cast<unsigned char>(peek());
    if (ident_char(d) || d >= 0x80)
      fail("SyntaxError", std::string("invalid ") + kind + " literal", s.line, s.col, s.line,
           s.col);
  };
  const char c0 = peek(), c1 = static_cast<char>(peek(1) | 32);
  if (c0 == '0' && (c1 == 'x' || c1 == 'o' || c1 == 'b')) {
    advance();
    advance();
    const int base = c1 == 'x' ? 16 : c1 == 'o' ? 8 : 2;
    const char* kind = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
    if (peek() == '_') advance();
    auto ok = base == 16  ? +[](char c) { return hexdigit(c); }
              : base == 8 ? +[](char c) { return c >= '0' && c <= '7'; }
                          : +[](char c) { return c == '0' || c == '1'; };
    if (!ok(peek())) {
      if (digit(peek())) {
        advance();
        fail_here(std::string("invalid digit '") + src_[i_ - 1] + "' in " + kind + " literal");
      }
      fail_here(std::string("invalid ") + kind + " literal");
    }
    digits(ok, kind);
    if (digit(peek())) {
      advance();
      fail_here(std::string("invalid digit '") + src_[i_ - 1] + "' in " + kind + " literal");
    }
    end_check(kind);
    std::uint64_t v = 0;
    for (char d : clean) {
      const int dv = digit(d) ? d - '0' : (d | 32) - 'a' + 10;
      if (v > (UINT64_MAX - static_cast<std::uint64_t>(dv)) / static_cast<std::uint64_t>(base))
        t.too_big = true;
      v = v * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(dv);
    }
    if (v > static_cast<std::uint64_t>(INT64_MAX)) t.too_big = true;
    t.ival = static_cast<std::int64_t>(v);
  } else {
    bool is_float = false;
    digits(
        +[](char c) { return digit(c); }, "decimal");
    if (peek() == '.') {
      is_float = true;
      clean += '.';
      advance();
      if (digit(peek()))
        digits(
            +[](char c) { return digit(c); }, "decimal");
    }
    if ((peek() | 32) == 'e') {
      const std::size_t save_i = i_;
      const int save_col = col_;
      std::string save_clean = clean;
      clean += 'e';
      advance();
      const bool sign = peek() == '+' || peek() == '-';
      if (sign) clean += peek(), advance();
      if (!digit(peek())) {
        if (sign) fail_here("invalid decimal literal");
        i_ = save_i;
        col_ = save_col;
        clean = save_clean;
        fail("SyntaxError", "invalid decimal literal", s.line, s.col, s.line, s.col);
      }
      digits(
          +[](char c) { return digit(c); }, "decimal");
      is_float = true;
    }
    if ((peek() | 32) == 'j') {
      advance();
      t.is_imag = true;
    }
    end_check("decimal");
    if (!is_float && !t.is_imag && clean.size() > 1 && clean[0] == '0') {
      bool zeros = true;
      for (char d : clean) zeros = zeros && d == '0';
      if (!zeros) {
        int zend = s.col;
        for (std::size_t k = b; k < i_ && (src_[k] == '0' || src_[k] == '_'); ++k) ++zend;
        fail("SyntaxError",
             "leading zeros in decimal integer literals are not permitted; use an 0o prefix for "
             "octal "
             "integers",
             s.line, s.col, s.line, zend);
      }
    }
    t.is_float = is_float;
    if (is_float || t.is_imag) {
      t.fval = std::strtod(clean.c_str(), nullptr);
    } else {
      std::uint64_t v = 0;
      for (char d : clean) {
        if (v > (UINT64_MAX - 9) / 10) t.too_big = true;
        v = v * 10 + static_cast<std::uint64_t>(d - '0');
      }
      if (v > static_cast<std::uint64_t>(INT64_MAX)) t.too_big = true;
      t.ival = static_cast<std::int64_t>(v);
    }
  }
  finish(s);
  t.where = s;
  t.text = src_.substr(b, i_ - b);
  return t;
}

token lexer::string_token(span s, const std::string& prefix) {
  token t;
  t.kind = tok::string;
  for (char c : prefix) {
    const char p = static_cast<char>(c | 32);
    if (p == 'f') t.fstring = true;
    if (p == 'b') t.bytes = true;
    if (p == 'r') t.raw = true;
  }
  const char q = src_[i_];
  const bool triple = peek(1) == q && peek(2) == q;
  const int n = triple ? 3 : 1;
  for (int k = 0; k < n; ++k) advance();
  t.body = i_;
  t.body_line = line_;
  t.body_col = col_;
  for (;;) {
    if (i_ >= end_ || (!triple && src_[i_] == '\n')) {
      if (triple) {
        int last = line_;  // the last line that has characters
        if (i_ >= end_ && i_ > 0 && src_[i_ - 1] == '\n') last -= 1;
        fail("SyntaxError",
             "unterminated triple-quoted string literal (detected at line " + std::to_string(last) +
                 ")",
             s.line, s.col, s.line, s.col);
      }
      fail("SyntaxError",
           "unterminated string literal (detected at line " + std::to_string(line_) + ")", s.line,
           s.col, s.line, s.col);
    }
    const char c = src_[i_];
    if (c == '\\' && i_ + 1 < end_) {
      advance();
      advance();
      continue;
    }
    if (c == q && (!triple || (peek(1) == q && peek(2) == q))) break;
    advance();
  }
  t.body_end = i_;
  for (int k = 0; k < n; ++k) advance();
  finish(s);
  t.where = s;
  if (!t.fstring) {
    t.text = t.raw ? src_.substr(t.body, t.body_end - t.body)
                   : decode_escapes(*this, src_, t.body, t.body_end, t.body_line, t.body_col);
  }
  return t;
}

token lexer::op_token() {
  token t;
  t.kind = tok::op;
  span s = here();
  static const char* const ops3[] = {"**=", "//=", ">>=", "<<=", "...", nullptr};
  static const char* const ops2[] = {"**", "//", ">>", "<<", "<=", ">=", "==", "!=", "->", "+=",
                                     "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", ":=", nullptr};
  std::size_t n = 0;
  for (int k = 0; ops3[k] && !n; ++k)
    if (src_.compare(i_, 3, ops3[k]) == 0 && i_ + 3 <= end_) n = 3;
  for (int k = 0; ops2[k] && !n; ++k)
    if (src_.compare(i_, 2, ops2[k]) == 0 && i_ + 2 <= end_) n = 2;
  const char c = src_[i_];
  if (!n) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      if (c == '\0')
        fail("SyntaxError", "source code cannot contain null bytes", s.line, s.col, s.line, s.col);
      bad_character();
    }
    n = 1;
  }
  for (std::size_t k = 0; k < n; ++k) advance();
  finish(s);
  t.where = s;
  t.text = src_.substr(s.begin, n);
  if (n == 1 && (c == '(' || c == '[' || c == '{')) {
    if (static_cast<int>(parens_.size()) >= kMaxParenDepth)
      fail("SyntaxError", "too many nested parentheses", s.line, s.col, s.line, s.col);
    t.level = level();
    parens_.push_back(t);
  } else if (n == 1 && (c == ')' || c == ']' || c == '}')) {
    if (parens_.empty()) {
      if (sub_) return t;  // the end of an f-string replacement field
      fail("SyntaxError", std::string("unmatched '") + c + "'", s.line, s.col, s.line, s.col);
    }
    const char open = parens_.back().text[0];
    if ((open == '(' && c != ')') || (open == '[' && c != ']') || (open == '{' && c != '}')) {
      std::string m = std::string("closing parenthesis '") + c +
                      "' does not match opening parenthesis '" + open + "'";
      if (parens_.back().where.line != s.line)
        m += " on line " + std::to_string(parens_.back().where.line);
      fail("SyntaxError", m, s.line, s.col, s.line, s.col);
    }
    parens_.pop_back();
  }
  return t;
}

void put_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 63));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 63));
    out += static_cast<char>(0x80 | (cp & 63));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 63));
    out += static_cast<char>(0x80 | ((cp >> 6) & 63));
    out += static_cast<char>(0x80 | (cp & 63));
  }
}

std::string decode_escapes(const lexer& lx, const std::string& src, std::size_t b, std::size_t e,
                           int line, int col) {
  std::string out;
  out.reserve(e - b);
  auto put = [&](std::uint32_t cp) { put_utf8(out, cp); };
  for (std::size_t i = b; i < e; ++i) {
    const char c = src[i];
    if (c != '\\' || i + 1 >= e) {
      out += c;
      continue;
    }
    const char d = src[++i];
    switch (d) {
      case '\n':
        break;
      case '\\':
        out += '\\';
        break;
      case '\'':
        out += '\'';
        break;
      case '"':
        out += '"';
        break;
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x':
      case 'u':
      case 'U': {
        const int n = d == 'x' ? 2 : d == 'u' ? 4 : 8;
        std::uint32_t cp = 0;
        int k = 0;
        for (; k < n && i + 1 < e && hexdigit(src[i + 1]); ++k) {
          const char h = src[++i];
          cp = cp * 16 + static_cast<std::uint32_t>(digit(h) ? h - '0' : (h | 32) - 'a' + 10);
        }
        if (k < n)
          lx.fail("SyntaxError",
                  std::string(
                      "(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\") +
                      d + std::string(static_cast<std::size_t>(n), 'X') + " escape",
                  line, col, line, col);
        if (cp > 0x10FFFF)
          lx.fail(
              "SyntaxError",
              "(unicode error) 'unicodeescape' codec can't decode bytes: illegal Unicode character",
              line, col, line, col);
        put(cp);
        break;
      }
      case 'N':
        lx.fail("SyntaxError", "\\N{...} escapes are not supported by gradlab", line, col, line,
                col);
      default:
        if (d >= '0' && d <= '7') {
          std::uint32_t cp = static_cast<std::uint32_t>(d - '0');
          for (int k = 0; k < 2 && i + 1 < e && src[i + 1] >= '0' && src[i + 1] <= '7'; ++k)
            cp = cp * 8 + static_cast<std::uint32_t>(src[++i] - '0');
          put(cp);
        } else {
          out += '\\';  // an unknown escape stays as written
          out += d;
        }
    }
  }
  return out;
}

std::string source_line(const std::string& source, int line) {
  std::size_t b = 0;
  for (int l = 1; l < line; ++l) {
    b = source.find('\n', b);
    if (b == std::string::npos) return "";
    ++b;
  }
  if (b > source.size()) return "";
  const std::size_t e = source.find('\n', b);
  return source.substr(b, e == std::string::npos ? std::string::npos : e - b);
}

}  // namespace gradlab::py
