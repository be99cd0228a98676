a = [3, 1, 2]
a.append(4); a.extend([5, 6]); a.insert(0, 0); a.remove(3)
print(a, a.pop(), a.pop(0), a, a.index(2), a.count(1), len(a))
a.sort(); print(a); a.sort(reverse=True); print(a); a.reverse(); print(a)
print(sorted([3, 1, 2]), sorted("bca"), sorted([(1, 'b'), (1, 'a'), (0, 'c')]), sorted([-3, 1, 2], key=abs))
words = ["bb", "a", "ccc", "dd"]
print(sorted(words, key=len), sorted(words, key=len, reverse=True), max(words, key=len), min(words, key=len))
b = a[:]
b[0] = 99
print(a[0], b[0], a[1:3], a[::-1], a[-2:], a[:-2])
b[1:3] = [7, 8, 9]
print(b)
del b[0]
del b[::2]
print(b)
t = (1, 2, 3)
print(t, t[1], t[-1], t[:2], len(t), t + (4,), t * 2, (1,), (), 2 in t, t.index(3), t.count(1))
d = {"a": 1, "b": 2}
d["c"] = 3
print(d, d["a"], d.get("z"), d.get("z", 0), list(d.keys()), list(d.values()), list(d.items()), len(d), "a" in d)
print(d.pop("a"), d, d.setdefault("x", 10), d, d.popitem(), d)
d.update({"y": 1}, z=2)
print(d, dict(a=1, b=2), dict([("k", "v")]), dict(zip("ab", [1, 2])), {k: v for k, v in [(1, 2)]})
del d["y"]
print(d, {1: "a", 1.0: "b", True: "c"}, {(1, 2): 3})
s = {3, 1, 2}
s.add(5); s.discard(1); s.add(3)
print(s, len(s), 2 in s, {1, 2} | {2, 3}, {1, 2} & {2, 3}, {1, 2} - {2, 3}, {1, 2} ^ {2, 3}, set(), set([1, 1, 2]))
print({10, 3, 7, 100, 42}, {-1, -2, 5}, {1, 2} <= {1, 2, 3}, {1, 2} < {1, 2}, frozenset([1, 2]), set("aab") == {"a", "b"})
print([x * x for x in range(5)], [x for x in range(10) if x % 3 == 0], {x: x * x for x in range(3)}, {x % 3 for x in range(10)})
print([(i, j) for i in range(3) for j in range(i)], [[j for j in range(i)] for i in range(3)])
print(list(range(5)), list(range(2, 10, 3)), list(range(10, 0, -3)), range(5), range(1, 5, 2), len(range(0, 10, 3)), range(10)[2], range(10)[2:5])
print(list(zip([1, 2, 3], "ab")), list(enumerate("ab", 1)), list(map(str, [1, 2])), list(filter(None, [0, 1, 2])), list(reversed([1, 2, 3])))
print(any([0, 0, 1]), all([1, 1, 0]), any([]), all([]), sum(x for x in range(4)), list(x + 1 for x in [1, 2]))
nested = [[1, 2], [3, [4, 5]]]
print(nested[1][1][0], nested, [[0] * 2] * 2)
m = [1, 2, 3]
m += (4, 5)
m *= 2
print(m, m == [1, 2, 3, 4, 5] * 2, [1, 2] < [1, 3], (1, 2) < (1, 2, 3), [1, [2]] == [1, [2]])
x, y, *rest = [1, 2, 3, 4]
first, *mid, last = "abcde"
(p, q), r = (1, 2), 3
print(x, y, rest, first, mid, last, p, q, r)
a = b = c = [1]
print(a is b, a is c, a == [1], a is not [1])
print(list("abc"), tuple([1, 2]), list({1: 2}), list(d), sorted({3: 'a', 1: 'b'}.items()))
import collections
od = collections.OrderedDict()
od["z"] = 1; od["a"] = 2
print(od, list(od), dict(od), collections.OrderedDict([("x", 1)]))
od.move_to_end("z")
print(od, od.popitem(), od)
