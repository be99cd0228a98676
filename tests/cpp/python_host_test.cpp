// The host interface: a native module with functions (bound to parameter lists with
// CPython's TypeError texts), a native type wrapping a C++ value with methods, properties
// and operators, a Python subclass of it, exceptions from native code, native code calling
// back into Python, and pause requests.
#include <catch2/catch.hpp>

#include "gradlab/error.hpp"
#include "python_support.hpp"

namespace py = gradlab::py;
using py::value;

namespace {

struct vec {
  std::vector<double> v;
  std::string label;
};

py::type_object* g_vec = nullptr;
int g_paused_line = 0;

vec& V(const value& x) { return py::native_value<vec>(x); }
bool is_vec(const value& x) { return x.is_object() && x.type()->is_subtype(g_vec); }

double number(py::interpreter& ip, const value& x) {
  if (x.is_float()) return x.as_float();
  if (x.is_int()) return static_cast<double>(x.as_int());
  ip.raise(ip.exception_type("TypeError"), "expected a number, got " + ip.repr(x));
}

value vec_new(py::interpreter& ip, value* a, std::size_t, py::native_function*) {
  auto* t = static_cast<py::type_object*>(a[0].as_object());
  vec out;
  for (const value& x : static_cast<py::tuple_object*>(a[1].as_object())->items)
    out.v.push_back(number(ip, x));
  return py::new_native<vec>(t, std::move(out));
}

value make(std::vector<double> v) { return py::new_native<vec>(g_vec, vec{std::move(v), ""}); }

value vec_add(py::interpreter& ip, value* a, std::size_t, py::native_function*) {
  std::vector<double> out = V(a[0]).v;
  if (is_vec(a[1])) {
    if (V(a[1]).v.size() != out.size()) throw gradlab::error("RuntimeError", "size mismatch");
    for (std::size_t i = 0; i < out.size(); ++i) out[i] += V(a[1]).v[i];
  } else if (a[1].is_int() || a[1].is_float()) {
    for (double& x : out) x += number(ip, a[1]);
  } else {
    return ip.not_implemented();
  }
  return make(out);
}

value vec_iadd(py::interpreter& ip, value* a, std::size_t, py::native_function*) {
  if (!a[1].is_int() && !a[1].is_float()) return ip.not_implemented();
  for (double& x : V(a[0]).v) x += number(ip, a[1]);
  return a[0];  // in place: the same object
}

value vec_mul(py::interpreter& ip, value* a, std::size_t, py::native_function*) {
  if (!a[1].is_int() && !a[1].is_float()) return ip.not_implemented();
  std::vector<double> out = V(a[0]).v;
  for (double& x : out) x *= number(ip, a[1]);
  return make(out);
}

value vec_neg(py::interpreter&, value* a, std::size_t, py::native_function*) {
  std::vector<double> out = V(a[0]).v;
  for (double& x : out) x = -x;
  return make(out);
}

value vec_len(py::interpreter&, value* a, std::size_t, py::native_function*) {
  return value::from_int(static_cast<std::int64_t>(V(a[0]).v.size()));
}

value vec_getitem(py::interpreter& ip, value* a, std::size_t, py::native_function*) {
  const auto& v = V(a[0]).v;
  if (a[1].is_int()) {
    std::int64_t i = a[1].as_int();
    if (i < 0) i += static_cast<std::int64_t>(v.size());
    if (i < 0 || i >= static_cast<std::int64_t>(v.size()))
      ip.raise(ip.exception_type("IndexError"),
               "index " + std::to_string(a[1].as_int()) + " is out of bounds");
    return value::from_float(v[static_cast<std::size_t>(i)]);
  }
  if (a[1].is_object() && a[1].as_object()->type->kind == py::layout::slice) {
    std::int64_t b, e, st, n;
    static_cast<py::slice_object*>(a[1].as_object())
        ->indices(static_cast<std::int64_t>(v.size()), b, e, st, n);
    std::vector<double> out;
    for (std::int64_t k = 0, i = b; k < n; ++k, i += st)
      out.push_back(v[static_cast<std::size_t>(i)]);
    return make(out);
  }
  ip.raise(ip.exception_type("TypeError"), "bad index");
}

value vec_setitem(py::interpreter& ip, value* a, std::size_t, py::native_function*) {
  V(a[0]).v.at(static_cast<std::size_t>(a[1].as_int())) = number(ip, a[2]);
  return value::none();
}

value vec_repr(py::interpreter& ip, value* a, std::size_t, py::native_function*) {
  std::string s = a[0].type()->name + "(";
  for (std::size_t i = 0; i < V(a[0]).v.size(); ++i)
    s += (i ? ", " : "") + ip.repr(value::from_float(V(a[0]).v[i]));
  return py::make_str(s + ")");
}

value vec_sum(py::interpreter&, value* a, std::size_t, py::native_function*) {
  double s = 0;
  for (double x : V(a[0]).v) s += x;
  return value::from_float(s);
}

value vec_scale(py::interpreter& ip, value* a, std::size_t, py::native_function*) {
  for (double& x : V(a[0]).v) x *= number(ip, a[1]);
  return value::none();
}

value get_n(py::interpreter&, value* a, std::size_t, py::native_function*) {
  return value::from_int(static_cast<std::int64_t>(V(a[0]).v.size()));
}
value get_label(py::interpreter&, value* a, std::size_t, py::native_function*) {
  return py::make_str(V(a[0]).label);
}
value set_label(py::interpreter& ip, value* a, std::size_t, py::native_function*) {
  if (!py::is_str(a[1])) ip.raise(ip.exception_type("TypeError"), "label must be a str");
  V(a[0]).label = py::str_of(a[1]);
  return value::none();
}

value vec_enter(py::interpreter& ip, value* a, std::size_t, py::native_function*) {
  ip.write(1, "enter\n");
  return a[0];
}
value vec_exit(py::interpreter& ip, value* a, std::size_t, py::native_function*) {
  const auto& exc =
      static_cast<py::tuple_object*>(a[1].as_object())->items;  // (type, value, traceback)
  ip.write(1,
           std::string("exit ") + (exc[0].is_none() ? "clean" : "with " + ip.str(exc[1])) + "\n");
  return value::from_bool(false);
}

value dot(py::interpreter& ip, value* a, std::size_t, py::native_function*) {
  if (!is_vec(a[0]) || !is_vec(a[1]))
    ip.raise(ip.exception_type("TypeError"), "dot() expects two Vecs");
  double s = 0;
  for (std::size_t i = 0; i < V(a[0]).v.size(); ++i) s += V(a[0]).v[i] * V(a[1]).v[i];
  return value::from_float(s);
}

value mean(py::interpreter& ip, value* a, std::size_t, py::native_function*) {
  // mean(values, *, weights=None)
  std::vector<value> vals = static_cast<py::list_object*>(a[0].as_object())->items;
  double s = 0, w = 0;
  for (std::size_t i = 0; i < vals.size(); ++i) {
    const double wi = a[1].is_none()
                          ? 1.0
                          : number(ip, static_cast<py::list_object*>(a[1].as_object())->items[i]);
    s += wi * number(ip, vals[i]);
    w += wi;
  }
  return value::from_float(s / w);
}

value apply(py::interpreter& ip, value* a, std::size_t, py::native_function*) {
  // calls a Python function from native code
  std::vector<value> out;
  for (double x : V(a[1]).v) out.push_back(ip.call(a[0], {value::from_float(x)}));
  return py::make_list(std::move(out));
}

value step(py::interpreter& ip, value*, std::size_t, py::native_function*) {
  g_paused_line = ip.current_line();
  ip.request_pause();
  return value::none();
}

void build_vecmod(py::interpreter& ip, py::module_object& m, void*) {
  g_vec = ip.def_type(m, "Vec", nullptr, py::alloc_native<vec>);
  ip.def_method(g_vec, "__new__", vec_new, "cls, *values");
  ip.def_method(g_vec, "__add__", vec_add, "self, other");
  ip.def_method(g_vec, "__radd__", vec_add, "self, other");
  ip.def_method(g_vec, "__iadd__", vec_iadd, "self, other");
  ip.def_method(g_vec, "__mul__", vec_mul, "self, other");
  ip.def_method(g_vec, "__rmul__", vec_mul, "self, other");
  ip.def_method(g_vec, "__neg__", vec_neg, "self");
  ip.def_method(g_vec, "__len__", vec_len, "self");
  ip.def_method(g_vec, "__getitem__", vec_getitem, "self, index");
  ip.def_method(g_vec, "__setitem__", vec_setitem, "self, index, value");
  ip.def_method(g_vec, "__repr__", vec_repr, "self");
  ip.def_method(g_vec, "__enter__", vec_enter, "self");
  ip.def_method(g_vec, "__exit__", vec_exit, "self, *exc");
  ip.def_method(g_vec, "sum", vec_sum, "self");
  ip.def_method(g_vec, "scale_", vec_scale, "self, factor=2.0");
  ip.def_property(g_vec, "n", get_n);
  ip.def_property(g_vec, "label", get_label, set_label);
  ip.def(m, "dot", dot, "a, b");
  ip.def(m, "mean", mean, "values, *, weights=None");
  ip.def(m, "apply", apply, "fn, v, /");
  ip.def(m, "step", step, "");
  ip.set(m, "version", py::make_str("1.0"));
}

void build_sub(py::interpreter& ip, py::module_object& m, void*) {
  ip.set(m, "answer", value::from_int(42));
}

pytest::result run_host(const std::string& src, std::uint64_t budget = UINT64_MAX) {
  py::interpreter ip;
  ip.add_module("vecmod", build_vecmod);
  ip.add_module("vecmod.extra", build_sub);
  ip.add_source_module("helpers",
                       "def twice(x):\n    return x + x\nclass Base:\n    def hello(self):\n       "
                       " return 'hi from ' + type(self).__name__\n");
  return pytest::run(src, budget, &ip);
}

}  // namespace

TEST_CASE("a native type: constructor, operators, items, properties, methods", "[python][host]") {
  const pytest::result r = run_host(R"py(import vecmod
from vecmod import Vec, dot
a = Vec(1, 2, 3)
b = Vec(10.0, 20, 30)
print(a, a + b, a + 1, 1 + a, a * 2, 3 * a, -a, len(a), a[0], a[-1], a[1:], a[::-1])
print(dot(a, b), a.sum(), a.n, vecmod.version, type(a).__name__, isinstance(a, Vec))
c = a
a += 1
print(c is a, a)
a[0] = 100
print(a, list(a) if False else [x for x in a])
a.label = "weights"
print(a.label)
a.scale_()
print(a)
a.scale_(factor=0.5)
print(a)
with Vec(1) as v:
    print("inside", v)
)py");
  CHECK(r.err == "");
  CHECK(r.out ==
        "Vec(1.0, 2.0, 3.0) Vec(11.0, 22.0, 33.0) Vec(2.0, 3.0, 4.0) Vec(2.0, 3.0, 4.0) Vec(2.0, "
        "4.0, 6.0) "
        "Vec(3.0, 6.0, 9.0) Vec(-1.0, -2.0, -3.0) 3 1.0 3.0 Vec(2.0, 3.0) Vec(3.0, 2.0, 1.0)\n"
        "140.0 6.0 3 1.0 Vec True\n"
        "True Vec(2.0, 3.0, 4.0)\n"
        "Vec(100.0, 3.0, 4.0) [100.0, 3.0, 4.0]\n"
        "weights\n"
        "Vec(200.0, 6.0, 8.0)\n"
        "Vec(100.0, 3.0, 4.0)\n"
        "enter\ninside Vec(1.0)\nexit clean\n");
}

TEST_CASE("native functions get CPython's TypeErrors for bad arguments", "[python][host]") {
  const char* cases[][2] = {
      {"dot(Vec(1))", "TypeError: dot() missing 1 required positional argument: 'b'"},
      {"dot()", "TypeError: dot() missing 2 required positional arguments: 'a' and 'b'"},
      {"dot(Vec(1), Vec(2), Vec(3))",
       "TypeError: dot() takes 2 positional arguments but 3 were given"},
      {"dot(Vec(1), b=Vec(2), c=1)", "TypeError: dot() got an unexpected keyword argument 'c'"},
      {"dot(Vec(1), a=Vec(2))", "TypeError: dot() got multiple values for argument 'a'"},
      {"mean([1, 2], [1, 1])", "TypeError: mean() takes 1 positional argument but 2 were given"},
      {"apply(fn=len, v=Vec(1))",
       "TypeError: apply() got some positional-only arguments passed as keyword arguments: 'fn, "
       "v'"},
      {"Vec(1).scale_(1, 2)",
       "TypeError: Vec.scale_() takes from 1 to 2 positional arguments but 3 were given"},
      {"Vec(1) + 'x'", "TypeError: unsupported operand type(s) for +: 'Vec' and 'str'"},
      {"Vec(1, 2) + Vec(1)", "RuntimeError: size mismatch"},
      {"Vec(1)[5]", "IndexError: index 5 is out of bounds"},
      {"Vec(1).label = 3", "TypeError: label must be a str"},
      {"Vec(1).n = 3", "AttributeError: property 'n' of 'Vec' object has no setter"},
      {"Vec('a')", "TypeError: expected a number, got 'a'"},
  };
  for (auto& c : cases) {
    const pytest::result r = run_host(std::string("from vecmod import *\n") + c[0] + "\n");
    INFO(c[0]);
    CHECK(r.status == 1);
    CHECK(r.err.substr(r.err.rfind('\n', r.err.size() - 2) + 1) == std::string(c[1]) + "\n");
  }
  const pytest::result ok =
      run_host("from vecmod import *\nprint(mean([1, 2, 3]), mean([1, 3], weights=[3, 1]))\n");
  CHECK(ok.out == "2.0 1.5\n");
}

TEST_CASE("native exceptions are Python exceptions: caught by class, with tracebacks",
          "[python][host]") {
  const pytest::result r = run_host(R"py(from vecmod import Vec
try:
    Vec(1, 2) + Vec(1)
except RuntimeError as e:
    print("caught", e, type(e).__name__)
def f():
    return Vec(1)[3]
f()
)py");
  CHECK(r.out == "caught size mismatch RuntimeError\n");
  CHECK(r.err ==
        "Traceback (most recent call last):\n"
        "  File \"test.py\", line 8, in <module>\n"
        "    f()\n"
        "  File \"test.py\", line 7, in f\n"
        "    return Vec(1)[3]\n"
        "           ~~~~~~^^^\n"
        "IndexError: index 3 is out of bounds\n");
}

TEST_CASE("a Python class can subclass a native type", "[python][host]") {
  const pytest::result r = run_host(R"py(import vecmod
class Named(vecmod.Vec):
    def __init__(self, *values):
        self.name = "n%d" % len(values)
    def total(self):
        return self.sum() * 2
    def __repr__(self):
        return self.name + ":" + super().__repr__()
x = Named(1, 2)
print(x, x.total(), x.name, isinstance(x, vecmod.Vec), x + 1, type(x + 1).__name__)
)py");
  CHECK(r.err == "");
  CHECK(r.out == "n2:Named(1.0, 2.0) 6.0 n2 True Vec(2.0, 3.0) Vec\n");
}

TEST_CASE(
    "native code calls back into Python; modules load lazily, with submodules and Python source",
    "[python][host]") {
  const pytest::result r = run_host(R"py(import vecmod.extra
import helpers
from vecmod import apply, Vec
print(vecmod.extra.answer, apply(lambda x: x * 10, Vec(1, 2)), helpers.twice(21))
class Mine(helpers.Base):
    pass
print(Mine().hello())
from vecmod.extra import answer as a
print(a)
import nothere
)py");
  CHECK(r.out == "42 [10.0, 20.0] 42\nhi from Mine\n42\n");
  CHECK(r.err.find("ModuleNotFoundError: No module named 'nothere'\n") != std::string::npos);
}

TEST_CASE("a native function can pause the script right after it returns", "[python][host]") {
  py::interpreter ip;
  ip.add_module("vecmod", build_vecmod);
  pytest::output o;
  ip.set_output(pytest::capture, &o);
  REQUIRE(ip.load(
      "from vecmod import step\nprint('a')\nstep()\nprint('b')\nfor i in range(3):\n    step()\n"
      "    print(i)\n",
      "t.py"));
  REQUIRE(ip.run() == py::run_status::paused);
  CHECK(o.out == "a\n");
  CHECK(g_paused_line == 3);
  REQUIRE(ip.run() == py::run_status::paused);
  CHECK(o.out == "a\nb\n");
  CHECK(g_paused_line == 6);
  CHECK(ip.stack().size() == 1);
  CHECK(ip.stack()[0].function == "<module>");
  int pauses = 0;
  while (ip.run() == py::run_status::paused) ++pauses;
  CHECK(pauses == 2);
  CHECK(o.out == "a\nb\n0\n1\n2\n");
}
