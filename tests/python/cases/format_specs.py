vals = [0, 1, -1, 7, 123456789, -42, 3.0, 0.1, -0.0, 1e16, 1.5e-7, 2.5, 3.14159265358979, float('inf'), float('-inf'), float('nan'), 1e300*10, 12345.678, 0.000123456]
specs = ['', 'd', '5d', '<5d', '^7d', '+d', ' d', ',d', '_d', 'x', 'X', '#x', 'o', '#o', 'b', '#b', '08d', '08.3f', 'f', '.0f', '.1f', '.2f', '10.3f', '<10.2f', '^10.2f', '+.2f', 'e', '.2e', '.0e', 'E', 'g', '.3g', '.10g', 'G', '%', '.1%', ',.2f', '012,.2f', 'n', '*^12.3f', '=+10.2f', '.3', '10', '#.0f', '#g', '#.3g', '.2E']
for v in vals:
    row = []
    for s in specs:
        try:
            row.append(format(v, s))
        except (ValueError, TypeError) as e:
            row.append("ERR:" + type(e).__name__ + ":" + str(e))
    print(repr(v), row)
for s in ['', 's', '10', '<10', '>10', '^10', '.2', '*^9.3', '10.1s', 'd', 'x']:
    try:
        print(repr(format("hello", s)))
    except ValueError as e:
        print("ERR", e)
print("%d %i %5d %-5d| %05d %+d %x %X %o %e %E %f %g %G %s %r %% %c" % (1, 2, 3, 4, 5, 6, 255, 255, 8, 12345.678, 0.001, 1.5, 1e-5, 1e20, "s", "r", 65))
print("%.3f %10.2e %-10.1f| %.0f %.0f %.0f %#x %#o" % (1/3, 12345, 2.5, 0.5, 1.5, 2.5, 255, 8))
print("%(a)s %(b)05.1f" % {"a": "x", "b": 2.25})
print("%s" % (1,), "%s" % [1, 2], "%s %s" % ("a", (1, 2)))
print("{} {} {}".format(1, "a", 2.5), "{1} {0} {1}".format("a", "b"), "{x} {y!r}".format(x=1, y="s"))
print("{0[1]} {1[k]} {2.real}".format([5, 6], {"k": "v"}, 3.5))
print("{:>{w}.{p}f}".format(3.14159, w=10, p=2), f"{3.14159:>{10}.{3}f}")
print("{{}} {{{}}}".format(7), f"{{x}} {{{1+1}}}")
x = 3.5; name = "bob"
print(f"{x!r:>8} {name!s:^9} {name!r} {x:g} {x:08.3f} {x*2:.1e} {'q':>3}")
print(f"{[1,2]} {(1,)} {{1: 2}} {None} {True:d} {True} {False!r}")
print(f"{1000000:,} {1234.5:,.1f} {-1234567:_}")
print(format(True, "5"), format(None, ""), format(1, ".2f"), format(1.0, "d") if False else "")
print(str(1e16), str(1e15), repr(123456789012345678.0), 1e-4, 1e-5, 0.0001234, 1/3, 2/3, 10/3, 1e22, 1.0e+100)
print(round(2.675, 2), round(0.5), round(1.5), round(2.5), round(-0.5), round(1.25, 1), round(1.35, 1), round(123.456, -1), round(1234, -2), round(1250, -2), round(-1250, -2), round(7, 0), round(1e300, 2))
print(int(3.9), int(-3.9), int("  42 "), int("-0x1f", 16), int("0b101", 0), int("z", 36), float("  -1.5e3 "), float("nan"), float("-inf"), float("1_000.5"))
print(divmod(7, 2), divmod(-7, 2), divmod(7.5, 2), divmod(-7.5, 2), 7 // -2, -7 % 3, 7 % -3, -7.5 % 2, 7.5 // -2)
print(2 ** 10, 2 ** -1, (-8) ** (1/3) if False else 0, 2.0 ** 0.5, pow(2, 10, 1000), pow(3, -1, 7) if False else 0, 0 ** 0, 0.0 ** 0)
print(abs(-3), abs(-3.5), abs(True), -True, +False, ~5, 5 & 3, 5 | 3, 5 ^ 3, 1 << 10, -16 >> 2)
print(1 == 1.0, 1 < 1.5, 2 ** 53 + 1 == 2.0 ** 53 + 1, float(2**53+1), True + True, 3 * True)
print(hex(255), oct(8), bin(-5), chr(955), ord("λ"), ascii("λx"), repr("λ\n\t\x01'\""), repr('a"b'), repr("a'b"), repr("a'b\"c"))
