// The Python parser as a library: the AST's spans, the model language's `param` statement
// behind its flag, the nesting limits (which keep the parser's and compiler's native stack
// use bounded whatever the input), and that no input crashes it. (SyntaxError texts and
// positions are compared with CPython's by tests/python/run.mjs.)
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "gradlab/python/parser.hpp"
#include "python_support.hpp"

using gradlab::py::node;
using gradlab::py::node_kind;
using gradlab::py::parse;
using gradlab::py::parse_options;
using gradlab::py::program;
using gradlab::py::syntax_error;

namespace {

/// The first node of a kind, in arena order (children come before their parents).
const node* find(const program& p, node_kind k) {
  for (const node& n : p.nodes)
    if (n.kind == k) return &n;
  return nullptr;
}

syntax_error parse_error(const std::string& src, const parse_options& o = {}) {
  try {
    parse(src, o);
  } catch (const syntax_error& e) {
    return e;
  }
  FAIL("no syntax error for: " << src);
  return {};
}

}  // namespace

TEST_CASE("every node carries its 1-based source span", "[python][parser]") {
  const program p = parse("x = 1\ny = (a +  bb) * f(c, k=2)\n");
  const node* add = nullptr;
  for (const node& n : p.nodes)
    if (n.kind == node_kind::binop && !add) add = &n;
  REQUIRE(add);
  // a + bb, inside the parentheses
  CHECK(add->where.line == 2);
  CHECK(add->where.col == 6);
  CHECK(add->where.end_line == 2);
  CHECK(add->where.end_col == 13);
  const node* call = find(p, node_kind::call);
  REQUIRE(call);
  CHECK(call->where.col == 17);
  CHECK(call->where.end_col == 26);
  const node* kw = find(p, node_kind::keyword);
  REQUIRE(kw);
  CHECK(kw->text == "k");
  CHECK(kw->where.col == 22);
  for (const node& n : p.nodes) {
    if (n.kind == node_kind::module || n.kind == node_kind::block) continue;
    INFO("node kind " << static_cast<int>(n.kind));
    CHECK(n.where.line >= 1);
    CHECK(n.where.col >= 1);
    CHECK((n.where.end_line > n.where.line ||
           (n.where.end_line == n.where.line && n.where.end_col >= n.where.col)));
  }
}

TEST_CASE("spans count characters, not bytes, after non-ASCII text", "[python][parser]") {
  const program p = parse("s = 'λλ' + zz\n");
  const node* z = nullptr;
  for (const node& n : p.nodes)
    if (n.kind == node_kind::name && n.text == "zz") z = &n;
  REQUIRE(z);
  CHECK(z->where.col == 12);
  CHECK(z->where.end_col == 14);
}

TEST_CASE("the model language's param statement, only when enabled", "[python][parser]") {
  parse_options o;
  o.allow_param = true;
  const program p = parse("param w = 0.5\nparam W[16, 2] = 0\nparam b\ny = w * x + b\n", o);
  int params = 0;
  for (const node& n : p.nodes) {
    if (n.kind != node_kind::param) continue;
    ++params;
    if (n.text == "w") {
      CHECK(n.op == 0);
      REQUIRE(n.kids.size() == 1);
      CHECK(p.at(n.kids[0]).fval == 0.5);
      CHECK(n.where.line == 1);
      CHECK(n.where.col == 1);
      CHECK(n.where.end_col == 14);
    } else if (n.text == "W") {
      CHECK(n.op == 1);
      REQUIRE(n.kids.size() == 3);
      CHECK(p.at(n.kids[1]).ival == 16);
      CHECK(p.at(n.kids[2]).ival == 2);
      CHECK(p.at(n.kids[2]).where.col == 13);
    } else {
      CHECK(n.text == "b");
      CHECK(n.kids[0] == -1);
    }
  }
  CHECK(params == 3);
  // `param` stays an ordinary name otherwise
  CHECK(parse_error("param w = 1\n").message == "invalid syntax");
  CHECK(parse("param = 3\nparam(1)\n").nodes.size() > 0);
  CHECK(parse("param = 3\n", o).nodes.size() > 0);
  CHECK(parse_error("param W[0] = 1\n", o).message.find("whole numbers") != std::string::npos);
  CHECK(parse_error("param W[1, 2, 3, 4, 5] = 1\n", o).message ==
        "a parameter has at most 4 dimensions");
  CHECK(parse_error("param if = 1\n", o).message == "'if' cannot be a parameter name");
}

TEST_CASE("syntax errors carry CPython's message and position", "[python][parser]") {
  syntax_error e = parse_error("for i in range(3)\n    pass\n");
  CHECK(e.type == "SyntaxError");
  CHECK(e.message == "expected ':'");
  CHECK(e.line == 1);
  CHECK(e.offset == 18);
  e = parse_error("x = (1,\ny = 2\n");
  CHECK(e.message == "'(' was never closed");
  CHECK(e.line == 1);
  CHECK(e.offset == 5);
  e = parse_error("if x:\npass\n");
  CHECK(e.type == "IndentationError");
  CHECK(e.message == "expected an indented block after 'if' statement on line 1");
  e = parse_error("def f():\n    yield 1\n");
  CHECK(e.message == "generators ('yield') are not supported by gradlab");
  CHECK(e.text == "    yield 1\n");
}

TEST_CASE("nesting limits: CPython's for brackets and tree depth, with no native overflow",
          "[python][parser]") {
  auto nested = [](int n, const char* open, const char* close) {
    std::string s = "x = ";
    for (int i = 0; i < n; ++i) s += open;
    s += "1";
    for (int i = 0; i < n; ++i) s += close;
    return s + "\n";
  };
  CHECK_NOTHROW(parse(nested(199, "(", ")")));
  CHECK_NOTHROW(parse(nested(199, "[", "]")));
  CHECK_NOTHROW(parse(nested(199, "{1:", "}")));
  CHECK(parse_error(nested(201, "(", ")")).message == "too many nested parentheses");
  CHECK(parse_error(nested(5000, "[", "]")).message == "too many nested parentheses");
  // CPython 3.11 compiles 2998 unary minus signs and refuses 2999
  CHECK_NOTHROW(parse("x = " + std::string(2998, '-') + "1\n"));
  syntax_error e = parse_error("x = " + std::string(2999, '-') + "1\n");
  CHECK(e.type == "RecursionError");
  CHECK(e.message == "maximum recursion depth exceeded during compilation");
  // long left-deep chains are loops, not recursion
  std::string chain = "x = 1";
  for (int i = 0; i < 100000; ++i) chain += " and 1";
  CHECK_NOTHROW(parse(chain + "\n"));
  std::string lambdas = "f = ";
  for (int i = 0; i < 100000; ++i) lambdas += "lambda: ";
  CHECK(parse_error(lambdas + "1\n").type == "RecursionError");
  std::string blocks;
  for (int i = 0; i < 120; ++i) blocks += std::string(static_cast<std::size_t>(i), ' ') + "if 1:\n";
  blocks += std::string(120, ' ') + "pass\n";
  CHECK(parse_error(blocks).message == "too many levels of indentation");
}

TEST_CASE("arbitrary bytes never crash the parser", "[python][parser]") {
  static const char* const pieces[] = {
      "(",    ")",      "[",       "]",      "{",      "}",     ":",        ",",       "\n",
      "    ", "\t",     "if ",     "else",   "lambda", "x",     "1",        "1.5e",    "'",
      "\"",   "f'{",    "}'",      "\\",     "#",      "=",     "==",       "**",      "*",
      "-",    "not ",   "def ",    "class ", "return", "\x80",  "\xce\xbb", "0x",      "_",
      ".",    "...",    "@",       "->",     ";",      "yield", "async",    "import ", "from ",
      "try:", "except", "global ", "param "};
  std::uint64_t seed = 88172645463325252ull;
  auto rnd = [&]() {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  int errors = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string src;
    const int n = static_cast<int>(rnd() % 40);
    for (int i = 0; i < n; ++i) {
      if (rnd() % 8 == 0)
        src += static_cast<char>(rnd() % 256);
      else
        src += pieces[rnd() % (sizeof pieces / sizeof *pieces)];
    }
    parse_options o;
    o.allow_param = round % 2 == 0;
    try {
      parse(src, o);
    } catch (const syntax_error& e) {
      ++errors;
      CHECK(!e.message.empty());
    }
  }
  CHECK(errors > 0);
}

TEST_CASE("source_line finds lines by number", "[python][parser]") {
  const std::string src = "a\nbb\n\nccc";
  CHECK(gradlab::py::source_line(src, 1) == "a");
  CHECK(gradlab::py::source_line(src, 2) == "bb");
  CHECK(gradlab::py::source_line(src, 3) == "");
  CHECK(gradlab::py::source_line(src, 4) == "ccc");
  CHECK(gradlab::py::source_line(src, 9) == "");
}
