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
    await new Promise((r) => { const poll = () => (out.includes('Epoch 100000,') ? r() : setTimeout(poll, 20)); poll(); });
    const t0 = performance.now();
    child.kill('SIGINT');
    const signal = await new Promise((r) => child.on('exit', (code, sig) => r(sig ?? code)));
    const ms = performance.now() - t0;
    note(e.id, 'CLI', `Ctrl-C after ${out.trim().split('\n').length} progress lines: exited (${signal}) in ${ms.toFixed(0)} ms`);
    assert.equal(signal, 'SIGINT');
    assert.ok(ms < 2000, `exit took ${ms} ms`);
  });
});
