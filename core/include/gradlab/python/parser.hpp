#pragma once
/// \file parser.hpp
/// Python source to AST. Never crashes or recurses without bound: brackets nest at most
/// kMaxParenDepth deep, blocks kMaxIndentDepth deep, other nesting (lambda, conditional
/// expressions) is counted too, and every failure is a syntax_error with CPython 3.11's
/// message and position.
#include <exception>
#include <string>

#include "gradlab/python/ast.hpp"

namespace gradlab::py {

/// A SyntaxError (or IndentationError / TabError, or the RecursionError CPython raises for
/// an expression too deep to compile) with what CPython's SyntaxError carries: 1-based
/// line and character offsets of the start and end, and the text of the line.
struct syntax_error : std::exception {
  std::string type = "SyntaxError";
  std::string message;
  int line = 0, offset = 0, end_line = 0, end_offset = 0;  ///< 0: no location
  std::string text;                                        ///< the source line, with '\n'
  bool fatal = false;  ///< from the tokenizer or a nesting limit: no alternative parse can help
  const char* what() const noexcept override { return message.c_str(); }
};

struct parse_options {
  /// The model language's extension: `param NAME = EXPR` and `param NAME[d0, d1] = EXPR`.
  bool allow_param = false;
};

/// Parses a whole module. Throws syntax_error.
program parse(const std::string& source, const parse_options& options = {});

/// The text of 1-based line `line` of source, without its newline ("" past the end).
std::string source_line(const std::string& source, int line);

}  // namespace gradlab::py
