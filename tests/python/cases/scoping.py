x = "global"
def outer():
    x = "outer"
    def inner():
        nonlocal x
        x = "inner"
        return x
    inner()
    return x
print(outer(), x)

class K:
    y = 10
    z = y * 2
    items = [1, 2, 3]
    def m(self):
        return K.y + self.z
    doubled = [i * 2 for i in items]
print(K.z, K().m(), K.doubled)

def counter_factory():
    counts = {}
    def count(k):
        counts[k] = counts.get(k, 0) + 1
        return counts[k]
    return count
c = counter_factory()
print(c("a"), c("a"), c("b"))

def defaults(a, b=[], c={}):
    b.append(a)
    c[a] = len(b)
    return b, c
print(defaults(1), defaults(2))

def f(*args, **kwargs):
    return args, sorted(kwargs.items())
print(f(*[1, 2], *(3,), **{"a": 1}, **{"b": 2}), f(), f(1, x=2))

def g(a, *rest, key=None, **more):
    return a, rest, key, more
print(g(1, 2, 3, key="k", extra=True))

for i in range(3):
    pass
print(i)
while False:
    pass
else:
    print("while-else")
for i in range(5):
    if i == 10:
        break
else:
    print("for-else ran")
for i in range(5):
    if i == 2:
        break
else:
    print("not printed")
print("broke at", i)

def ret_in_finally():
    try:
        return "try"
    finally:
        print("finally runs")
print(ret_in_finally())

def except_else():
    try:
        x = 1
    except Exception:
        return "except"
    else:
        return "else " + str(x)
    finally:
        print("fin")
print(except_else())

try:
    try:
        raise ValueError("a")
    except ValueError:
        raise TypeError("b") from None
except TypeError as e:
    print(repr(e), e.__cause__, e.__suppress_context__, repr(e.__context__))

a = [1, 2, 3]
i = 0
def side(n):
    print("side", n)
    return n
print(side(1) < side(2) < side(0) < side(5))
print(1 if side(0) else 2, side(0) or side(3), side(4) and side(0))
x, *y = range(4)
print(x, y)
[a1, [b1, c1]] = [1, [2, 3]]
print(a1, b1, c1)
d = dict.fromkeys("abc", 0)
d["b"] = 5
del d["a"]
d["a"] = 7
print(d, list(d), len(d))
s = {5, 1, 9, 33, 17}
s.discard(9)
s.add(41)
print(s, sorted(s), 33 in s)
import sys
print("to stderr", file=sys.stderr)
sys.stdout.write("direct\n")
print(sys.getrecursionlimit(), sys.maxsize)
