"""Runs tests/random/cases.txt in PyTorch and prints what each step draws, in the format of
gradlab's random_dump program (tests/random/random_dump.cpp): one line per step, "i.j" (case,
step) then the values, float bits in hex, int64 in decimal, or "error Type: message".
Run with Debian's PyTorch: /usr/bin/python3 tests/random/torch_random.py tests/random/cases.txt
The first line names the torch version."""
import math
import struct
import sys

import torch
import torch.nn as nn

DTYPES = {'f32': torch.float32, 'f64': torch.float64}


def shape(s):
    return tuple(int(d) for d in s.split('x'))


def values(t):
    if t.dtype == torch.float32:
        return ' '.join('%08x' % struct.unpack('<I', struct.pack('<f', v))[0] for v in t.flatten().tolist())
    if t.dtype == torch.float64:
        return ' '.join('%016x' % struct.unpack('<Q', struct.pack('<d', v))[0] for v in t.flatten().tolist())
    return ' '.join(str(v) for v in t.flatten().tolist())


def step(words, saved):
    op, a = words[0], words[1:]
    if op == 'seed':
        torch.manual_seed(int(a[0]))
        return ''
    if op == 'initial_seed':
        return str(torch.initial_seed())
    if op == 'state':
        return torch.get_rng_state().numpy().tobytes().hex()
    if op == 'save':
        saved[0] = torch.get_rng_state()
        return ''
    if op == 'restore':
        torch.set_rng_state(saved[0])
        return ''
    if op == 'rand':
        return values(torch.rand(shape(a[0]), dtype=DTYPES[a[1]]))
    if op == 'randn':
        return values(torch.randn(shape(a[0]), dtype=DTYPES[a[1]]))
    if op == 'uniform':
        return values(torch.empty(shape(a[0]), dtype=DTYPES[a[1]]).uniform_(float(a[2]), float(a[3])))
    if op == 'normal':
        return values(torch.empty(shape(a[0]), dtype=DTYPES[a[1]]).normal_(float(a[2]), float(a[3])))
    if op == 'randint':
        return values(torch.randint(int(a[0]), int(a[1]), (int(a[2]),)))
    if op == 'randint_f':
        return values(torch.randint(int(a[0]), int(a[1]), (int(a[2]),), dtype=DTYPES[a[3]]))
    if op == 'randperm':
        return values(torch.randperm(int(a[0])))
    if op == 'randperm_f':
        return values(torch.randperm(int(a[0]), dtype=DTYPES[a[1]]))
    if op == 'bernoulli':
        return values(torch.empty(int(a[0]), dtype=DTYPES[a[1]]).bernoulli_(float(a[2])))
    if op == 'linear':
        layer = nn.Linear(int(a[0]), int(a[1]), bias=len(a) < 4, dtype=DTYPES[a[2]])
        bias = values(layer.bias.detach()) if layer.bias is not None else 'none'
        return values(layer.weight.detach()) + ' | ' + bias
    init = nn.init
    if op in ('kaiming_uniform', 'kaiming_normal'):
        t = torch.empty(shape(a[0]), dtype=DTYPES[a[1]])
        f = init.kaiming_uniform_ if op == 'kaiming_uniform' else init.kaiming_normal_
        slope = float(a[2])
        f(t, a=int(slope) if slope == 0 else slope, mode=a[3], nonlinearity=a[4])
        return values(t)
    if op in ('xavier_uniform', 'xavier_normal'):
        t = torch.empty(shape(a[0]), dtype=DTYPES[a[1]])
        (init.xavier_uniform_ if op == 'xavier_uniform' else init.xavier_normal_)(t, gain=float(a[2]))
        return values(t)
    if op in ('init_uniform', 'init_normal'):
        t = torch.empty(shape(a[0]), dtype=DTYPES[a[1]])
        (init.uniform_ if op == 'init_uniform' else init.normal_)(t, float(a[2]), float(a[3]))
        return values(t)
    if op in ('init_constant', 'init_zeros', 'init_ones'):
        t = torch.empty(shape(a[0]), dtype=DTYPES[a[1]])
        if op == 'init_constant':
            init.constant_(t, float(a[2]))
        else:
            (init.zeros_ if op == 'init_zeros' else init.ones_)(t)
        return values(t)
    raise SystemExit('unknown step: ' + ' '.join(words))


def main():
    import warnings
    warnings.simplefilter('ignore')  # kaiming_*'s zero-element warning
    torch.set_num_threads(1)
    print('# torch', torch.__version__)
    cases = [l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith('#')]
    for i, case in enumerate(cases):
        saved = [None]
        for j, s in enumerate(x.strip() for x in case.split(';')):
            try:
                out = step(s.split(), saved)
            except (RuntimeError, ValueError) as e:
                out = 'error %s: %s' % (type(e).__name__, e)
            print('%d.%d %s' % (i, j, out))


main()
