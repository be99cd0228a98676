// AST -> Python. Recursion is bounded by kMaxHeight (the parser guarantees it).
#include "gradlab/model/python.hpp"

#include "gradlab/model/functions.hpp"

namespace gradlab::model {

namespace {

// Python's binding strength: + - < * / @ < unary < ** < call/attribute/subscript < atom
int prec(const expr& x) {
  switch (x.kind) {
    case expr_kind::binary:
      if (x.text == "+" || x.text == "-") return 1;
      if (x.text == "**") return 4;
      return 2;
    case expr_kind::unary:
      return 3;
    case expr_kind::method:
    case expr_kind::attribute:
    case expr_kind::index:
    case expr_kind::call:
      return 5;
    default:
      return 6;
  }
}

std::string emit(const program& p, int e);

std::string wrap(const program& p, int e, int min_prec) {
  const std::string s = emit(p, e);
  return prec(p.at(e)) < min_prec ? "(" + s + ")" : s;
}

std::string arguments(const program& p, const expr& x, std::size_t first) {
  std::string s;
  for (std::size_t i = first; i < x.args.size(); ++i)
    s += (s.empty() ? "" : ", ") + emit(p, x.args[i]);
  for (const auto& k : x.kwargs) s += (s.empty() ? "" : ", ") + k.name + "=" + emit(p, k.value);
  return s;
}

std::string emit(const program& p, int e) {
  const expr& x = p.at(e);
  switch (x.kind) {
    case expr_kind::number:
      return x.text;
    case expr_kind::name:
      return x.text;
    case expr_kind::unary:
      return x.text + wrap(p, x.args[0], 3);
    case expr_kind::binary: {
      const int q = prec(x);
      if (x.text == "**") return wrap(p, x.args[0], 5) + " ** " + wrap(p, x.args[1], 3);
      return wrap(p, x.args[0], q) + " " + x.text + " " + wrap(p, x.args[1], q + 1);
    }
    case expr_kind::call: {
      const function_info* f = find_function(x.text);
      return (f && *f->python ? std::string(f->python) : x.text) + "(" + arguments(p, x, 0) + ")";
    }
    case expr_kind::method:
      return wrap(p, x.args[0], 5) + "." + x.text + "(" + arguments(p, x, 1) + ")";
    case expr_kind::attribute:
      return wrap(p, x.args[0], 5) + "." + x.text;
    case expr_kind::index: {
      std::string s;
      for (std::size_t i = 1; i < x.args.size(); ++i) s += (i > 1 ? ", " : "") + emit(p, x.args[i]);
      return wrap(p, x.args[0], 5) + "[" + s + "]";
    }
    case expr_kind::slice:
      return ":";
    case expr_kind::list:
      return "[" + arguments(p, x, 0) + "]";
  }
  return "";
}

}  // namespace

std::string python_expr(const program& p, int e) { return emit(p, e); }

}  // namespace gradlab::model
