#pragma once
/// \file ast.hpp
/// The parsed model: expressions live in one flat arena and refer to each other by index,
/// so neither building nor destroying a deep tree recurses.
#include <cstddef>
#include <string>
#include <vector>

namespace gradlab::model {

/// A stretch of source text: 1-based line/column of its start and end (end exclusive) and
/// byte offsets into the source.
struct span {
  int line = 0, col = 0, end_line = 0, end_col = 0;
  std::size_t begin = 0, end = 0;
};

enum class expr_kind {
  number,     ///< 1, 2.5, 1e-3
  name,       ///< t_u, w
  unary,      ///< text "-" or "+"; args {operand}
  binary,     ///< text "+", "-", "*", "/", "**", "@"; args {lhs, rhs}
  call,       ///< text = function name; args = positional arguments
  method,     ///< text = method name; args = {receiver, positional...}
  attribute,  ///< text = attribute name (T, mT); args = {receiver}
  index,      ///< args = {receiver, items...}; an item is an expression or a slice
  slice,      ///< a bare ':' inside an index
  list,       ///< [a, b, c]; args = items
};

struct keyword {
  std::string name;
  int value = -1;
  span where;
};

struct expr {
  expr_kind kind = expr_kind::number;
  span where;
  double number = 0;
  std::string text;
  std::vector<int> args;
  std::vector<keyword> kwargs;
  int height = 1;  ///< 1 + the tallest child: bounds every recursive walk
};

enum class stmt_kind { param, assign, expression };

struct stmt {
  stmt_kind kind = stmt_kind::expression;
  span where;
  std::string name;  ///< target of param/assign
  span name_span;
  std::vector<std::size_t> shape;  ///< param NAME[2, 3]
  bool has_shape = false;
  int value = -1;  ///< the expression (init for param; -1 when `param w` has none)
};

struct program {
  std::string source;
  std::vector<expr> nodes;
  std::vector<stmt> stmts;
  const expr& at(int i) const { return nodes[static_cast<std::size_t>(i)]; }
  /// The source text of an expression (for messages), shortened to max_len characters.
  std::string text_of(int i, std::size_t max_len = 40) const;
};

/// Limits that keep every walk bounded whatever the input.
constexpr int kMaxNesting = 100;  ///< nested parentheses/brackets/unary operators
constexpr int kMaxHeight = 400;   ///< operations chained in one expression

}  // namespace gradlab::model
