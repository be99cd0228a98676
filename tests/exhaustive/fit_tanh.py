#!/usr/bin/env python3
"""Fits the polynomial coefficients of tanh_f32 (core/src/util/portable_math.hpp) (mpmath only; no numpy here).

Method: weighted least squares on Chebyshev nodes, then Lawson's iteration (re-weighting
each node by its error) which drives the fit towards the minimax (equioscillating) one;
the weight makes the error relative to the final result, not to the polynomial itself.
Coefficients are then rounded to float32 one at a time, from the leading (largest)
term, and the remaining ones refitted after each rounding, so that the float literals
are a good fit themselves and not just rounded good reals.

Usage: python3 fit_tanh.py            (prints C++ literals and the fitted max relative error)
"""
import struct
import sys
import mpmath as mp

mp.mp.dps = 40


def f32(v):
    """Nearest float32 to v (round to nearest even, via struct)."""
    return mp.mpf(struct.unpack('<f', struct.pack('<f', float(v)))[0])


def hexf(v):
    m, e = float(v).hex().split('p')
    return m.rstrip('0') + 'p' + e + 'f'


def fit(target, weight, basis, lo, hi, fixed=(), nodes=200, lawson=40):
    """min over c of max |weight(s) * (sum c_k basis_k(s) + fixed(s) - target(s))| on [lo, hi].

    fixed: list of (index, value) already rounded coefficients, kept as they are."""
    fixed = dict(fixed)
    free = [k for k in range(len(basis)) if k not in fixed]
    xs = [(lo + hi) / 2 + (hi - lo) / 2 * mp.cos(mp.pi * (2 * i + 1) / (2 * nodes))
          for i in range(nodes)]
    rows, rhs, wts = [], [], []
    for s in xs:
        w = weight(s)
        rows.append([w * basis[k](s) for k in free])
        rhs.append(w * (target(s) - sum(v * basis[k](s) for k, v in fixed.items())))
    lw = [mp.mpf(1) / nodes] * nodes
    best = None
    for _ in range(lawson):
        A = mp.matrix([[r[j] * mp.sqrt(lw[i]) for j in range(len(free))]
                       for i, r in enumerate(rows)])
        b = mp.matrix([rhs[i] * mp.sqrt(lw[i]) for i in range(nodes)])
        c = mp.qr_solve(A, b)[0]
        err = [abs(sum(rows[i][j] * c[j] for j in range(len(free))) - rhs[i])
               for i in range(nodes)]
        m = max(err)
        if best is None or m < best[0]:
            best = (m, [c[j] for j in range(len(free))])
        tot = sum(lw[i] * err[i] for i in range(nodes))
        lw = [lw[i] * err[i] / tot for i in range(nodes)]
    out = dict(fixed)
    for j, k in enumerate(free):
        out[k] = best[1][j]
    return [out[k] for k in range(len(basis))], best[0]


def fit_rounded(target, weight, basis, lo, hi, exact=()):
    """Fit, then round to float32 term by term (leading first), refitting the rest.

    exact: indices whose value is given (already float) and never refitted."""
    fixed = list(exact)
    n = len(basis)
    for k in range(n):
        if k in dict(fixed):
            continue
        c, _ = fit(target, weight, basis, lo, hi, fixed)
        fixed.append((k, f32(c[k])))
    c = [dict(fixed)[k] for k in range(n)]
    # evaluate the final max error on a dense grid (with the rounded coefficients)
    grid = [lo + (hi - lo) * i / 4000 for i in range(4001)]
    m = max(abs(weight(s) * (sum(c[k] * basis[k](s) for k in range(n)) - target(s)))
            for s in grid if s != 0 or True)
    return c, m


def small_poly(T, deg):
    """tanh x = x + x^3 P(x^2) on [0, T]; P has `deg` terms, relative error of tanh x."""
    lo, hi = mp.mpf(0), mp.mpf(T) ** 2

    def target(s):
        if s < mp.mpf('1e-30'):
            return mp.mpf(-1) / 3
        x = mp.sqrt(s)
        return (mp.tanh(x) - x) / (x * s)

    def weight(s):
        if s < mp.mpf('1e-30'):
            return mp.mpf(0)
        x = mp.sqrt(s)
        return x * s / mp.tanh(x)

    basis = [(lambda s, k=k: s ** k) for k in range(deg)]
    return fit_rounded(target, weight, basis, lo, hi)


def exp_poly(deg, R):
    """e^r = 1 + r + r^2 Q(r) on [-R, R], Q with `deg` terms, error relative to e^r (the
    kernel only uses e^r through 2^n e^r + 1 with n >= 1, never e^r - 1 alone)."""
    def target(r):
        if abs(r) < mp.mpf('1e-30'):
            return mp.mpf(1) / 2
        return (mp.exp(r) - 1 - r) / (r * r)

    def weight(r):
        return r * r / mp.exp(r)

    basis = [(lambda r, k=k: r ** k) for k in range(deg)]
    return fit_rounded(target, weight, basis, -mp.mpf(R), mp.mpf(R))


if __name__ == '__main__':
    which = sys.argv[1] if len(sys.argv) > 1 else 'all'
    if which in ('small', 'all'):
        T = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5625
        deg = int(sys.argv[3]) if len(sys.argv) > 3 else 5
        c, m = small_poly(T, deg)
        print(f'// small: tanh x = x + x^3 P(x^2), |x| <= {T}, {deg} terms, '
              f'max rel err {mp.nstr(m, 3)} = 2^{mp.nstr(mp.log(m, 2), 3)}')
        for v in c:
            print(f'  {hexf(v)},  // {mp.nstr(v, 10)}')
    if which in ('const', 'all'):
        ln2 = mp.log(2)
        L1 = mp.mpf(0x162e4) / 2 ** 17          # 15 significant bits: n * L1 exact for n < 512
        print('// ln2 = L1 + L2: L1 =', hexf(L1), ' L2 =', hexf(f32(ln2 - L1)),
              ' (L2 error', mp.nstr(abs(f32(ln2 - L1) - (ln2 - L1)) / ln2, 3), 'relative to ln2)')
        print('// 1/ln2 =', hexf(f32(1 / ln2)))
    if which in ('exp', 'all'):
        deg = int(sys.argv[2]) if len(sys.argv) > 2 and which == 'exp' else 5
        R = mp.log(2) / 2 * mp.mpf('1.0001')
        c, m = exp_poly(deg, R)
        print(f'// exp: e^r = 1 + r + r^2 Q(r), |r| <= ln2/2, {deg} terms, '
              f'max rel err {mp.nstr(m, 3)} = 2^{mp.nstr(mp.log(m, 2), 3)}')
        for v in c:
            print(f'  {hexf(v)},  // {mp.nstr(v, 10)}')
