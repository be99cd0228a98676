import math
class A:
    def m(self, *a, **k): pass
def f(*a, **k): pass
for t in [lambda: f(*1), lambda: f(**[1]), lambda: f(c=1, **{"c": 2}), lambda: A().m(*1), lambda: A().m(x=1, **{"x": 1}), lambda: A(*1), lambda: len(*1), lambda: [].append(**1), lambda: math.sqrt(*1), lambda: print(**{"sep": 1}, sep=2), lambda: int(*None), lambda: (lambda: 0)(*1), lambda: f(**{1: 2}), lambda: A.m(**None)]:
    try:
        t()
    except TypeError as e:
        print(e)
