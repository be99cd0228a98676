x = []
y = []
for i in range(100000):
    x = [x]
    y = [y]
for name, f in [("repr", lambda: repr(x)), ("eq", lambda: x == y), ("lt", lambda: x < y), ("str", lambda: str(x)), ("in", lambda: x in [y]), ("fmt", lambda: f"{x}"), ("sorted", lambda: sorted([x, y])), ("print", lambda: print(x))]:
    try:
        f()
        print(name, "ok")
    except RecursionError as e:
        print(name, "RecursionError:", e)
t = ()
for i in range(500):
    t = (t,)
try:
    print(hash(t) is not None)
except RecursionError as e:
    print("hash RecursionError:", e)
d = {}
for i in range(100000):
    d = {"k": d}
try:
    repr(d)
except RecursionError as e:
    print("dict repr RecursionError:", e)
