class Base:
    count = 0
    def __init__(self, name):
        self.name = name
        Base.count += 1
    def __repr__(self):
        return f"Base({self.name!r})"
    def greet(self, other="world"):
        return "hi " + other + " from " + self.name
    @staticmethod
    def s(x):
        return x * 2
    @classmethod
    def c(cls, x):
        return cls.__name__ + str(x)
    @property
    def upper(self):
        return self.name.upper()

class Derived(Base):
    def __init__(self, name, extra):
        super().__init__(name)
        self.extra = extra
    def greet(self, other="derived"):
        return super().greet(other) + "!"
    def __str__(self):
        return "D<" + self.name + ">"

b = Base("a")
d = Derived("b", 3)
print(b, d, repr(d), str(b))
print([b, d])
print(b.greet(), d.greet(), d.greet("x"))
print(Base.s(3), d.s(4), Derived.c(5), d.c(6))
print(d.upper, Base.count, d.count)
print(isinstance(d, Base), isinstance(b, Derived), issubclass(Derived, Base), issubclass(Base, object))
print(type(d).__name__, type(d) is Derived, Derived.__mro__ if hasattr(Derived, "__mro__") else None)
print(Derived.__bases__)
print(Base.__name__, Derived.__qualname__)
class E:
    pass
e = E()
e.x = 1
print(e.__dict__, vars(e))
print(hasattr(e, "x"), hasattr(e, "y"), getattr(e, "y", 7))
setattr(e, "y", 9)
print(e.y)
delattr(e, "y")
print(hasattr(e, "y"))
del e.x
print(e.__dict__)

class Vec:
    def __init__(self, *xs):
        self.xs = list(xs)
    def __len__(self): return len(self.xs)
    def __getitem__(self, i): return self.xs[i]
    def __setitem__(self, i, v): self.xs[i] = v
    def __add__(self, o): return Vec(*[a + b for a, b in zip(self.xs, o.xs)])
    def __mul__(self, k): return Vec(*[a * k for a in self.xs])
    def __rmul__(self, k): return self * k
    def __neg__(self): return self * -1
    def __eq__(self, o): return isinstance(o, Vec) and self.xs == o.xs
    def __lt__(self, o): return self.xs < o.xs
    def __repr__(self): return "Vec" + repr(tuple(self.xs))
    def __iter__(self): return iter(self.xs)
    def __contains__(self, x): return x in self.xs
    def __bool__(self): return any(self.xs)
    def __call__(self, k): return self.xs[k]
    def __iadd__(self, o):
        self.xs = [a + b for a, b in zip(self.xs, o.xs)]
        return self
    __hash__ = None

v = Vec(1, 2, 3)
w = Vec(4, 5, 6)
print(v + w, v * 2, 3 * v, -v, v == Vec(1, 2, 3), v != w, v < w, v > w)
print(len(v), v[0], v[-1], v[1:], list(v), 2 in v, 9 in v, bool(v), bool(Vec(0, 0)), v(2))
v[0] = 10
print(v)
u = v
v += w
print(u is v, u)
print(sorted([Vec(3), Vec(1), Vec(2)]))
print(max(Vec(3), Vec(1)), min([Vec(3), Vec(1)]))
try:
    hash(v)
except TypeError as ex:
    print("TypeError:", ex)

class Counter:
    def __init__(self):
        object.__setattr__(self, "log", [])
    def __setattr__(self, k, v):
        self.log.append(k)
        object.__setattr__(self, k, v)
    def __getattr__(self, k):
        return "missing:" + k
c = Counter()
c.a = 1
c.b = 2
print(c.log, c.a, c.zzz)

class WithClassAttr:
    items = []
    def add(self, x):
        self.items.append(x)
a1 = WithClassAttr(); a2 = WithClassAttr()
a1.add(1); a2.add(2)
print(WithClassAttr.items, a1.items is a2.items)

class Node:
    def __init__(self, v, nxt=None):
        self.v = v; self.nxt = nxt
    def __repr__(self):
        return f"Node({self.v}, {self.nxt!r})"
print(Node(1, Node(2, Node(3))))
print(object())if False else print("skip")
class Empty: pass
print(repr(Empty)[:15], str(Empty.__name__))
print(Empty() == Empty(), Empty() != Empty())
x = Empty()
print(x == x, x is x)
class Eq:
    def __eq__(self, o): return True
print(Eq() == 1, 1 == Eq(), Eq() != 1)
