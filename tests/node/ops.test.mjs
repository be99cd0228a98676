// The op set through the JS API (methods, torch.* and torch.nn.functional), against
// autograd.json: each case's output and the gradients of sum(output * upstream).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { load } from '../../core/wasm/gradlab.mjs';
import { golden, num } from './golden.mjs';

const autograd = golden('autograd');
let torch;
before(async () => { torch = await load(); });

// gen.py's lambdas, written with the JS API. Cases built from gen.py's vals() generator
// inside the lambda (transpose, reshape) are left to the C++ golden checker.
const F = () => torch.nn.functional;
const positive = (b) => torch.tensor(Array.from(b.data(), (v) => (v > 0 ? 1 : 0)), { dtype: 'float64' });
const CASES = {
  add: (a, b) => a.add(b),
  add_broadcast_row: (a, b) => a.add(b),
  add_broadcast_outer: (a, b) => torch.add(a, b),
  add_scalar_tensor: (a, b) => a.add(b),
  sub: (a, b) => a.sub(b),
  sub_broadcast: (a, b) => torch.sub(a, b),
  mul: (a, b) => a.mul(b),
  mul_broadcast_col: (a, b) => a.mul(b),
  mul_const_input: (a, x) => a.mul(x),
  div: (a, b) => a.div(b),
  div_broadcast: (a, b) => torch.div(a, b),
  neg: (a) => a.neg(),
  exp: (a) => torch.exp(a),
  log: (a) => a.log(),
  sqrt: (a) => torch.sqrt(a),
  abs: (a) => a.abs(),
  square_pow2: (a) => a.pow(2),
  pow3: (a) => a.pow(3),
  pow_half: (a) => a.pow(0.5),
  pow_neg: (a) => a.pow(-1.5),
  rpow: (a) => torch.pow(2.0, a),
  pow_tensor: (a, b) => a.pow(b),
  tanh: (a) => torch.tanh(a),
  sigmoid: (a) => a.sigmoid(),
  relu: (a) => torch.relu(a),
  leaky_relu: (a) => F().leaky_relu(a, 0.01),
  elu: (a) => F().elu(a),
  gelu: (a) => F().gelu(a),
  gelu_tanh: (a) => F().gelu(a, { approximate: 'tanh' }),
  silu: (a) => F().silu(a),
  softplus: (a) => F().softplus(a),
  sin: (a) => a.sin(),
  cos: (a) => torch.cos(a),
  clamp: (a) => a.clamp(-0.5, 0.7),
  sum_all: (a) => a.sum(),
  sum_dim0: (a) => a.sum(0),
  sum_dim1_keepdim: (a) => a.sum(1, true),
  mean_all: (a) => torch.mean(a),
  mean_dim1: (a) => a.mean({ dim: 1 }),
  max_all: (a) => a.max(),
  min_all: (a) => torch.min(a),
  max_dim1: (a) => a.max(1).values,
  maximum: (a, b) => torch.maximum(a, b),
  matmul_mm: (a, b) => a.matmul(b),
  matmul_dot: (a, b) => torch.matmul(a, b),
  matmul_mv: (a, b) => a.matmul(b),
  matmul_vm: (a, b) => a.matmul(b),
  index_select_elem: (a) => a.index(0).mul(3).add(a.index(1).pow(2)),
  unbind: (a) => torch.stack(a.unbind(0).map((u, i) => u.mul(i + 1))),
  stack: (a, b) => torch.stack([a, b]),
  cat: (a, b) => torch.cat([a, b], 0),
  softmax: (a) => F().softmax(a, -1),
  log_softmax: (a) => F().log_softmax(a, -1),
  mse_loss: (a, b) => F().mse_loss(a, b),
  l1_loss: (a, b) => F().l1_loss(a, b),
  huber_loss: (a, b) => F().huber_loss(a, b, { delta: 0.5 }),
  bce_with_logits: (a, b) => F().binary_cross_entropy_with_logits(a, positive(b)),
  bce: (a, b) => F().binary_cross_entropy(torch.sigmoid(a), positive(b)),
  cross_entropy: (a) => F().cross_entropy(a, [0, 2, 1, 2]),
  linear_layer: (x, W, b) => F().linear(x, W, b),
  mlp_tanh: (x, W1, b1, W2) => torch.tanh(x.matmul(W1.T).add(b1)).matmul(W2),
  thermometer_loss: (p, x, y) => p.index(0).mul(x).add(p.index(1)).sub(y).pow(2).mean(),
  shared_subexpr: (a) => a.mul(a).add(a).sum().mul(a.mean()),
  detach: undefined,
};

function close(got, want, what) {
  const w = num(want);
  if (Number.isNaN(w)) return assert.ok(Number.isNaN(got), what);
  assert.ok(Math.abs(got - w) <= 1e-12 + 1e-10 * Math.abs(w), `${what}: ${got}, PyTorch ${w}`);
}

describe('autograd.json through the JS API', () => {
  const cases = autograd.cases.filter((c) => !c.error);
  test('every case with a JS expression runs (and most do)', () => {
    const covered = cases.filter((c) => CASES[c.name]);
    assert.ok(covered.length >= 60, `${covered.length} cases covered`);
  });
  for (const c of cases.filter((k) => CASES[k.name])) {
    test(c.name, () => torch.tidy(() => {
      const inputs = c.inputs.map((t) => torch.tensor(t.data.map(num), { dtype: 'float64' }).reshape(t.shape).requiresGrad_(t.requires_grad));
      const out = CASES[c.name](...inputs);
      assert.deepEqual(out.shape, c.output.shape);
      const got = out.data();
      c.output.data.forEach((w, i) => close(got[i], w, `output[${i}]`));
      const g = torch.tensor(c.upstream.data.map(num), { dtype: 'float64' }).reshape(c.upstream.shape);
      out.mul(g).sum().backward();
      inputs.forEach((t, k) => {
        const want = c.grads[k];
        if (!want) return;
        const grad = t.grad.data();
        want.data.forEach((w, i) => close(grad[i], w, `grad ${k}[${i}]`));
      });
    }));
  }
});

describe('op surface', () => {
  test('grad_fn names and nextFunctions, for drawing the graph', () => {
    const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
    const [w, b] = params.unbind();
    const loss = w.mul(torch.tensor([1, 2])).add(b).sub(torch.tensor([3, 4])).pow(2).mean();
    assert.equal(loss.gradFn.name, 'MeanBackward0');
    const names = [];
    const walk = (node) => {
      if (!node) return;
      names.push(node.name);
      for (const [next] of node.nextFunctions) walk(next);
    };
    walk(loss.gradFn);
    assert.deepEqual(names, ['MeanBackward0', 'PowBackward0', 'SubBackward0', 'AddBackward0', 'MulBackward0',
      'UnbindBackward0', 'AccumulateGrad', 'UnbindBackward0', 'AccumulateGrad']);
    const acc = loss.gradFn.nextFunctions[0][0].nextFunctions[0][0].nextFunctions[0][0].nextFunctions[1][0].nextFunctions[0][0];
    assert.equal(acc.name, 'AccumulateGrad');
    assert.ok(acc.variable.toArray().every((v, i) => v === params.toArray()[i]));
  });
  test('numbers become wrapped scalars on either side; tensor exponents; .T; reshape', () => {
    const x = torch.tensor([[1, 2], [3, 4]], { dtype: 'float64' });
    assert.deepEqual(torch.sub(10, x).toArray(), [[9, 8], [7, 6]]);
    assert.deepEqual(torch.div(12, x).toArray(), [[12, 6], [4, 3]]);
    assert.deepEqual(x.pow(torch.tensor([[2, 1], [1, 0]], { dtype: 'float64' })).toArray(), [[1, 2], [3, 1]]);
    assert.deepEqual(x.T.toArray(), [[1, 3], [2, 4]]);
    assert.deepEqual(torch.addmm(torch.ones([2, 2], { dtype: 'float64' }), x, x).toArray(), [[8, 11], [16, 23]]);
    assert.equal(torch.addmm(torch.ones([2, 2], { dtype: 'float64' }), x.requiresGrad_(), x).gradFn.name, 'AddmmBackward0');
    assert.deepEqual(x.reshape(4).shape, [4]);
    assert.deepEqual(x.reshape([1, 4]).unsqueeze(0).shape, [1, 1, 4]);
    assert.deepEqual(x.max(0).indices, [1, 1]);
    assert.equal(x.dtype, 'float64');
    assert.equal(torch.tensor([1]).dtype, 'float32');
  });
  test('shape errors carry PyTorch\'s message', () => {
    const a = torch.tensor([1, 2, 3]);
    assert.throws(() => a.matmul(torch.tensor([[1, 2]])), (e) => e instanceof torch.GradlabError && e.name === 'RuntimeError');
    assert.throws(() => torch.cat([a, torch.tensor([[1]])]), (e) => e.name === 'RuntimeError');
    assert.throws(() => a.add('x'), (e) => e.name === 'TypeError');
  });
  test('tidy frees what it made, except what it returns (tensors, nested, graph views)', () => {
    const p = torch.tensor([1, 2], { requiresGrad: true });
    let inner;
    const { a, list: [b], node } = torch.tidy(() => {
      inner = p.mul(2);
      return { a: p.mul(3), list: [p.add(1)], node: inner.sum().gradFn };
    });
    assert.equal(inner.isDisposed, true);
    assert.equal(p.isDisposed, false);
    assert.deepEqual([a.toArray(), b.toArray()], [[3, 6], [2, 3]]);
    assert.equal(node.name, 'SumBackward0');
    assert.equal(node.nextFunctions[0][0].name, 'MulBackward0');
    assert.throws(() => inner.item(), /disposed/);
    assert.throws(() => torch.tidy(() => { p.mul(5); throw new RangeError('inside'); }), RangeError);
  });
  test('the single-file build gives the same numbers', async () => {
    const { load: loadSingle } = await import('../../core/wasm/single.mjs');
    const single = await loadSingle();
    assert.notEqual(single._module, torch._module);
    const f = (t) => {
      const p = t.tensor([1.0, 0.0], { requiresGrad: true });
      const [w, b] = p.unbind();
      w.mul(t.tensor([35.7, 55.9])).add(b).sub(t.tensor([0.5, 14.0])).pow(2).mean().backward();
      return p.grad.toArray();
    };
    assert.deepEqual(f(single), f(torch));
  });
});
