// The op table (core/include/gradlab/ops/op_table.def) through the JS API: the engine's rows
// are the ones .ci/gen_ops.mjs reads, the files it generates are up to date, every row is a
// t.NAME(), torch.NAME or F.NAME exactly where its row says, and atan (the README's worked
// example of adding an op) against Debian's PyTorch 1.13 (/usr/bin/python3) in WebAssembly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, test } from 'node:test';

import { generate, readTable } from '../../.ci/gen_ops.mjs';
import { load } from '../../core/wasm/gradlab.mjs';

let torch;
before(async () => { torch = await load(); });

test("the engine's op table is the one gen_ops.mjs reads", () => {
  assert.deepEqual(torch._module.opTable(), readTable().rows);
});

test('the generated .d.ts, editor and README regions are up to date (npm run gen:ops)', () => {
  assert.deepEqual(generate({ check: true }), []);
});

// Each row's operands after the input, for a call with the defaults (a row missing here fails)
function sampleArgs(name) {
  const v = () => torch.tensor([1, -2, 3]);
  const m32 = () => torch.tensor([[1, 2], [3, 4], [5, 6]]);
  const args = {
    add: [v()], sub: [v()], mul: [v()], div: [v()], maximum: [v()], dot: [v()], pow: [2],
    clamp: [1], clip: [1], leaky_relu: [], elu: [], gelu: [], softplus: [], sum: [], mean: [], max: [], min: [],
    softmax: [0], log_softmax: [0], unsqueeze: [0], t: [], matmul: [m32()], mm: [m32()], mv: [torch.tensor([1, 2, 3])],
    linear: [torch.tensor([[1, 2, 3], [4, 5, 6]])], transpose: [0, 1], reshape: [[3, 2]], squeeze: [0], select: [1, 0],
    mse_loss: [torch.ones([3])], l1_loss: [torch.ones([3])], huber_loss: [torch.ones([3])],
    binary_cross_entropy: [torch.tensor([0, 1, 1])], binary_cross_entropy_with_logits: [torch.tensor([0, 1, 1])],
    cross_entropy: [[2, 0]], addmm: [],
  };
  return args[name] ?? (readTable().rows.find((r) => r.name === name)?.unary ? [] : undefined);
}
// Each row's input (shaped for the row)
function sampleInput(name) {
  const opts = { requiresGrad: true };
  if (['matmul', 'mm', 'mv', 'transpose', 'reshape', 'select', 'cross_entropy', 'linear', 't'].includes(name)) {
    return torch.tensor([[0.5, 1.5, 2.5], [-1, 0.25, 2]], opts);
  }
  if (name === 'squeeze') return torch.tensor([[0.5, 1.5, 2.5]], opts);
  if (name.startsWith('binary_cross_entropy')) return torch.tensor([0.25, 0.5, 0.75], opts);
  return torch.tensor([0.5, 1.5, 2.5], opts);
}

test('each row is a Tensor method, torch.* and F.* exactly where its row says', () => {
  const F = torch.nn.functional;
  const rows = readTable().rows;
  assert.ok(rows.length >= 48);
  for (const row of rows) {
    const x = torch.tensor([0.5, 1.5, 2.5], { requiresGrad: true });
    assert.equal(typeof x[row.js] === 'function', row.tensor, `t.${row.js}`);
    assert.equal(typeof torch[row.js] === 'function', row.torch, `torch.${row.js}`);
    assert.equal(typeof F[row.name] === 'function', row.functional, `F.${row.name}`);
    if (!row.unary) continue;
    const fn = row.torch ? torch[row.js] : F[row.name];
    const y = fn(x);
    assert.equal(y.grad_fn.name, row.gradFn, row.name);
    if (row.tensor) assert.deepEqual(Array.from(x[row.js]().data()), Array.from(y.data()), row.name);
    assert.throws(() => fn(2), { name: 'TypeError', message: /input must be a Tensor, not (float|int|number)/ });
  }
});

test("each row's grad_fn is the row's after a call with the defaults, in each namespace it has", () => {
  const F = torch.nn.functional;
  for (const row of readTable().rows) {
    if (row.name === 'addmm') {
      const y = torch.addmm(torch.tensor([1, 2]), torch.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true }), torch.ones([3, 2]));
      assert.equal(y.grad_fn.name, row.gradFn, row.name);
      continue;
    }
    const rest = sampleArgs(row.name);
    assert.ok(rest, `no sample arguments for the row ${row.name}`);
    const calls = [];
    if (row.tensor) calls.push(['t', (x) => x[row.js](...rest)]);
    if (row.torch) calls.push(['torch', (x) => torch[row.js](x, ...rest)]);
    if (row.functional) calls.push(['F', (x) => F[row.name](x, ...rest)]);
    for (const [where, call] of calls) {
      const y = call(sampleInput(row.name));
      assert.equal(y.grad_fn.name, row.gradFn, `${where}.${row.name}`);
    }
  }
});

test("atan and its backward: PyTorch's values (forward within an ulp, backward its bits)", () => {
  const xs = [0, -0, 1e-30, -3e-8, 0.25, -0.5, 1, -1, 2, 1e3, -7e5, 3e20];
  while (xs.length < 37) xs.push(Math.sin(0.7 * xs.length) * 6);
  const gs = xs.map((_, i) => 0.5 + Math.cos(i));
  const script = `
import json, sys, torch
d = json.load(sys.stdin)
out = {}
for dt in ('float32', 'float64'):
    x = torch.tensor([float(v) for v in d['x']], dtype=getattr(torch, dt), requires_grad=True)
    y = torch.atan(x)
    y.backward(torch.tensor(d['g'], dtype=getattr(torch, dt)))
    out[dt] = {'y': y.tolist(), 'grad': x.grad.tolist(), 'x': x.tolist(), 'g': type(y.grad_fn).__name__}
print(json.dumps(out))
`;
  const input = JSON.stringify({ x: xs.map((v) => (Object.is(v, -0) ? '-0.0' : v)), g: gs });
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input, encoding: 'utf8' });
  assert.equal(r.status, 0, `PyTorch (/usr/bin/python3) failed: ${r.stderr}`);
  const ref = JSON.parse(r.stdout);
  for (const dtype of ['float32', 'float64']) {
    const ulp = dtype === 'float64' ? 2 ** -52 : 2 ** -23;
    const x = torch.tensor(xs, { dtype, requiresGrad: true });
    const y = dtype === 'float32' ? x.atan() : torch.atan(x);
    assert.equal(y.grad_fn.name, ref[dtype].g);
    y.backward(torch.tensor(gs, { dtype }));
    const got = Array.from(y.data());
    const grad = Array.from(x.grad.data());
    assert.deepEqual(Array.from(x.data()), ref[dtype].x);  // the same inputs on both sides
    for (let i = 0; i < xs.length; i++) {
      const want = ref[dtype].y[i];
      assert.ok(Math.abs(got[i] - want) <= ulp * Math.abs(want), `${dtype} atan(${xs[i]}) = ${got[i]}, PyTorch ${want}`);
      assert.equal(grad[i], ref[dtype].grad[i], `${dtype} grad at ${xs[i]}`);
    }
  }
});
