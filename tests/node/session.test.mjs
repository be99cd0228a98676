// The training session through core/wasm/session.mjs (the playground's engine), against
// PyTorch's reference runs.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { ModelError, loadSession } from '../../core/wasm/session.mjs';
import { assertClose, golden } from './golden.mjs';

const book = golden('book');
const traps = golden('traps');
let api;
before(async () => { api = await loadSession(); });

function thermometer({ normalize, optimizer = 'SGD', options = { lr: 1e-2 }, zeroGrad = true }) {
  const s = new api.Session();
  s.loadPreset('thermometer');
  s.setNormalize(normalize);
  s.setOptimizer(optimizer, options);
  s.setZeroGrad(zeroGrad);
  return s;
}

test('presets and registries', () => {
  assert.ok(api.presetNames().includes('thermometer'));
  assert.equal(api.presetInfo('thermometer').epochs, 5000);
  assert.ok(api.optimizerSpecs().some((o) => o.name === 'Adam' && o.defaults.lr === 0.001));
  assert.equal(api.optimizerSpecs().length, 15);
  assert.ok(api.schedulerSpecs().some((o) => o.name === 'StepLR' && o.required.includes('step_size')));
});

for (const [name, normalize] of [['sgd_t_un_5000', true], ['sgd_t_u_diverges', false], ['adam_t_u_2000', false]]) {
  test(`records of ${name} match PyTorch, as whole typed arrays`, () => {
    const ref = book.runs[name];
    const s = thermometer({ normalize, optimizer: ref.optimizer, options: { lr: ref.lr, ...ref.options } });
    assert.equal(s.run(ref.epochs), true);
    const r = s.records();
    assert.ok(r.loss instanceof Float64Array);
    assert.equal(r.loss.length, ref.epochs);
    assert.ok(r.params[0].values instanceof Float32Array);
    assert.equal(r.paramEpochs, ref.epochs);  // the book's model stays far inside the budget
    assert.equal(r.params[0].values.length, ref.epochs * r.params[0].numel);
    assert.equal(r.firstNonfiniteEpoch, ref.first_nonfinite_epoch ?? 0);
    const last = ref.losses[ref.losses.length - 1];
    assertClose(assert, r.loss[r.loss.length - 1], last, ref.loss_rtol, 'final loss');
    // records(from) returns only the tail
    assert.equal(s.records(ref.epochs - 3).loss.length, 3);
    s.dispose();
  });
}

test('three backward() without zero_grad accumulate as in PyTorch', () => {
  const s = thermometer({ normalize: false, zeroGrad: false });
  const want = traps.accumulate_three_backwards.grads_after_each;
  for (let i = 0; i < 3; i++) {
    s.forward();
    s.backward();
    const [p] = s.parameters();
    assert.equal(p.name, 'w');
    assertClose(assert, p.grad[0], want[i].data[0], 1e-5, `w.grad ${i + 1}`);
  }
  s.dispose();
});

test('manual update outside no_grad records PyTorch\'s RuntimeError; the session stays usable', () => {
  const s = thermometer({ normalize: true, optimizer: 'manual', options: { lr: 1e-2 } });
  s.setManualNoGrad(false);
  assert.equal(s.forward(), true);
  assert.equal(s.backward(), true);
  assert.equal(s.step(), false);
  const [e] = s.errors();
  assert.equal(e.type, traps.inplace_update_without_no_grad.type);
  assert.equal(e.message, traps.inplace_update_without_no_grad.message);
  s.dispose();
});

test('a model typo throws ModelError with its position and keeps the previous model', () => {
  const s = thermometer({ normalize: true });
  assert.throws(() => s.setModel('param w = 1.0\nparam b = 0.0\nt_p = w * t_uu + b\nloss = ((t_p - t_c) ** 2).mean()\n'),
    (e) => e instanceof ModelError && e.name === 'NameError' && e.line === 3 && e.col === 11 && e.endCol === 15);
  assert.equal(s.run(10), true);
  const g = s.graph();
  assert.equal(g.nodes[0].name, 'MeanBackward0');
  assert.ok(g.nodes.some((n) => n.name === 'MulBackward0'));
  assert.match(s.exportPytorch(10), /import torch/);
  assert.equal(s.predictions().length, 11);
  const l = s.landscape([0, 0, 0, 6], [1, 0, -20, 0], 8);
  assert.equal(l.loss.length, 64);
  s.dispose();
});

test('unknown optimizer keyword: PyTorch\'s TypeError, as a GradlabError', () => {
  const s = new api.Session();
  s.loadPreset('thermometer');
  assert.throws(() => s.setOptimizer('SGD', { lr: 0.1, bogus: 1 }), { name: 'TypeError', message: /unexpected keyword argument 'bogus'/ });
  s.dispose();
});
