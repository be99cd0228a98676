// The playground's state table and its URL hash (web/src/state.mjs), without a browser.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PROPERTIES, State } from '../../web/src/state.mjs';
import { parseParams, rewriteParam } from '../../web/src/params.mjs';

test('the default state writes an empty hash', () => {
  assert.equal(new State().toHash(), '#');
});

test('every property round-trips through the hash', () => {
  const a = new State();
  a.set({
    preset: 'rosenbrock', csv: 'x,y\n1,2\n', model: 'param w = 1.0 # a & b = c?\nloss = (w - 2) ** 2\n',
    optimizer: 'Adam', options: { lr: 0.05, betas: [0.8, 0.99], amsgrad: true, foreach: null },
    scheduler: 'StepLR', schedulerOptions: { step_size: 10 }, epochs: 123, normalize: true, batchSize: 4,
    seed: 7, zeroGrad: false, manualNoGrad: false, copyParams: true, logScale: false,
    landscapeX: '1:0', landscapeY: '0:0', race: ['Adam lr=0.1 betas=0.9,0.999', 'SGD lr=0.01 normalize=False'], lang: 'zh-TW',
  });
  const changed = new Set(Object.keys(PROPERTIES));
  const b = new State();
  const got = b.fromHash(a.toHash());
  assert.deepEqual(b.all(), a.all());
  assert.deepEqual(got, changed);
  assert.equal(b.toHash(), a.toHash());
});

test('a malformed entry falls back to its default; only engine properties rebuild the session', () => {
  const s = new State();
  s.fromHash('#options=%7Bnot-json&epochs=9');
  assert.deepEqual(s.get('options'), PROPERTIES.options[0]);
  assert.equal(s.get('epochs'), 9);
  assert.equal(State.needsEngine(new Set(['epochs', 'logScale', 'lang'])), false);
  assert.equal(State.needsEngine(new Set(['epochs', 'zeroGrad'])), true);
});

test('parameter declarations are read and rewritten in the model text', () => {
  const text = '# model\nparam w = 1.0\nparam p[2] = [1.0, 0.0]\nparam a = 1; param b = 2\nloss = w\n';
  assert.deepEqual(parseParams(text), [{ name: 'w', shape: '', init: '1.0' }, { name: 'p', shape: '2', init: '[1.0, 0.0]' }]);
  assert.equal(rewriteParam(text, 'p', '3', 'zeros'), text.replace('param p[2] = [1.0, 0.0]', 'param p[3] = zeros'));
  assert.equal(rewriteParam(text, 'w', '', '2.5'), text.replace('param w = 1.0', 'param w = 2.5'));
});

test('race lines: optimizer, its options and the run switches', async () => {
  const { parseRaceLine } = await import('../../web/src/race.mjs');
  assert.deepEqual(parseRaceLine('Adam lr=0.1 betas=0.9,0.999 amsgrad=True normalize=False'),
    { optimizer: 'Adam', options: { lr: 0.1, betas: [0.9, 0.999], amsgrad: true }, normalize: false });
  assert.deepEqual(parseRaceLine('  LBFGS line_search_fn=strong_wolfe zero_grad=false batch_size=4 '),
    { optimizer: 'LBFGS', options: { line_search_fn: 'strong_wolfe' }, zeroGrad: false, batchSize: 4 });
});

test('option text is read by the type of its default', async () => {
  const { parseOpt } = await import('../../web/src/options.mjs');
  assert.equal(parseOpt('0.9', 0), 0.9);
  assert.equal(parseOpt('None', 0), null);
  assert.equal(parseOpt('True', false), true);
  assert.deepEqual(parseOpt('0.8, 0.99', [0.9, 0.999]), [0.8, 0.99]);
  assert.equal(parseOpt('strong_wolfe', null), 'strong_wolfe');
  assert.ok(Number.isNaN(parseOpt('nan', 0.01)) && Number.isNaN(parseOpt('NaN', 0.01)));
  assert.equal(parseOpt('-inf', 0), -Infinity);
});

test('the loop as Python follows the switches', async () => {
  const { loopLines } = await import('../../web/src/loop.mjs');
  const text = (o) => loopLines({ epoch: 1, ...o }).map((l) => l[1]).join('\n');
  assert.match(text({ manual: false, zeroGrad: true, noGrad: true }), /^\s+optimizer\.zero_grad\(\)$/m);
  assert.match(text({ manual: false, zeroGrad: false, noGrad: true }), /# optimizer\.zero_grad\(\)/);
  assert.match(text({ manual: true, zeroGrad: true, noGrad: true }), /with torch\.no_grad\(\):\n\s+params -= learning_rate \* params\.grad/);
  assert.doesNotMatch(text({ manual: true, zeroGrad: true, noGrad: false }), /no_grad\(\):/);
  assert.deepEqual(loopLines({ manual: false, zeroGrad: true, noGrad: true, epoch: 3 }).map((l) => l[0]),
    ['', 'forward', 'forward', 'zero_grad', 'backward', 'step']);
});

test('regression (state fuzzer): a link value of the wrong kind takes its default and is named', () => {
  // found by tests/fuzz/state_fuzz.mjs in 13 executions: '#optimizer=1&epochs=scheduler&...&race=%7B%7D'
  // gave epochs = NaN (a NaN-epoch run); options=null crashed the option fields
  const s = new State();
  s.fromHash('#optimizer=1&epochs=scheduler&normalize=%3A&manualNoGrad=0&race=%7B%7D&options=null&schedulerOptions=%5B1%5D&seed=-2&batchSize=1.5&landscapeX=ok');
  assert.equal(s.get('epochs'), PROPERTIES.epochs[0]);
  assert.deepEqual(s.get('race'), ['{}']);  // a race line like any other: the race names its error
  assert.deepEqual(s.get('options'), PROPERTIES.options[0]);
  assert.deepEqual(s.get('schedulerOptions'), PROPERTIES.schedulerOptions[0]);
  assert.equal(s.get('seed'), 0);
  assert.equal(s.get('batchSize'), 0);
  assert.equal(s.get('optimizer'), '1');  // a string is a string: the engine names the unknown optimizer
  assert.equal(s.get('manualNoGrad'), false);
  assert.equal(s.get('landscapeX'), 'ok');
  assert.deepEqual(s.rejected, ['options', 'schedulerOptions', 'epochs', 'normalize', 'batchSize', 'seed']);
  const again = new State();
  again.fromHash(s.toHash());
  assert.deepEqual(again.all(), s.all());
  assert.deepEqual(again.rejected, []);
});

test('the default preset\'s settings are the state\'s defaults, from the engine\'s preset table (issue 18)', () => {
  // what the engine's presetInfo() says (tests/node/session.test.mjs reads the real one)
  const presets = [{ name: 'rosenbrock', optimizer: 'SGD', options: { lr: 1e-3 }, epochs: 2000, normalize: false },
    { name: PROPERTIES.preset[0], optimizer: 'Adam', options: { lr: 0.5 }, epochs: 77, normalize: true }];
  const s = new State();
  s.adoptPresetDefaults(presets);
  assert.equal(s.get('optimizer'), 'Adam');
  assert.deepEqual(s.get('options'), { lr: 0.5 });
  assert.equal(s.get('epochs'), 77);
  assert.equal(s.get('normalize'), true);
  assert.equal(s.toHash(), '#', 'the defaults are not written into a link');
  // a link read against them: what it names stands, the rest is the preset's
  s.fromHash('#options=%7B%22lr%22%3A0.05%7D');
  assert.deepEqual(s.get('options'), { lr: 0.05 });
  assert.equal(s.get('epochs'), 77);
  assert.equal(s.toHash(), '#options=%7B%22lr%22%3A0.05%7D');
});
