def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, kw)
print(f(1, c=3), f(1, 2, 3, 4, c=5, e=6), f(*[1, 2], **{"c": 0, "z": 1}))
def g(x, /, y, *, z): return x, y, z
print(g(1, 2, z=3), g(1, y=2, z=3))
tests = [
    lambda: f(),
    lambda: f(1),
    lambda: f(1, c=1, a=2),
    lambda: g(x=1, y=2, z=3),
    lambda: g(1, 2, 3),
    lambda: g(1, 2),
    lambda: (lambda: 0)(1),
    lambda: (lambda a, b: 0)(1),
    lambda: (lambda a, b, c: 0)(),
    lambda: (lambda *, k: 0)(),
    lambda: (lambda a: 0)(b=1),
    lambda: (lambda a=1: 0)(1, 2),
    lambda: (lambda a, b=1: 0)(1, 2, 3),
    lambda: (lambda **k: 0)(1),
    lambda: f(1, c=2, **{"c": 3}),
    lambda: len(),
    lambda: len(1, 2),
    lambda: len([], x=1),
    lambda: print(sepp=1),
    lambda: sorted([1], kee=1),
    lambda: int("1", 2, 3),
    lambda: "".join(),
    lambda: [].append(),
    lambda: {}.get(),
    lambda: range(),
    lambda: range(1, 2, 3, 4),
    lambda: isinstance(1),
    lambda: abs(),
    lambda: divmod(1),
    lambda: max(),
    lambda: min(1),
    lambda: sum(),
    lambda: zip(1),
    lambda: enumerate(),
    lambda: round(),
    lambda: getattr(1),
    lambda: f(**{1: 2}),
    lambda: f(*1),
    lambda: f(**[1]),
]
for t in tests:
    try:
        t()
        print("no error")
    except TypeError as e:
        print("TypeError:", e)
def make_counter():
    n = 0
    def inc(step=1):
        nonlocal n
        n += step
        return n
    return inc
c = make_counter(); c(); c(5); print(c())
fs = [lambda i=i: i * i for i in range(4)]; print([h() for h in fs])
fs2 = [lambda: i for i in range(3)]; print([h() for h in fs2])
G = 1
def set_g():
    global G
    G += 1
set_g(); print(G)
def deco(fn):
    def wrapper(*a, **k):
        print("calling", fn.__name__, a, k)
        return fn(*a, **k)
    return wrapper
@deco
def add(x, y=0): return x + y
print(add(1, y=2), add.__name__)
def fact(n): return 1 if n <= 1 else n * fact(n - 1)
print(fact(20))
def fib(n, memo={}):
    if n in memo: return memo[n]
    r = n if n < 2 else fib(n - 1) + fib(n - 2)
    memo[n] = r
    return r
print(fib(80))
def append_default(x, l=[]):
    l.append(x); return l
print(append_default(1), append_default(2))
def kwonly(*, a=1, b): return a, b
print(kwonly(b=2))
def outer():
    x = "outer"
    def mid():
        def inner():
            return x
        return inner()
    return mid()
print(outer())
def doc():
    "docstring"
    return doc.__doc__
print((lambda: None).__name__, f.__name__, fact.__qualname__)
def varargs(*a): return len(a), a
print(varargs(), varargs(*range(3), 9), varargs(*"ab"))
def kwargs(**k): return sorted(k.items())
print(kwargs(b=1, a=2), kwargs(**{"x": 1}, y=2))
print((lambda x, y=3: x * y)(2), (lambda *a, **k: (a, k))(1, z=2))
compose = lambda f, g: lambda x: f(g(x))
print(compose(str, abs)(-3), list(map(compose(len, str), [1, 22, 333])))
def early(x):
    if x: return
    return 0
print(early(1), early(0))
def rec_default(n, acc=None):
    acc = [] if acc is None else acc
    if n: acc.append(n); return rec_default(n - 1, acc)
    return acc
print(rec_default(3))
def shadow(len=len): return len("abc")
print(shadow())
def unbound():
    print(v)
    v = 1
try:
    unbound()
except UnboundLocalError as e:
    print("UnboundLocalError:", e)
def free_unbound():
    def inner(): return w
    try:
        inner()
    except NameError as e:
        print("NameError:", e)
    w = 2
free_unbound()
