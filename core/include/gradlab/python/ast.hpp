#pragma once
/// \file ast.hpp
/// The parsed Python program. Nodes live in one flat arena and refer to each other by
/// index, so neither building nor destroying a deep tree recurses. Every node carries the
/// span of source text it was parsed from, as CPython's AST does (a parenthesised
/// expression's node excludes its parentheses; a node built from several tokens starts at
/// its first token, which may be an opening parenthesis of its first operand).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gradlab::py {

/// A stretch of source text: 1-based line and column (in characters) of its start and end
/// (end exclusive), and byte offsets into the source.
struct span {
  int line = 0, col = 0, end_line = 0, end_col = 0;
  std::size_t begin = 0, end = 0;
};

/// Node kinds. Children are in `kids` (indices into program::nodes, -1 for an absent
/// optional child); the comment gives their order.
enum class node_kind : std::uint8_t {
  // expressions
  name,           ///< text = identifier
  constant,       ///< op = const_kind; ival / fval / text
  fstring,        ///< kids = parts (constant strings and formatted values)
  formatted,      ///< {value!conv:spec}: kids = {value, spec fstring or -1}; op = conversion char
  unary,          ///< op = unary_op; kids = {operand}
  binop,          ///< op = binary_op; kids = {left, right}
  boolop,         ///< op = 0 (and) / 1 (or); kids = values
  compare,        ///< kids = {left, comparators...}; text = one compare_op per comparator
  ifexp,          ///< kids = {test, body, orelse}
  lambda,         ///< kids = {arguments, body expression}
  call,           ///< kids = {func, args..., keyword nodes...}; args may be starred
  keyword,        ///< text = name ("" for **expr); kids = {value}
  attribute,      ///< text = attribute; kids = {value}
  subscript,      ///< kids = {value, index}
  slice,          ///< kids = {lower, upper, step} (each may be -1)
  starred,        ///< kids = {value}
  tuple,          ///< kids = elements
  list,           ///< kids = elements
  set,            ///< kids = elements
  dict,           ///< kids = {key0, value0, key1, value1, ...}; key -1 for **mapping
  listcomp,       ///< kids = {element, comprehension...}
  setcomp,        ///< kids = {element, comprehension...}
  dictcomp,       ///< kids = {key, value, comprehension...}
  genexp,         ///< kids = {element, comprehension...}
  comprehension,  ///< kids = {target, iter, conditions...}
  // statements
  expr_stmt,   ///< kids = {value}
  assign,      ///< kids = {targets..., value}
  augassign,   ///< op = binary_op; kids = {target, value}
  annassign,   ///< kids = {target, annotation, value or -1}
  param,       ///< model language: `param NAME[d0, d1] = EXPR`; text = name; kids = {value or
               ///< -1, dims (constants)...}; op = 1 when a shape was given
  if_stmt,     ///< kids = {test, body block, orelse block or -1}
  while_stmt,  ///< kids = {test, body block, orelse block or -1}
  for_stmt,    ///< kids = {target, iter, body block, orelse block or -1}
  break_stmt,
  continue_stmt,
  pass_stmt,
  return_stmt,    ///< kids = {value or -1}
  def,            ///< text = name; kids = {arguments, body block, decorators... }
  arguments,      ///< kids = arg nodes in order
  arg,            ///< text = name; op = arg_kind; kids = {default or -1, annotation or -1}
  class_def,      ///< text = name; kids = {body block, decorator count as op.., bases / keywords}
  try_stmt,       ///< kids = {body, orelse or -1, finally or -1, handlers...}
  handler,        ///< text = name bound ("" if none); kids = {type or -1, body}
  with_stmt,      ///< kids = {body, items...}
  with_item,      ///< kids = {context expression, target or -1}
  raise_stmt,     ///< kids = {exception or -1, cause or -1}
  assert_stmt,    ///< kids = {test, message or -1}
  del_stmt,       ///< kids = targets
  global_stmt,    ///< kids = name nodes
  nonlocal_stmt,  ///< kids = name nodes
  import_stmt,    ///< kids = alias nodes
  import_from,    ///< text = module; kids = alias nodes (one alias "*" for a star import)
  alias,          ///< text = dotted name; kids = {asname node or -1}
  block,          ///< kids = statements
  module,         ///< kids = statements
};

enum class const_kind : std::uint8_t { none, true_, false_, integer, floating, string, ellipsis };
enum class unary_op : std::uint8_t { neg, pos, not_, invert };
/// Binary operators in CPython's NB_ order (BINARY_OP's argument).
enum class binary_op : std::uint8_t {
  add,
  and_,
  floordiv,
  lshift,
  matmul,
  mul,
  mod,
  or_,
  pow,
  rshift,
  sub,
  truediv,
  xor_
};
enum class compare_op : std::uint8_t { lt, le, eq, ne, gt, ge, is, is_not, in, not_in };
enum class arg_kind : std::uint8_t { positional_only, normal, varargs, keyword_only, varkw };
/// The context a name/attribute/subscript/tuple/list/starred node is used in.
enum class expr_ctx : std::uint8_t { load, store, del };

struct node {
  node_kind kind = node_kind::constant;
  std::uint8_t op = 0;
  expr_ctx ctx = expr_ctx::load;
  span where;
  std::vector<int> kids;
  std::string text;
  std::int64_t ival = 0;
  double fval = 0;
  int height = 1;  ///< 1 + the tallest child: bounds every recursive walk
};

/// A parsed module. nodes[root] is the module node.
struct program {
  std::string source;
  std::vector<node> nodes;
  int root = -1;
  const node& at(int i) const { return nodes[static_cast<std::size_t>(i)]; }
  node& at(int i) { return nodes[static_cast<std::size_t>(i)]; }
  int kid(int i, std::size_t k) const { return at(i).kids[k]; }
};

/// Limits that keep every recursive walk of the tree bounded whatever the input.
constexpr int kMaxParenDepth = 200;   ///< CPython's "too many nested parentheses"
constexpr int kMaxIndentDepth = 100;  ///< CPython's "too many levels of indentation"
constexpr int kMaxHeight = 3001;      ///< the tallest tree the compiler walks: CPython 3.11 gives
                                      ///< up 3000 levels below the module

}  // namespace gradlab::py
