// The bad-input table (tests/bad_inputs.json) through the session and the tensor JS API on
// WebAssembly, and through the CLI. Every input gets its clear message (type, text, place);
// the state before the error is kept; the next valid action works. The messages each surface
// gave are written to tests/artifacts/bad_inputs.md. (Natively: tests/cpp/bad_input_test.cpp;
// the page: tests/e2e/bad_input.test.mjs.)
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { main as cli } from '../../core/wasm/cli.mjs';
import { load } from '../../core/wasm/gradlab.mjs';
import { loadSession } from '../../core/wasm/session.mjs';
import { loadTable, matches, writeReport } from '../bad_inputs.mjs';

const entries = loadTable();
const results = {};
const note = (id, surface, text) => { (results[id] ??= {})[surface] = text; };
const show = (err) => (err ? `${err.name}: ${err.line ? `line ${err.line}, column ${err.col}: ` : ''}${err.message}` : 'accepted, works');
const BOOK = 'param w = 1.0\nparam b = 0.0\nt_p = w * t_u + b\nloss = ((t_p - t_c) ** 2).mean()\n';
const cliPath = 'core/wasm/cli.mjs';
const ARG_MAX = 100_000;  // Linux limits one argument to 128 KiB: bigger inputs call the CLI's main() in-process

let api;
let torch;
let dir;
before(async () => {
  api = await loadSession();
  torch = await load();
  dir = mkdtempSync(join(tmpdir(), 'gradlab-bad-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
  writeReport('bad_inputs.md', 'Bad inputs and their messages (session, JS API, CLI)', entries, results, ['session (WASM)', 'tensor JS API (WASM)', 'CLI']);
});

const caught = (f) => {
  try {
    f();
    return null;
  } catch (e) {
    if (!(e instanceof torch.GradlabError)) throw e;  // a raw JS error is a failure in itself
    return e;
  }
};

/** The thermometer session after 3 epochs: the state every error must leave as it was. */
function session() {
  const s = new api.Session();
  s.loadPreset('thermometer');
  assert.equal(s.run(3), true);
  return s;
}
function assertKept(s, before) {
  assert.equal(s.modelText, before.modelText, 'the model is kept');
  assert.equal(s.optimizerName, before.optimizerName, 'the optimizer is kept');
  assert.deepEqual(s.optimizerOptions, before.optimizerOptions, 'its options are kept');
  assert.deepEqual(s.data().columns.map((c) => c.name), before.columns, 'the data is kept');
  assert.equal(s.epoch, before.epoch, 'the run is kept');
  assert.equal(s.run(2), true, 'the next run works');
  assert.equal(s.epoch, before.epoch + 2);
  assert.ok(Number.isFinite(s.lastLoss));
}
const snapshot = (s) => ({ modelText: s.modelText, optimizerName: s.optimizerName, optimizerOptions: s.optimizerOptions, columns: s.data().columns.map((c) => c.name), epoch: s.epoch });

describe('session (WebAssembly)', () => {
  for (const e of entries.filter((x) => ['model', 'csv', 'optimizer'].includes(x.kind))) {
    test(`${e.id}: ${e.what}`, () => {
      const s = session();
      const before = snapshot(s);
      const t0 = performance.now();
      const err = caught(() => {
        if (e.kind === 'model') s.setModel(e.text);
        else if (e.kind === 'csv') s.setCsv(e.text);
        else s.setOptimizer(e.optimizer, e.options);
      });
      const ms = performance.now() - t0;
      note(e.id, 'session (WASM)', show(err) + (ms > 500 ? ` (${(ms / 1000).toFixed(1)} s)` : ''));
      assert.ok(matches(e, err), `got ${show(err)}, want ${e.type}: ${e.message}`);
      if (err) assertKept(s, before);
      else {
        assert.equal(s.run(2), true, 'the valid input trains');
        assert.ok(Number.isFinite(s.lastLoss));
      }
      s.dispose();
    });
  }

  test('10^9 epochs: a run in chunks (as the page\'s worker runs it) stops at once when cancelled', async () => {
    const e = entries.find((x) => x.kind === 'epochs');
    const s = session();
    let cancelled = false;
    setTimeout(() => { cancelled = true; }, 500);
    const t0 = performance.now();
    let tCancel = 0;
    while (s.epoch < e.epochs) {
      if (cancelled) { tCancel = performance.now(); break; }
      assert.equal(s.run(1000), true);
      await new Promise((r) => setImmediate(r));
    }
    const stoppedAt = s.epoch;
    assert.ok(stoppedAt > 3 && stoppedAt < e.epochs, `stopped at ${stoppedAt}`);
    assert.equal(s.run(2), true);
    note(e.id, 'session (WASM)', `cancelled after ${((tCancel - t0) / 1000).toFixed(1)} s at epoch ${stoppedAt.toLocaleString('en')}; the next run works`);
    s.dispose();
  });
});

describe('tensor JS API (WebAssembly)', () => {
  const p = () => torch.tensor([1.0, 0.0], { requiresGrad: true });
  for (const e of entries.filter((x) => x.kind === 'optimizer')) {
    test(`${e.id}: new torch.optim.${e.optimizer}(params, ${JSON.stringify(e.options)})`, () => {
      const Opt = torch.optim[e.optimizer];
      if (!Opt) {
        note(e.id, 'tensor JS API (WASM)', `torch.optim.${e.optimizer} is undefined (as in Python: AttributeError)`);
        return;
      }
      const err = caught(() => new Opt([p()], e.options));
      note(e.id, 'tensor JS API (WASM)', show(err));
      assert.ok(matches(e, err), `got ${show(err)}`);
      const q = p();
      const opt = new torch.optim.SGD([q], { lr: 0.1 });
      q.sum().backward();
      opt.step();
      assert.deepEqual(Array.from(q.data()).map((x) => +x.toFixed(5)), [0.9, -0.1], 'the next optimizer works');
    });
  }
  for (const e of entries.filter((x) => x.kind === 'tensor')) {
    test(`${e.id}: ${e.what}`, () => {
      const before = torch.heapUsedBytes();
      const err = caught(() => torch.zeros(e.shape));
      note(e.id, 'tensor JS API (WASM)', show(err));
      assert.ok(matches(e, err), `got ${show(err)}`);
      assert.ok(torch.heapUsedBytes() - before < 1 << 20, 'nothing left allocated');
      assert.deepEqual(torch.zeros([2]).add(1).toArray(), [1, 1], 'the next tensor works');
    });
  }
});

describe('CLI', () => {
  async function runCli(args) {
    if (args.some((a) => a.length > ARG_MAX)) {
      const out = [];
      const err = [];
      const status = await cli(args, { log: (s) => out.push(s), error: (s) => err.push(s) });
      return { status, stdout: out.join('\n'), stderr: err.join('\n'), inProcess: true };
    }
    const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: 120_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  for (const e of entries.filter((x) => ['model', 'csv', 'optimizer'].includes(x.kind))) {
    test(`${e.id}: gradlab train ...`, async () => {
      let args;
      if (e.kind === 'model') args = ['train', '--model', e.text, '--epochs', '2', '--every', '1'];
      else if (e.kind === 'csv') {
        const file = join(dir, `${e.id}.csv`);
        writeFileSync(file, e.text);
        args = ['train', '--model', BOOK, '--data', file, '--epochs', '2', '--every', '1'];
      } else {
        const { lr, ...rest } = e.options;
        args = ['train', '--optimizer', e.optimizer, ...(lr === undefined ? [] : ['--lr', String(lr)]),
          ...Object.entries(rest).map(([k, v]) => `--opt=${k}=${Array.isArray(v) ? `${v.join(',')}${v.length === 1 ? ',' : ''}` : v}`), '--epochs', '2', '--every', '1'];
      }
      const r = await runCli(args);
      const msg = r.stderr.trim().split('\n')[0];
      note(e.id, 'CLI', r.status === 0 ? `exit 0: ${r.stdout.trim().split('\n')[0]}` : `exit ${r.status}: ${msg}${r.inProcess ? ' (main() in-process: argument over 128 KiB)' : ''}`);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, 'no stack trace, no internal error');
      const x = { ...e, ...(e.cli ?? {}) };  // what the CLI says where it differs (its own usage checks)
      if (x.type === 'ok') {
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /^Epoch 2, Loss \d/m);
        return;
      }
      const usage = x.type === 'usage';
      assert.equal(r.status, usage ? 2 : 1, r.stderr);
      const want = usage ? `gradlab: ${x.message}` : `${x.type}: ${x.line ? `line ${x.line}, column ${x.col ?? '\\d+'}: ` : ''}${x.message}`;
      assert.match(msg, new RegExp(`^${want}`));
    });
  }

  test('10^9 epochs: Ctrl-C (SIGINT) stops the CLI at once', async () => {
    const e = entries.find((x) => x.kind === 'epochs');
    const child = spawn(process.execPath, [cliPath, 'train', '--model', BOOK, '--epochs', String(e.epochs), '--every', '100000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    let exited = null;
    child.on('exit', (code, sig) => { exited = sig ?? code; });
    // waits for the first progress line; a CLI that died or stalls fails the test (a wait with
    // no end once blocked the whole suite for 20 minutes)
    const deadline = performance.now() + 120_000;
    await new Promise((resolve, reject) => {
      const poll = () => {
        if (out.includes('Epoch 100000,')) resolve();
        else if (exited !== null || performance.now() > deadline) reject(new Error(`no progress line (exit ${exited}): ${out}`));
        else setTimeout(poll, 20);
      };
      poll();
    });
    const t0 = performance.now();
    child.kill('SIGINT');
    const signal = exited ?? await new Promise((r) => child.on('exit', (code, sig) => r(sig ?? code)));
    const ms = performance.now() - t0;
    note(e.id, 'CLI', `Ctrl-C after ${out.trim().split('\n').length} progress lines: exited (${signal}) in ${ms.toFixed(0)} ms`);
    assert.equal(signal, 'SIGINT');
    assert.ok(ms < 2000, `exit took ${ms} ms`);
  });
});

// The JS API at its edges (issue 17). PyTorch's texts were checked with Debian's PyTorch 1.13
// (/usr/bin/python3) and follow PyTorch 2.x's argument parser where it prints otherwise
// (torch/csrc/utils/python_arg_parser.cpp, invalid_arguments.cpp: SymInt shows as "int", a
// list as "list of [...]", and a size list whose first element is no int fails "at pos 0").
describe('tensor JS API: sizes, argument types and argument conversion', () => {
  const LIMIT = (shape, n) => `not enough memory: a tensor of shape [${shape}] would hold ${n} elements (gradlab's limit is 268435456 elements per tensor)`;

  test('sizes that do not fit 32 bits are PyTorch\'s size error, not a wrapped (empty) tensor', () => {
    assert.throws(() => torch.zeros([4294967296]), { name: 'RuntimeError', message: LIMIT('4294967296', 4294967296) });
    assert.throws(() => torch.ones([3, 4294967297]), { name: 'RuntimeError', message: LIMIT('3, 4294967297', 12884901891) });
    assert.throws(() => torch.full([65536, 65536, 0.5 * 2 ** 1], 1), { name: 'RuntimeError', message: LIMIT('65536, 65536, 1', 4294967296) });
    // reshape's sizes too: 65537 * 65537 wrapped to 32 bits is 131073
    assert.throws(() => torch.zeros([131073]).reshape(65537, 65537), { name: 'RuntimeError', message: "shape '[65537, 65537]' is invalid for input of size 131073" });
    assert.throws(() => torch.zeros([2 ** 62, 2 ** 62]), { name: 'RuntimeError', message: 'Storage size calculation overflowed with sizes=[4611686018427387904, 4611686018427387904]' });
    // PyTorch makes [0, 2**40] (empty); the 32-bit build cannot hold the size: it says so
    const tooBig = { name: 'RuntimeError', message: "the size 1099511627776 is larger than gradlab's WebAssembly build can hold (4294967295)" };
    assert.throws(() => torch.zeros([0, 2 ** 40]), tooBig);
    assert.throws(() => torch.zeros([0]).reshape(2 ** 40, 0), tooBig);
    // a nested list whose shape is too large is refused before anything is allocated
    const row = new Array(2 ** 15).fill(0);
    assert.throws(() => torch.tensor(new Array(2 ** 14).fill(row)), { name: 'RuntimeError', message: LIMIT('16384, 32768', 2 ** 29) });
    assert.deepEqual(torch.zeros([0, 5]).shape, [0, 5]);
  });

  test('size lists: PyTorch 2.x\'s TypeErrors, negative sizes its RuntimeError', () => {
    assert.throws(() => torch.zeros([2.5]), { name: 'TypeError', message: "zeros(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 0" });
    assert.throws(() => torch.zeros([2, null]), { name: 'TypeError', message: "zeros(): argument 'size' must be tuple of ints, but found element of type NoneType at pos 2" });
    assert.throws(() => torch.ones([2 ** 63]), { name: 'TypeError', message: "ones(): argument 'size' must be tuple of ints, but found element of type int at pos 1" });
    assert.throws(() => torch.zeros(3), { name: 'TypeError', message: "zeros(): argument 'size' (position 1) must be tuple of ints, not int" });
    assert.throws(() => torch.zeros([-1]), { name: 'RuntimeError', message: 'Trying to create tensor with negative dimension -1: [-1]' });
    const m = torch.ones([2, 3]);
    assert.throws(() => m.reshape(2.5, 2), { name: 'TypeError', message: "reshape(): argument 'shape' (position 1) must be tuple of ints, but found element of type float at pos 0" });
    assert.throws(() => m.reshape([6, '1']), { name: 'TypeError', message: "reshape(): argument 'shape' must be tuple of ints, but found element of type str at pos 2" });
    assert.throws(() => m.view(2.5, 2), { name: 'TypeError', message: 'view() received an invalid combination of arguments - got (float, int), but expected one of:\n * (torch.dtype dtype)\n * (tuple of ints size)\n' });
    assert.deepEqual(m.view(3, 2).shape, [3, 2]);
  });

  test('torch.tensor of what is no number: PyTorch\'s errors', () => {
    assert.throws(() => torch.tensor('abc'), { name: 'TypeError', message: "new(): invalid data type 'str'" });
    assert.throws(() => torch.tensor([1, 'a']), { name: 'TypeError', message: "new(): invalid data type 'str'" });
    assert.throws(() => torch.tensor([1, null]), { name: 'RuntimeError', message: 'Could not infer dtype of NoneType' });
    assert.throws(() => torch.tensor({}), { name: 'RuntimeError', message: 'Could not infer dtype of dict' });
    assert.throws(() => torch.tensor([[1, 2], [3]]), { name: 'ValueError', message: 'expected sequence of length 2 at dim 1 (got 1)' });
  });

  test('torch.zeros([2**28]) is built by the engine: Node is not killed, the next size is refused', () => {
    // a process of its own: before, JavaScript built a 2**28-element array first and V8 aborted
    const code = `import { load } from ${JSON.stringify(new URL('../../core/wasm/gradlab.mjs', import.meta.url).href)};
      const torch = await load();
      const z = torch.zeros([2 ** 28]);
      let refused = '';
      try { torch.zeros([2 ** 28 + 1]); } catch (e) { refused = e.name + ': ' + e.message; }
      console.log(JSON.stringify({ shape: z.shape, first: z.index(0).item(), refused, heap: torch.heapBytes() }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim());
    assert.deepEqual(out.shape, [2 ** 28]);
    assert.equal(out.first, 0);
    assert.equal(out.refused, `RuntimeError: ${LIMIT('268435457', 268435457)}`);
  });

  test('torch.full builds no JavaScript array: zeros([2**26]) grows the JS heap by nothing like its 256 MB', () => {
    const before = process.memoryUsage();
    const z = torch.zeros([2 ** 26]);
    const after = process.memoryUsage();
    const grown = (after.heapUsed + after.arrayBuffers) - (before.heapUsed + before.arrayBuffers);
    assert.ok(grown < 16 * 1024 * 1024, `the JS heap grew by ${grown} bytes`);
    assert.equal(z.numel(), 2 ** 26);
    z.dispose();
  });

  test('dims and indices must be ints, as PyTorch\'s parser says; big ones overflow, not wrap', () => {
    const t = torch.tensor([1, 2, 3]);
    assert.throws(() => t.select(0, 2.9), { name: 'TypeError', message: "select() received an invalid combination of arguments - got (int, float), but expected one of:\n * (int dim, int index)\n      didn't match because some of the arguments have invalid types: (int, !float!)\n * (name dim, int index)\n      didn't match because some of the arguments have invalid types: (!int!, !float!)\n" });
    assert.throws(() => t.select(0, '2'), { name: 'TypeError', message: "select() received an invalid combination of arguments - got (int, str), but expected one of:\n * (int dim, int index)\n      didn't match because some of the arguments have invalid types: (int, !str!)\n * (name dim, int index)\n      didn't match because some of the arguments have invalid types: (!int!, !str!)\n" });
    assert.throws(() => t.select(0, true), { name: 'TypeError', message: /got \(int, bool\)/ });
    assert.throws(() => t.sum(0.7), { name: 'TypeError', message: 'sum() received an invalid combination of arguments - got (float), but expected one of:\n * (*, torch.dtype dtype)\n * (tuple of ints dim, bool keepdim, *, torch.dtype dtype)\n * (tuple of names dim, bool keepdim, *, torch.dtype dtype)\n' });
    assert.throws(() => t.sum({ dim: 0.5 }), { name: 'TypeError', message: /^sum\(\) received an invalid combination of arguments - got \(dim=float, \), but/ });
    assert.throws(() => torch.ones([2, 3]).sum(0, 1), { name: 'TypeError', message: /got \(int, int\), but expected one of:\n \* \(\*, torch\.dtype dtype\)\n      didn't match because some of the arguments have invalid types: \(!int!, !int!\)\n/ });
    assert.throws(() => t.unsqueeze(0.5), { name: 'TypeError', message: "unsqueeze(): argument 'dim' (position 1) must be int, not float" });
    assert.throws(() => torch.stack([t, t], 0.5), { name: 'TypeError', message: "stack(): argument 'dim' (position 2) must be int, not float" });
    assert.throws(() => torch.ones([2, 3]).max(0.5), { name: 'TypeError', message: "max() received an invalid combination of arguments - got (float), but expected one of:\n * ()\n      didn't match because some of the arguments have invalid types: (!float!)\n * (Tensor other)\n      didn't match because some of the arguments have invalid types: (!float!)\n * (int dim, bool keepdim)\n * (name dim, bool keepdim)\n" });
    assert.throws(() => t.index(1.5), { name: 'IndexError', message: 'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got float)' });
    assert.throws(() => t.select(null, 0), { name: 'RuntimeError', message: 'Please look up dimensions by name, got: name = None.' });
    for (const big of [2 ** 63, 2 ** 64, 2n ** 63n, -(2n ** 63n) - 1n]) {
      assert.throws(() => t.select(0, big), { name: 'RuntimeError', message: 'Overflow when unpacking long' }, String(big));
    }
    assert.throws(() => t.transpose(2 ** 64, 0), { name: 'RuntimeError', message: 'Overflow when unpacking long' });
    // the smallest int64 is an index like any other: reported as it is
    assert.throws(() => t.select(0, -(2 ** 63)), { name: 'IndexError', message: /-9223372036854775808/ });
    assert.equal(t.select(0, -1).item(), 3);
    assert.equal(t.select(0, 2n).item(), 3);
  });

  test('an index out of range: select() and a[i] each in PyTorch\'s own words', () => {
    // PyTorch words the two differently (at::select vs Python indexing); the reference is
    // Debian's PyTorch (/usr/bin/python3)
    const py = spawnSync('/usr/bin/python3', ['-c', `
import torch
t = torch.arange(9.).reshape(3, 3)
for f in (lambda: t.select(0, 5), lambda: t.select(1, -4), lambda: t[5], lambda: t[-4]):
    try:
        f()
    except IndexError as e:
        print(e)
`], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const want = py.stdout.trim().split('\n');
    const t = torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    const got = [() => t.select(0, 5), () => t.select(1, -4), () => t.index(5), () => t.index(-4)].map((f) => {
      try {
        f();
        return 'no error';
      } catch (e) {
        assert.equal(e.name, 'IndexError');
        return e.message;
      }
    });
    assert.deepEqual(got, want);
  });

  test('arguments are converted before any tensor is touched: a getter that disposes a tensor the call uses', () => {
    const keep = torch.tensor([7, 8, 9]);
    const probe = () => assert.deepEqual(keep.toArray(), [7, 8, 9]);
    const a = torch.tensor([1, 2, 3]);
    // a valueOf is never called: an object is no index
    assert.throws(() => a.select(0, { valueOf() { a.dispose(); return 0; } }), { name: 'TypeError', message: /got \(int, dict\)/ });
    assert.equal(a.isDisposed, false);
    // getters of option objects run first; the tensor is then found disposed, before any engine call
    const cases = [
      (x) => x.add(keep, { get alpha() { x.dispose(); return 1; } }),
      (x) => keep.add(x, { get alpha() { x.dispose(); return 1; } }),
      (x) => x.sum({ get dim() { x.dispose(); return 0; } }),
      (x) => x.softmax({ get dim() { x.dispose(); return 0; } }),
      (x) => torch.stack({ * [Symbol.iterator]() { yield x; yield keep; x.dispose(); } }),
      (x) => torch.nn.functional.huber_loss(x, keep, { get delta() { x.dispose(); return 1; } }),
      (x) => new torch.optim.SGD([x.requiresGrad_()], { get lr() { x.dispose(); return 0.1; } }),
      (x) => x.backward(null, { get retainGraph() { x.dispose(); return false; } }),
    ];
    cases.forEach((f, i) => {
      const x = torch.tensor([1, 2, 3]);
      assert.throws(() => f(x), { name: 'RuntimeError', message: 'this tensor was disposed' }, `case ${i}`);
      probe();
    });
    assert.equal(torch._module.hasError(), false);
  });
});
