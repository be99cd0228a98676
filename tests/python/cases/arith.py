# int and float arithmetic with Python's semantics
print(7 // 2, -7 // 2, 7 // -2, -7 // -2)
print(7 % 3, -7 % 3, 7 % -3, -7 % -3)
print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 7.0 % -2.5)
print(2 ** 10, 2 ** -1, (-2) ** 3, 2.0 ** 0.5, 10 ** 18)
print(1 / 3, 10 / 4, 3 / 1, -1 / 3, 2 / 3)
print(0.1 + 0.2, 1e21, 1e-5, 1e16, 1e15, 123456789.0, 0.000123)
print(3.0, -0.0, 1.5e300 * 1e10, -1e400, 1e-320)
print(float('inf'), -float('inf'), float('nan'), float('-inf'))
print(1 + True, True + True, True * 3, False - 1, -True, ~True, ~5, ~-1)
print(5 & 3, 5 | 3, 5 ^ 3, 1 << 10, 1024 >> 3, -8 >> 1, True & False, True | False)
print(abs(-3), abs(-3.5), abs(True), divmod(7, 2), divmod(-7, 2), divmod(7.5, 2))
print(round(2.5), round(3.5), round(-2.5), round(0.5), round(1.5), round(2.675, 2), round(1234.5678, -2))
print(round(0.125, 2), round(0.375, 2), round(2.5, 0), round(-0.5), round(1234, -2), round(1250, -2), round(1350, -2))
print(int(3.9), int(-3.9), int('42'), int(' -17 '), int('0x1f', 16), int('1_000'), float('1e3'), float(' 2.5 '))
print(1 == 1.0, 1 < 1.5, 2 > 1.5, 1e300 > 10 ** 18, 0.1 + 0.2 == 0.3, 9007199254740993 == 9007199254740992.0)
print(max(1, 2.5, 2), min([3, 1, 2]), sum([1, 2, 3]), sum([0.1] * 10), sum([1, 2], 10))
print(pow(2, 10), pow(2, -2), pow(3, 4, 5), pow(-3, 3, 7))
print(hex(255), oct(8), bin(5), hex(-255), chr(65), ord('a'))
print(int(True), float(False), bool(0), bool(0.0), bool(''), bool('a'), bool([]), bool([0]))
x = 10
x += 5; x -= 3; x *= 2; x //= 5; x **= 3; x %= 7
print(x)
y = 2.5
y /= 2; y -= 0.25
print(y)
print(3 * 'ab', 'ab' * 0, [0] * 3, (1, 2) * 2, 2 * [1])
print(-2 ** 2, (-2) ** 2, 2 ** 3 ** 2, not 1 == 2, 1 < 2 < 3, 1 < 2 > 3, 1 == 1 == 1.0)
