# Many floats through repr, str, %-formats, format specs and round(), from a
# deterministic generator (an LCG), compared with CPython character by character.
state = 12345
def rnd():
    global state
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648.0

specs = [".0f", ".1f", ".2f", ".3f", ".6f", ".10f", ".0e", ".3e", ".15e", "g", ".1g", ".3g", ".12g", ".17g",
         "", ".1", ".3", ".10", "+.2f", " .3g", "10.3f", "<12.4e", "^14.2%", ",.2f", "_.3f", "#.0f", "#g", "012.4f"]
for i in range(300):
    mag = int(rnd() * 40) - 20
    v = (rnd() - 0.5) * 10.0 ** mag
    if i % 7 == 0:
        v = round(v, int(rnd() * 6))
    if i % 11 == 0:
        v = float(int(v))
    out = [repr(v), str(v), "%r" % v, "%s" % v, "%f" % v, "%e" % v, "%g" % v, "%.3g" % v, "%10.4f" % v]
    for s in specs:
        out.append(format(v, s))
    out.append(str(round(v, 2)))
    out.append(str(round(v)) if abs(v) < 1e15 else "big")
    out.append(str(round(v, -1)))
    print(" | ".join(out))
for v in [0.5, 1.5, 2.5, -0.5, -1.5, 0.125, 0.375, 2.675, 1.005, 1e-300, 5e-324, 1.7976931348623157e308, 1e15, 1e16, 123456789012345678.0]:
    print(repr(v), round(v, 2), round(v, 1), round(v) if abs(v) < 1e18 else "big", "%.2f" % v, f"{v:.1f}", f"{v:g}", f"{v:e}")
