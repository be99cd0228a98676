// The Python VM: pausing after any instruction, budgets, cancellation, the recursion
// limit, and reference counting. (Python semantics are checked against CPython by
// tests/python/run.mjs; these are the properties CPython has no counterpart for.)
#include <catch2/catch.hpp>

#include "python_support.hpp"

using gradlab::py::run_status;

namespace {

// Scripts that exercise frames, Python-written special methods, exceptions, native code
// calling back into Python, comprehensions and closures.
const char* const kScripts[] = {
    R"py(total = 0
for i in range(20):
    total += i * i
print(total, [x * 2 for x in range(5)], {k: k * 2 for k in "ab"})
)py",
    R"py(class V:
    def __init__(self, x):
        self.x = x
    def __add__(self, o):
        return V(self.x + o.x)
    def __radd__(self, o):
        return V(self.x + o)
    def __eq__(self, o):
        return self.x == o.x
    def __len__(self):
        return self.x
    def __getitem__(self, i):
        if i >= self.x:
            raise IndexError(i)
        return i * 10
    def __repr__(self):
        return "V(%d)" % self.x
    def __bool__(self):
        return self.x > 1
a = V(2) + V(3)
print(a, 1 + a, a == V(5), len(a), list(a), bool(V(1)), not a, sum([V(1), V(2)], V(0)))
if a:
    print("truthy")
print(sorted([V(3), V(1), V(2)], key=lambda v: v.x), max([V(1), V(4)], key=lambda v: v.x))
)py",
    R"py(def gen(n):
    out = []
    try:
        for i in range(n):
            if i == 3:
                raise ValueError("three")
            out.append(i)
    except ValueError as e:
        out.append(str(e))
    finally:
        out.append("done")
    return out
print(gen(5), gen(2))
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(12))
counter = 0
def bump():
    global counter
    counter += 1
    return counter
print([bump() for _ in range(4)], counter)
class It:
    def __init__(self):
        self.i = 0
    def __iter__(self):
        return self
    def __next__(self):
        self.i += 1
        if self.i > 3:
            raise StopIteration
        return self.i
print([x for x in It()], "%.2f" % 3.14159, f"{2**10:,}")
class Ctx:
    def __enter__(self):
        print("enter")
        return 7
    def __exit__(self, *a):
        print("exit", a[0] is None)
with Ctx() as c:
    print("body", c)
d = {}
try:
    d["missing"]
except KeyError as e:
    print("KeyError", e)
)py",
};

}  // namespace

TEST_CASE("pausing after every instruction gives the same output as running straight through",
          "[python][vm]") {
  for (const char* script : kScripts) {
    const pytest::result whole = pytest::run(script);
    REQUIRE(whole.last == run_status::finished);
    REQUIRE(whole.err.empty());
    const pytest::result stepped = pytest::run(script, 1);
    CHECK(stepped.last == run_status::finished);
    CHECK(stepped.out == whole.out);
    CHECK(stepped.err == whole.err);
    CHECK(stepped.slices > 100);  // it really did stop many times
    const pytest::result sliced = pytest::run(script, 7);
    CHECK(sliced.out == whole.out);
  }
}

TEST_CASE("a paused run resumes where it stopped and counts its steps", "[python][vm]") {
  gradlab::py::interpreter ip;
  pytest::output o;
  ip.set_output(pytest::capture, &o);
  REQUIRE(ip.load("x = 0\nfor i in range(1000):\n    x += i\nprint(x)\n", "t.py"));
  REQUIRE(ip.run(100) == run_status::paused);
  CHECK(ip.steps() == 100);
  CHECK(ip.current_line() >= 2);
  CHECK(o.out.empty());
  REQUIRE(ip.run(150) == run_status::paused);
  CHECK(ip.steps() == 250);
  REQUIRE(ip.run() == run_status::finished);
  CHECK(o.out == "499500\n");
}

TEST_CASE(
    "a step limit stops an endless loop, also inside native code and its calls back into Python",
    "[python][vm]") {
  for (const char* src :
       {"while True:\n    pass\n", "sorted([1, 2], key=lambda x: [y for y in iter(int, 1)])\n",
        "x = list(range(10**12))\n", "print(sum(range(10**15)))\n"}) {
    gradlab::py::interpreter ip;
    pytest::output o;
    ip.set_output(pytest::capture, &o);
    ip.set_step_limit(100000);
    REQUIRE(ip.load(src, "t.py"));
    CHECK(ip.run() == run_status::error);
    CHECK(ip.error_type() == "TimeoutError");
    CHECK(o.err.find("Traceback (most recent call last):") == 0);
    CHECK(ip.steps() >= 100000);
    CHECK(ip.steps() < 110000);
  }
}

TEST_CASE("the cancel flag stops a script that catches every exception", "[python][vm]") {
  gradlab::py::interpreter ip;
  pytest::output o;
  ip.set_output(pytest::capture, &o);
  volatile bool cancel = false;
  ip.set_cancel_flag(&cancel);
  REQUIRE(
      ip.load("n = 0\nwhile True:\n    try:\n        n += 1\n    except:\n        pass\n", "t.py"));
  REQUIRE(ip.run(50000) == run_status::paused);
  cancel = true;
  CHECK(ip.run(50000) == run_status::error);
  CHECK(ip.error_type() == "KeyboardInterrupt");
  CHECK(o.err.find("KeyboardInterrupt") != std::string::npos);
}

TEST_CASE("recursion stops at CPython's limit without overflowing the native stack",
          "[python][vm]") {
  const pytest::result r = pytest::run("def f(n):\n    return f(n + 1)\nf(0)\n");
  CHECK(r.last == run_status::error);
  CHECK(r.err.find("[Previous line repeated 996 more times]\nRecursionError: maximum recursion "
                   "depth exceeded\n") != std::string::npos);
  // through native code calling Python (repr -> __repr__ -> repr ...)
  const pytest::result n = pytest::run(
      "class A:\n    def __repr__(self):\n        return repr(self)\ntry:\n    repr(A())\nexcept "
      "RecursionError as "
      "e:\n    print('caught', e)\n");
  CHECK(n.err.empty());
  CHECK(n.out.find("caught maximum recursion depth exceeded") == 0);
  // the script goes on normally afterwards
  const pytest::result again = pytest::run(
      "def f(n):\n    return f(n + 1)\nfor i in range(3):\n    try:\n        f(0)\n    except "
      "RecursionError:\n        "
      "print(i)\n");
  CHECK(again.out == "0\n1\n2\n");
}

TEST_CASE("reference counting frees temporaries at once inside a loop", "[python][vm]") {
  gradlab::py::interpreter ip;
  pytest::output o;
  ip.set_output(pytest::capture, &o);
  REQUIRE(
      ip.load("class Big:\n    def __init__(self):\n        self.data = [0] * 1000\nfor i in "
              "range(2000):\n    b = Big()\n"
              "    c = [b, Big()]\n",
              "t.py"));
  REQUIRE(ip.run(5000) == run_status::paused);
  const std::size_t early = ip.live_objects();
  while (ip.run(5000) == run_status::paused) {
    // the live object count stays flat while the loop allocates thousands of objects
    CHECK(ip.live_objects() < early + 20);
  }
}

TEST_CASE("deep data structures are freed without deep native recursion", "[python][vm]") {
  const pytest::result r =
      pytest::run("a = []\nfor i in range(200000):\n    a = [a]\ndel a\nprint('ok')\n");
  CHECK(r.out == "ok\n");
}

TEST_CASE("reference cycles are freed when the interpreter goes", "[python][vm]") {
  // (ASan's leak checker fails this test if the cycle survives)
  const pytest::result r = pytest::run(
      "class Node:\n    pass\na = Node()\nb = Node()\na.other = b\nb.other = a\nl = "
      "[]\nl.append(l)\n"
      "def f():\n    return f\nprint('built')\n");
  CHECK(r.out == "built\n");
}
