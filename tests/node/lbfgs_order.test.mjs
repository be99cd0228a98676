// LBFGS's first step length is min(1, 1 / |g|_1) * lr, where PyTorch takes |g|_1 as
// flat_grad.abs().sum(): ATen's cascade sum, not a left-to-right one. On loss = sum(c * p)
// the gradient is c exactly in every engine, so the params after one iteration, p - t c,
// agree with PyTorch bit for bit only if |g|_1 is added up in ATen's order. The reference is
// Debian's PyTorch 1.13 (/usr/bin/python3), whose float64 sum kernel is the one 2.x runs on
// AVX2 machines (the golden files' mse_loss case shows that order too).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, test } from 'node:test';

import { load } from '../../core/wasm/gradlab.mjs';

// Sizes below one vector, with a partial vector, whole groups, and past 256 (where ATen's
// cascade folds its accumulators into a second level).
const sizes = [3, 16, 21, 37, 300, 1029];
const coeffs = (n) => Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * (0.1 + 0.37 * ((i * 7) % 11) + 1e-3 * i) / 3);

const script = `
import json, sys, torch
torch.set_num_threads(1)
out = []
for c in json.load(sys.stdin):
    p = torch.full((len(c),), 0.5, dtype=torch.float64, requires_grad=True)
    c = torch.tensor(c, dtype=torch.float64)
    opt = torch.optim.LBFGS([p], lr=1, max_iter=1)
    def closure():
        opt.zero_grad()
        l = (p * c).sum()
        l.backward()
        return l
    opt.step(closure)
    out.append(p.detach().tolist())
print(json.dumps(out))
`;

let torch;
let reference;
before(async () => {
  torch = await load();
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(sizes.map(coeffs)), encoding: 'utf8' });
  assert.equal(r.status, 0, `PyTorch (/usr/bin/python3) failed: ${r.stderr}`);
  reference = JSON.parse(r.stdout);
});

for (const [k, n] of sizes.entries()) {
  test(`LBFGS's first step on ${n} parameters equals PyTorch's bit for bit`, () => {
    const c = torch.tensor(coeffs(n), { dtype: 'float64' });
    const p = torch.full([n], 0.5, { dtype: 'float64', requiresGrad: true });
    const opt = new torch.optim.LBFGS([p], { lr: 1, max_iter: 1 });
    opt.step(() => {
      opt.zeroGrad();
      const l = p.mul(c).sum();
      l.backward();
      return l;
    });
    const got = Array.from(p.data());
    const bad = got.findIndex((v, i) => v !== reference[k][i]);
    assert.equal(bad, -1, `param ${bad}: ${got[bad]}, PyTorch ${reference[k][bad]}`);
  });
}
