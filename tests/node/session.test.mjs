// The training session through core/wasm/session.mjs (the playground's engine), against
// PyTorch's reference runs.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { ModelError, loadSession } from '../../core/wasm/session.mjs';
import { createHost } from '../../web/src/host.mjs';
import { State } from '../../web/src/state.mjs';
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

// ---- apply(): one configuration in, the least work done (issue 18)

/** The page's default configuration, as web/src/state.mjs builds it. */
function pageConfig(patch = {}) {
  const presets = api.presetNames().map((n) => api.presetInfo(n));
  const state = new State();
  state.adoptPresetDefaults(presets);  // as the page does once the engine has loaded
  state.set(patch);
  return state.engineConfig(presets);
}

test('apply: an lr edit keeps the run (parameters, epochs); a model edit compiles once', () => {
  const s = new api.Session();
  const first = s.apply(pageConfig());
  assert.equal(first.restarted, true);
  assert.equal(first.modelError, null);
  assert.deepEqual(s.counters(), { compiles: 1, fusedCompiles: 1, restarts: 1 });  // not the preset's text, then the page's
  assert.equal(s.run(100), true);
  const w = s.parameters()[0].value[0];

  const lr = s.apply(pageConfig({ options: { lr: 0.02 } }));
  assert.equal(lr.restarted, false);
  assert.deepEqual(s.counters(), { compiles: 1, fusedCompiles: 1, restarts: 1 });
  assert.equal(s.epoch, 100);
  assert.equal(s.parameters()[0].value[0], w);
  assert.equal(s.run(1), true);
  assert.deepEqual(Array.from(s.records(99).lr), [0.01, 0.02]);

  // the page checks an edited model (check_model), then applies it: one compile in all
  const model = 'param w = 2.0\nparam b = 0.0\nloss = ((w * t_u + b - t_c) ** 2).mean()\n';
  assert.deepEqual(s.checkModel(model), { ok: true });
  assert.equal(s.epoch, 101, 'a check leaves the run alone');
  const m = s.apply(pageConfig({ options: { lr: 0.02 }, model }));
  assert.equal(m.restarted, true);
  assert.deepEqual(s.counters(), { compiles: 2, fusedCompiles: 2, restarts: 2 });
  assert.equal(s.epoch, 0);
  assert.equal(s.parameters()[0].value[0], 2);

  const bad = s.checkModel('param w = 1.0\nloss = (w * t_uu).mean()\n');
  assert.equal(bad.ok, false);
  assert.equal(bad.error.type, 'NameError');
  assert.equal(bad.error.line, 2);
  const e = s.apply(pageConfig({ options: { lr: -1 }, model }));
  assert.match(e.optimizerError.message, /^Invalid learning rate: -1/);
  assert.equal(e.restarted, false);
  s.dispose();
});

test('the manual update\'s name and lr come from the engine', () => {
  assert.deepEqual(api.manualUpdate(), { name: 'manual', defaults: { lr: 0.01 } });
});

test('the page\'s host: an lr edit mid-run keeps the run going; other edits start it over', async () => {
  const sessions = [];
  class Session extends api.Session {
    constructor() { super(); sessions.push(this); }
  }
  const got = [];
  let wake = null;
  const host = createHost({ ...api, Session }, (msg) => { got.push(msg); wake?.(); }, { chunkMs: 5 });
  const until = (f) => new Promise((resolve) => { wake = () => { if (f()) { wake = null; resolve(); } }; wake(); });
  const reply = (id) => got.find((m) => m.id === id && m.type === 'done');
  await host.handle({ id: 1, type: 'init' });
  await host.handle({ id: 2, type: 'configure', config: pageConfig() });
  const [s] = sessions;
  assert.equal(reply(2).snapshot.fresh, true);
  const running = host.handle({ id: 3, type: 'run', epochs: 1e6 });
  await until(() => got.some((m) => m.id === 3 && m.type === 'progress' && m.snapshot.epoch > 200));
  const before = s.counters();
  await host.handle({ id: 4, type: 'configure', config: pageConfig({ options: { lr: 0.005 } }) });
  const edited = reply(4);
  assert.equal(edited.restarted, false);
  assert.equal(edited.snapshot.fresh, false);
  const at = edited.snapshot.epoch;
  assert.ok(at > 200);
  await until(() => got.some((m) => m.id === 3 && m.type === 'progress' && m.snapshot.epoch > at + 200));
  assert.equal(reply(3), undefined, 'the run goes on');
  assert.deepEqual(s.counters(), before, 'nothing compiled or restarted');
  assert.ok(got.filter((m) => m.snapshot?.fresh).length === 1, 'no snapshot started the records over');
  const lrs = s.records().lr;
  assert.equal(lrs[at - 1], 0.01);
  assert.equal(lrs[lrs.length - 1], 0.005);

  // a new optimizer class starts the run over and stops the run in flight
  await host.handle({ id: 5, type: 'configure', config: pageConfig({ optimizer: 'Adam', options: { lr: 0.1 } }) });
  assert.equal(reply(5).restarted, true);
  assert.equal(reply(5).snapshot.fresh, true);
  await running;
  assert.equal(reply(3).cancelled, true);
  assert.equal(s.counters().restarts, before.restarts + 1);
  assert.equal(s.counters().compiles, before.compiles);
  await host.handle({ id: 6, type: 'dispose' });
});

test('the page\'s defaults are the default preset\'s own settings, read from the engine', () => {
  const state = new State();
  state.adoptPresetDefaults(api.presetNames().map((n) => api.presetInfo(n)));
  // the book's: SGD, lr 1e-2, 5000 epochs, on t_un (golden's sgd_t_un_5000)
  const ref = book.runs.sgd_t_un_5000;
  assert.equal(state.get('optimizer'), ref.optimizer);
  assert.deepEqual(state.get('options'), { lr: ref.lr });
  assert.equal(state.get('epochs'), ref.epochs);
  assert.equal(state.get('normalize'), true);
  assert.equal(state.toHash(), '#');
});
