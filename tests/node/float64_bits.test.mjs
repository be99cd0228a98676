// float64 results that must be PyTorch's bits in the WebAssembly build too (issue 17): tanh
// (SLEEF's algorithm, core/src/util/tanh_f64.cpp, not the libm's: musl's tanh differs from
// glibc's, and both from PyTorch's), and the golden 'matrix' problem's loss and gradients,
// whose last bits LBFGS amplifies past the golden checker's 1e-8. The reference is Debian's
// PyTorch 1.13 (/usr/bin/python3); tests/cpp/torch_bits_test.cpp checks the native build.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, test } from 'node:test';

import { load } from '../../core/wasm/gradlab.mjs';
import { golden } from './golden.mjs';

/** n doubles from a fixed LCG, spread over [-span, span] (full 53-bit mantissas). */
function values(n, seed, span) {
  let s = BigInt(seed);
  const out = [];
  for (let i = 0; i < n; i++) {
    s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    out.push((Number(s >> 11n) / 2 ** 53 * 2 - 1) * span);
  }
  return out;
}

// Small, mid and large arguments, both forms' boundaries (tanh rounds to 1 from 18.71 on),
// signed zeros and subnormals.
const tanhInputs = [
  ...values(4000, 1, 1e-3), ...values(8000, 2, 3), ...values(4000, 3, 20),
  0, -0, 5e-324, -5e-324, 1e-300, 0.5493061443340549, 18.714973875, 18.714973874999998, -19,
];
const { X, Y } = golden('optim').problems.matrix; // { shape, dtype, data }
// params of the matrix problem: W (3 x 4), V (3 x 3), at a few points
const points = [1, 2, 3, 4, 5].map((k) => values(21, 100 + k, 1.5));

const script = `
import json, sys, torch
torch.set_num_threads(1)
d = json.load(sys.stdin)
out = {'tanh': torch.tanh(torch.tensor([float(v) for v in d['tanh']], dtype=torch.float64)).tolist(), 'matrix': []}
X = torch.tensor(d['X'], dtype=torch.float64).reshape(4, 6)
Y = torch.tensor(d['Y'], dtype=torch.float64).reshape(3, 6)
for p in d['points']:
    W = torch.tensor(p[:12], dtype=torch.float64).reshape(3, 4).requires_grad_()
    V = torch.tensor(p[12:], dtype=torch.float64).reshape(3, 3).requires_grad_()
    loss = ((V @ torch.tanh(W @ X) - Y) ** 2).mean()
    loss.backward()
    out['matrix'].append([loss.item()] + W.grad.reshape(-1).tolist() + V.grad.reshape(-1).tolist())
print(json.dumps(out))
`;

let torch;
let reference;
before(async () => {
  torch = await load();
  // JSON has no -0: it goes as a string, which float() reads
  const tanh = tanhInputs.map((v) => (Object.is(v, -0) ? '-0.0' : v));
  const input = JSON.stringify({ tanh, X: X.data, Y: Y.data, points });
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `PyTorch (/usr/bin/python3) failed: ${r.stderr}`);
  reference = JSON.parse(r.stdout);
});

/** Index of the first value that is not the same double (Object.is: -0 is not 0), or -1. */
const firstDifference = (got, want) => want.findIndex((w, i) => !Object.is(got[i], w));

test("float64 tanh has PyTorch's bits", () => {
  const got = Array.from(torch.tensor(tanhInputs, { dtype: 'float64' }).tanh().data());
  const bad = firstDifference(got, reference.tanh);
  assert.equal(bad, -1, `tanh(${tanhInputs[bad]}) = ${got[bad]}, PyTorch ${reference.tanh[bad]}`);
});

test("the matrix problem's loss and gradients have PyTorch's bits", () => {
  const x = torch.tensor(X.data, { dtype: 'float64' }).reshape(X.shape);
  const y = torch.tensor(Y.data, { dtype: 'float64' }).reshape(Y.shape);
  for (const [k, p] of points.entries()) {
    const w = torch.tensor(p.slice(0, 12), { dtype: 'float64' }).reshape([3, 4]).requiresGrad_();
    const v = torch.tensor(p.slice(12), { dtype: 'float64' }).reshape([3, 3]).requiresGrad_();
    const loss = v.matmul(w.matmul(x).tanh()).sub(y).pow(2).mean();
    loss.backward();
    const got = [loss.item(), ...w.grad.data(), ...v.grad.data()];
    const bad = firstDifference(got, reference.matrix[k]);
    assert.equal(bad, -1, `point ${k}, ${bad === 0 ? 'loss' : `grad ${bad - 1}`}: ${got[bad]}, PyTorch ${reference.matrix[k][bad]}`);
  }
});
