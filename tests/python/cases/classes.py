class Animal:
    kind = "animal"
    def __init__(self, name):
        self.name = name
    def speak(self):
        return self.name + " makes a sound"
    def __repr__(self):
        return f"Animal({self.name!r})"

class Dog(Animal):
    def __init__(self, name, breed):
        super().__init__(name)
        self.breed = breed
    def speak(self):
        return super().speak() + " (woof)"
    def __str__(self):
        return "Dog " + self.name

d = Dog("Rex", "lab")
print(d.speak(), d.kind, d.breed, isinstance(d, Animal), isinstance(d, Dog), issubclass(Dog, Animal), type(d).__name__)
print(repr(d), str(d), [d], Animal("cat"), str(Animal("x")))
print(Dog.__mro__ if False else Dog.__bases__, Dog.__name__, Dog.__qualname__, type(d) is Dog)

class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)
    def __rmul__(self, k):
        return self * k
    def __eq__(self, o):
        return isinstance(o, Vec) and (self.x, self.y) == (o.x, o.y)
    def __len__(self):
        return 2
    def __getitem__(self, i):
        return (self.x, self.y)[i]
    def __iter__(self):
        return iter((self.x, self.y))
    def __repr__(self):
        return f"Vec({self.x}, {self.y})"
    def __neg__(self):
        return Vec(-self.x, -self.y)
    def __bool__(self):
        return bool(self.x or self.y)
    def __call__(self, z):
        return self.x + self.y + z
    def __contains__(self, v):
        return v in (self.x, self.y)
    def __lt__(self, o):
        return (self.x, self.y) < (o.x, o.y)

v = Vec(1, 2) + Vec(3, 4)
print(v, v * 2, 3 * v, -v, v == Vec(4, 6), v != Vec(4, 6), len(v), v[0], list(v), v(10), 4 in v, 5 in v)
print(bool(Vec(0, 0)), not Vec(0, 1), sorted([Vec(2, 1), Vec(1, 5)]), max(Vec(1, 1), Vec(2, 0)))
x, y = v
print(x, y)
if Vec(0, 0):
    print("truthy")
else:
    print("falsy")

class Counter:
    count = 0
    def __init__(self):
        Counter.count += 1
        self.id = Counter.count
    @staticmethod
    def describe():
        return "counter"
    @classmethod
    def make(cls):
        return cls()
    @property
    def double(self):
        return self.id * 2
    @double.setter
    def double(self, v):
        self.id = v // 2

a = Counter(); b = Counter.make()
print(a.id, b.id, Counter.count, Counter.describe(), a.describe(), a.double)
a.double = 10
print(a.id, a.double, hasattr(a, "id"), hasattr(a, "nope"), getattr(a, "nope", "dflt"))
setattr(a, "extra", 5)
print(a.extra, vars(b), a.__dict__)

class Base:
    def __init__(self):
        self.items = []
class Child(Base):
    pass
c = Child()
c.items.append(1)
print(c.items, isinstance(c, Base), Child.__base__.__name__)

class WithGetattr:
    def __init__(self):
        self.real = 1
    def __getattr__(self, name):
        return "virtual " + name
w = WithGetattr()
print(w.real, w.anything)

class Tracked:
    def __setattr__(self, name, value):
        print("set", name, value)
        object.__setattr__(self, name, value)
t = Tracked()
t.a = 1
print(t.a)

class Iter:
    def __init__(self, n):
        self.n = n
        self.i = 0
    def __iter__(self):
        return self
    def __next__(self):
        if self.i >= self.n:
            raise StopIteration
        self.i += 1
        return self.i
print(list(Iter(3)), [x * 2 for x in Iter(2)], sum(Iter(4)))
for k in Iter(2):
    print("k", k)

class Ctx:
    def __enter__(self):
        print("enter")
        return self
    def __exit__(self, et, ev, tb):
        print("exit", et.__name__ if et else None, ev)
        return True
with Ctx() as cm:
    print("inside", type(cm).__name__)
    raise ValueError("swallowed")
print("after with")
