import math
vals = [0.0, -0.0, 1.0, 0.1, 1/3, 2/3, 1e-7, 1e22, 123456.789, -42.5, 1e16, 1e15 + 0.5, 5e-324, 1.7976931348623157e308]
for v in vals:
    print(repr(v), str(v), f"{v:.3f}", f"{v:e}", f"{v:g}", f"{v:.10g}", "%.4e" % v, "%g" % v, f"{v:10.2f}|", f"{v:<12.3}|")
for v in [0, 1, -1, 42, 1234567, -9876543210, 2**62]:
    print(f"{v:d} {v:5d} {v:<6d}| {v:^7d}| {v:+d} {v:,d} {v:_d} {v:x} {v:X} {v:o} {v:b} {v:#x} {v:08d} {v:e}")
print(format(3.14159, ".2f"), format(255, "x"), format("abc", ">6"), format(True), format(1.5), format(10, ","))
print(f"{math.pi:.15f} {math.e:.3} {math.inf} {-math.inf:f} {math.nan:.2f} {1e300*1e300}")
print(f"{'left':<10}|{'right':>10}|{'mid':^10}|{'fill':*^10}|{'x':-<4}|")
print(f"{12.5:08.2f} {-12.5:08.2f} {12.5:+08.2f} {0.5:.0f} {1.5:.0f} {2.5:.0f} {0.125:.2f}")
print(f"{1234.5:,.2f} {1234567.891:_.1f} {0.000012345:.3e} {123:.2e} {1e-10:g} {1e-4:g} {1e-5:g}")
print(f"{3.0:.3} {3.14159:.3} {1234.0:.3} {0.0001234:.3} {100.0:.3} {1e100:.3}")
print("%5.1f%%" % 99.5, "%-8s|" % "ab", "%08.3f" % -3.14159, "%+.2e" % 1234.5, "%x" % 255, "%#o" % 8)
print("{:>{w}.{p}f}".format(3.14159, w=10, p=3), "{:{}}".format("x", 3) + "|")
print(str(0.1 + 0.7), 0.1 * 3, 1.1 * 1.1, 4.35 * 100, 1 - 0.9, 100 * 1.1, 2.675 * 100)
print(1e-4, 1e-5, 0.0001, 0.00001, 12345678901234567890.0, 1.0e16, 9999999999999998.0, 0.1 ** 10)
print(float("1e500"), float("-1e500"), float("nan") == float("nan"), 1e308 * 10, -1e308 * 10)
print(round(1.005, 2), round(2.345, 2), round(-1.5), round(0.1 + 0.2, 10), round(1e15), round(123.456, 1), round(5e-324, 300))
print(math.floor(-2.5), math.ceil(-2.5), math.trunc(-2.7), math.sqrt(16), math.exp(1), math.log(100, 10), math.log10(1000), math.log2(8))
print(math.isclose(0.1 + 0.2, 0.3), math.isnan(float("nan")), math.isinf(1e400), math.fabs(-2), math.fsum([0.1] * 10), sum([0.1] * 10))
print(math.factorial(10), math.gcd(12, 18), math.pow(2, 0.5), math.hypot(3, 4), math.degrees(math.pi), math.radians(180))
print(math.tanh(0.5), math.sin(1), math.cos(1), math.atan2(1, 1), math.log1p(1e-10), math.expm1(1e-10))
print(int(1e15), int(-0.9), int("  12  "), int("0b101", 0), int("ff", 16), int("777", 8), float("inf"), float("-Infinity"))
