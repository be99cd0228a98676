#pragma once
// Private: Python's tokenizer, pulled one token at a time by the parser (so, as in CPython,
// a tokenizer error after the first parse error is only reported when the parser asks for
// the rest of the file).
#include <cstdint>
#include <string>
#include <vector>

#include "gradlab/python/ast.hpp"
#include "gradlab/python/parser.hpp"

namespace gradlab::py {

enum class tok : std::uint8_t { end, newline, indent, dedent, name, number, string, op };

struct token {
  tok kind = tok::end;
  span where;
  std::string text;  ///< identifier, operator, number source, or the decoded string
  int level = 0;     ///< brackets open after this token (CPython's tok->level)
  // numbers
  bool is_float = false, is_imag = false;
  std::int64_t ival = 0;
  double fval = 0;
  bool too_big = false;  ///< an integer literal beyond int64
  // strings: the body (between the quotes) for f-strings, which the parser re-reads
  bool fstring = false, bytes = false, raw = false;
  std::size_t body = 0, body_end = 0;
  int body_line = 0, body_col = 0;
};

class lexer {
 public:
  /// Tokenizes src[begin, end). An f-string's replacement field is tokenized by a lexer
  /// that starts inside it, at its line and column, as if inside brackets.
  lexer(const std::string& src, std::size_t begin, std::size_t end, int line, int col,
        bool in_brackets);
  explicit lexer(const std::string& src) : lexer(src, 0, src.size(), 1, 1, false) {}

  token next();
  int level() const { return static_cast<int>(parens_.size()); }
  /// Line of the innermost open bracket (0 if none).
  int open_line() const { return parens_.empty() ? 0 : parens_.back().where.line; }
  const token* innermost_open() const { return parens_.empty() ? nullptr : &parens_.back(); }

  /// A syntax error at [line:col, end_line:end_col) (1-based character columns).
  [[noreturn]] void fail(const char* type, const std::string& msg, int line, int col, int end_line,
                         int end_col) const;
  [[noreturn]] void fail(const std::string& msg, const span& at) const {
    fail("SyntaxError", msg, at.line, at.col, at.end_line, at.end_col);
  }

 private:
  char peek(std::size_t k = 0) const { return i_ + k < end_ ? src_[i_ + k] : '\0'; }
  void advance();
  span here() const;
  void finish(span& s) const {
    s.end_line = line_;
    s.end_col = col_;
    s.end = i_;
  }
  bool at_line_start_ = true;
  bool indentation();  // returns false at a blank line
  token number();
  token string_token(span start, const std::string& prefix);  // prefix already read
  token op_token();
  [[noreturn]] void bad_character();

  const std::string& src_;
  std::size_t i_, end_;
  int line_, col_;
  bool sub_;  // inside an f-string's replacement field
  std::vector<int> indents_{0}, alt_indents_{0};
  int pending_dedents_ = 0;
  bool pending_indent_ = false;
  token last_;
  bool emitted_newline_ = true;  // no NEWLINE is due before the next line
  bool done_ = false;
  std::vector<token> parens_;
};

/// Decodes the escapes of a (non-raw) string body; errors go through lx.
/// Appends code point cp to out as UTF-8 (the lexer's escapes, str's chr() and casing).
void put_utf8(std::string& out, std::uint32_t cp);

std::string decode_escapes(const lexer& lx, const std::string& src, std::size_t b, std::size_t e,
                           int line, int col);

bool is_keyword(const std::string& s);

}  // namespace gradlab::py
