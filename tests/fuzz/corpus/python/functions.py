def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, kw)

print(f(1, c=3))
print(f(1, 5, 6, 7, c=3, e=8))
print(f(*[1, 2, 3], **{"c": 0, "z": 9}))

def counter():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    return inc

c = counter()
print(c(), c(), c())

g = 10
def setg():
    global g
    g = 20
setg()
print(g)

add = lambda x, y=1: x + y
print(add(1), add(1, 2), (lambda: 5)(), sorted([3, 1, 2], key=lambda v: -v))

def outer():
    x = 1
    def mid():
        def inner():
            return x
        return inner()
    return mid()
print(outer())

def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(10), fact(20))

def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
print([fib(i) for i in range(15)])

def kwonly(*, x, y=2):
    return x + y
print(kwonly(x=1), kwonly(y=5, x=1))

def posonly(a, b, /, c):
    return a, b, c
print(posonly(1, 2, 3), posonly(1, 2, c=3))

def deco(fn):
    def wrapper(*a, **k):
        return "wrapped " + str(fn(*a, **k))
    return wrapper

@deco
def hello(name):
    return "hi " + name
print(hello("bob"), hello.__name__)

def defaults(x=[]):
    x.append(1)
    return x
print(defaults(), defaults(), defaults([0]))
print(f.__name__, fact.__qualname__, counter().__qualname__, (lambda: 0).__name__)

def gen_like(n):
    return [i for i in range(n)]
print(gen_like(3), list(map(lambda x: x * 2, range(3))))

funcs = [lambda i=i: i for i in range(3)]
print([fn() for fn in funcs])
closures = []
for i in range(3):
    closures.append(lambda: i)
print([fn() for fn in closures])
def none_return():
    pass
print(none_return())
