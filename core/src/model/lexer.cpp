// The tokenizer: one pass, positions in characters (UTF-8 continuation bytes do not count).
#include "model/lexer.hpp"

#include <cstdlib>
#include <cstring>

#include "gradlab/model/diagnostic.hpp"

namespace gradlab::model {

namespace {

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident(char c) { return is_ident_start(c) || is_digit(c); }

class lexer {
 public:
  explicit lexer(const std::string& s) : s_(s) {}

  std::vector<token> run() {
    std::vector<token> out;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        advance();
      } else if (c == '#') {
        while (i_ < s_.size() && s_[i_] != '\n') advance();
      } else if (c == '\\' && i_ + 1 < s_.size() && s_[i_ + 1] == '\n') {
        advance();
        advance();
      } else if (c == '\n' || c == ';') {
        const span at = here(1);
        advance();
        if (depth_ == 0 || c == ';') {
          if (c == ';' && depth_ > 0) fail(at, "invalid syntax: ';' inside brackets");
          out.push_back({tok::newline, std::string(1, c), 0, at});
        }
      } else if (is_digit(c) || (c == '.' && i_ + 1 < s_.size() && is_digit(s_[i_ + 1]))) {
        out.push_back(number());
      } else if (is_ident_start(c)) {
        const span start = here(0);
        std::size_t b = i_;
        while (i_ < s_.size() && is_ident(s_[i_])) advance();
        if (i_ < s_.size() && static_cast<unsigned char>(s_[i_]) >= 0x80) unicode();
        token t{tok::name, s_.substr(b, i_ - b), 0, finish(start)};
        out.push_back(std::move(t));
      } else if (static_cast<unsigned char>(c) >= 0x80) {
        unicode();
      } else {
        out.push_back(op());
      }
    }
    out.push_back({tok::newline, "", 0, here(0)});
    out.push_back({tok::end, "", 0, here(0)});
    return out;
  }

 private:
  [[noreturn]] static void fail(const span& at, const std::string& msg) {
    diagnostic d;
    d.line = at.line;
    d.col = at.col;
    d.end_col = at.end_line == at.line ? at.end_col : at.col + 1;
    d.message = msg;
    throw model_error(d);
  }

  void advance() {
    const unsigned char c = static_cast<unsigned char>(s_[i_]);
    ++i_;
    if (c == '\n') {
      ++line_;
      col_ = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++col_;  // continuation bytes belong to the character already counted
    }
  }

  /// A span starting here, n characters wide (for single-character tokens).
  span here(int n) const {
    span sp;
    sp.line = sp.end_line = line_;
    sp.col = col_;
    sp.end_col = col_ + n;
    sp.begin = i_;
    sp.end = i_ + static_cast<std::size_t>(n);
    return sp;
  }
  span finish(span start) const {
    start.end_line = line_;
    start.end_col = col_;
    start.end = i_;
    return start;
  }

  token number() {
    const span start = here(0);
    const std::size_t b = i_;
    while (i_ < s_.size() && is_digit(s_[i_])) advance();
    if (i_ < s_.size() && s_[i_] == '.') {
      advance();
      while (i_ < s_.size() && is_digit(s_[i_])) advance();
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      std::size_t j = i_ + 1;
      if (j < s_.size() && (s_[j] == '+' || s_[j] == '-')) ++j;
      if (j < s_.size() && is_digit(s_[j])) {
        while (i_ < j) advance();
        while (i_ < s_.size() && is_digit(s_[i_])) advance();
      }
    }
    if (i_ < s_.size() && (is_ident(s_[i_]) || s_[i_] == '.')) {
      while (i_ < s_.size() && (is_ident(s_[i_]) || s_[i_] == '.')) advance();
      fail(finish(start), "invalid decimal literal");
    }
    token t{tok::number, s_.substr(b, i_ - b), 0, finish(start)};
    t.number = std::strtod(t.text.c_str(), nullptr);
    return t;
  }

  [[noreturn]] void unicode() {
    const span start = here(0);
    const std::size_t b = i_;
    advance();
    while (i_ < s_.size() && (static_cast<unsigned char>(s_[i_]) & 0xC0) == 0x80) advance();
    fail(finish(start), "non-ASCII character '" + s_.substr(b, i_ - b) +
                            "': names must use ASCII letters, digits and _");
  }

  token op() {
    const span start = here(0);
    const char c = s_[i_];
    if (c == '*' && i_ + 1 < s_.size() && s_[i_ + 1] == '*') {
      advance();
      advance();
      return {tok::op, "**", 0, finish(start)};
    }
    static const char* singles = "+-*/@()[],=.:";
    if (std::strchr(singles, c) && c != '\0') {
      if ((c == '+' || c == '-' || c == '*' || c == '/' || c == '@') && i_ + 1 < s_.size() &&
          s_[i_ + 1] == '=') {
        advance();
        advance();
        fail(finish(start), std::string("augmented assignment '") + c +
                                "=' is not supported: write 'x = x " + c + " ...'");
      }
      if (c == '(' || c == '[') ++depth_;
      if ((c == ')' || c == ']') && depth_ > 0) --depth_;
      advance();
      return {tok::op, std::string(1, c), 0, finish(start)};
    }
    advance();
    const span at = finish(start);
    if (c == '"' || c == '\'') fail(at, "strings are not part of the model language");
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      fail(at, "invalid non-printable character");
    fail(at, std::string("invalid character '") + c + "'");
  }

  const std::string& s_;
  std::size_t i_ = 0;
  int line_ = 1, col_ = 1;
  long depth_ = 0;
};

}  // namespace

std::vector<token> tokenize(const std::string& text) { return lexer(text).run(); }

}  // namespace gradlab::model
