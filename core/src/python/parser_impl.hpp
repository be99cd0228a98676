#pragma once
// Private: the recursive-descent parser shared by parser_stmt.cpp, parser_expr.cpp and
// parser_fstring.cpp. Tokens are pulled from the lexer on demand and kept for lookahead.
#include <deque>
#include <string>
#include <vector>

#include "gradlab/python/parser.hpp"
#include "python/lexer.hpp"
#include "python/stack.hpp"

namespace gradlab::py {

class parser {
 public:
  parser(const std::string& source, const parse_options& opts);
  program run();

  // --- used by the f-string parser on a sub-range of the same source
  parser(const std::string& source, std::size_t b, std::size_t e, int line, int col, int depth,
         program* prog);
  int fstring_field_expression();  ///< the expression of a replacement field

 private:
  friend struct nest_guard;
  // tokens
  const token& peek(std::size_t k = 0);
  const token& take();
  bool op(const char* s, std::size_t k = 0) { return peek(k).kind == tok::op && peek(k).text == s; }
  bool kw(const char* s, std::size_t k = 0) {
    return peek(k).kind == tok::name && peek(k).text == s;
  }
  bool at_name(std::size_t k = 0) { return peek(k).kind == tok::name && !is_keyword(peek(k).text); }
  void expect(const char* s);  ///< "invalid syntax" at the next token unless it is s
  void expect_colon();         ///< CPython's "expected ':'"
  bool starts_expression(std::size_t k = 0);

  // errors
  [[noreturn]] void fail_at(const span& s, const std::string& msg,
                            const char* type = "SyntaxError");
  [[noreturn]] void fail_range(int a, int b, const std::string& msg);
  [[noreturn]] void fail_token(const token& t, const std::string& msg = "invalid syntax");
  [[noreturn]] void invalid_syntax() { fail_token(peek()); }
  [[noreturn]] void recursion_error();
  void check_rest_of_source(const syntax_error& e);

  // nodes
  int add(node n);
  int make(node_kind k, const span& start, std::vector<int> kids = {}, std::uint8_t op = 0);
  span from(const span& start) const;  ///< start's beginning to the last token taken
  node& at(int i) { return prog_->at(i); }

  // statements
  void statements_until_end(std::vector<int>& out);
  void statement(std::vector<int>& out);
  void simple_statements(std::vector<int>& out);
  int simple_statement();
  int expression_statement();
  int compound_statement();
  int block(const char* what, int line);
  int if_statement(bool elif);
  int while_statement();
  int for_statement();
  int try_statement();
  int with_statement();
  int def_statement(std::vector<int> decorators, const span& start);
  int class_statement(std::vector<int> decorators, const span& start);
  int arguments(bool lambda);
  int import_statement();
  int from_statement();
  int param_statement();
  int name_node();

  // expressions
  int expression();        ///< test: lambda, conditional expression
  int named_expression();  ///< an expression where CPython checks for a stray '='
  int star_expressions();  ///< a, *b, c (a tuple without parentheses)
  int star_expression();
  int expressions_list(bool allow_star);  ///< exprlist for `for` and `del` targets
  int disjunction();
  int conjunction();
  int inversion();
  int comparison();
  [[gnu::noinline]] int comparison_tail(int a, const span& start);
  [[gnu::noinline]] int stray_equals(int e);
  [[gnu::noinline]] int attribute(int value, const span& start);
  [[gnu::noinline]] int leaf(node_kind kind, std::uint8_t op);  ///< from the next token
  int bitwise(int min_level);
  int factor();
  int power();
  int primary();
  int atom();
  int paren_atom();
  int bracket_atom();
  int brace_atom();
  int strings();
  int lambda_expr();
  int call(int func, const span& start);
  int subscript(int value, const span& start);
  int slice_item();
  int comprehension_tail(node_kind kind, const span& start, std::vector<int> heads,
                         const char* closer);
  void comma_check(int a);  ///< "Perhaps you forgot a comma?" inside brackets

  // targets (parser_expr.cpp)
  void set_context(int e, expr_ctx ctx);
  int invalid_target(int e, bool del) const;  ///< the first node that cannot be assigned
  std::string expr_name(int e) const;         ///< CPython's _PyPegen_get_expr_name

  // f-strings (parser_fstring.cpp)
  int fstring(const token& t, std::vector<int>& parts);
  void fstring_body(const token& t, void* cursor, std::vector<int>& out, int nested);

  const std::string& src_;
  parse_options opts_;
  lexer lex_;
  std::deque<token> toks_;  // stable references while more are fetched
  std::size_t pos_ = 0;
  span last_;  ///< the last token taken
  program own_;
  program* prog_;
  int depth_ = 0;  ///< nesting other than brackets (lambda, conditional, **, f-strings)
  bool sub_ = false;
  int loop_depth_ = 0;
  std::vector<int> pending_fstring_errors_;
};

/// Counts one level of non-bracket nesting for the lifetime of a recursive call.
struct nest_guard {
  parser& p;
  explicit nest_guard(parser& pp);
  ~nest_guard() { --p.depth_; }
};

/// Nesting other than brackets that the parser follows before giving up (a RecursionError
/// like CPython's for expressions too deep to compile): bounds the native stack.
constexpr int kMaxNesting = 200;

}  // namespace gradlab::py
