// The gradlab CLI, spawned as a user runs it: the book's printed lines, --json, exit statuses.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { formatF, parseValue } from '../../core/wasm/cli.mjs';
import { translate } from '../../web/src/i18n.mjs';
import { assertClose, golden } from './golden.mjs';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'core', 'wasm', 'cli.mjs');
const book = golden('book');
// a time limit: a usage error must come at once (--data /dev/zero used to read until 16 GB)
const gradlab = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });
const noStackTrace = (r) => assert.ok(!/\n\s+at .+:\d+:\d+/.test(r.stderr + r.stdout), `stack trace in output:\n${r.stderr}`);

const parse = (s) => (s === 'inf' ? Infinity : s === '-inf' ? -Infinity : s === 'nan' ? NaN : Number(s));

/** "Epoch 500, Loss 7.860116" lines compared by number, within the run's tolerance (README: last digit may differ). */
function assertBookLines(lines, want, rtol) {
  assert.equal(lines.length, want.length, lines.join('\n'));
  lines.forEach((line, i) => {
    const [, epoch, loss] = line.match(/^Epoch (\d+), Loss (\S+)$/) ?? [];
    const [, wEpoch, wLoss] = want[i].match(/^Epoch (\d+), Loss (\S+)$/);
    assert.equal(epoch, wEpoch, line);
    assert.match(loss, /^(-?\d+\.\d{6}|inf|-inf|nan)$/, `%f format: ${line}`);
    const got = parse(loss);
    const w = parse(wLoss);
    if (!Number.isFinite(w)) return assert.ok(Object.is(got, w), `${line}, PyTorch ${want[i]}`);
    // the run's tolerance, plus half a unit of the 6th printed decimal
    assert.ok(Math.abs(got - w) <= rtol * Math.abs(w) + 5e-7, `${line}, PyTorch ${want[i]} (rtol ${rtol})`);
  });
}

describe('gradlab train prints the book', () => {
  for (const [key, flags] of [
    ['sgd_t_un_5000', ['--optimizer', 'SGD', '--lr', '1e-2', '--epochs', '5000', '--input', 't_un']],
    ['adam_t_u_2000', ['--optimizer', 'Adam', '--lr', '1e-1', '--epochs', '2000', '--input', 't_u']],
    ['sgd_t_un_no_zero_grad', ['--lr', '1e-2', '--epochs', '5000', '--no-zero-grad']],
    ['sgd_momentum_t_un_no_zero_grad', ['--opt', 'momentum=0.9', '--epochs', '500', '--every', '50', '--no-zero-grad']],
  ]) {
    test(`gradlab train ${flags.join(' ')}`, () => {
      const run = book.runs[key];
      const r = gradlab('train', ...flags);
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assertBookLines(lines.slice(0, -1), run.printed, run.loss_rtol);
      if (book.book_printed[`${key}_params`]) assert.equal(lines.at(-1), book.book_printed[`${key}_params`]);
      else assert.match(lines.at(-1), /^tensor\(\[.*\], requires_grad=True\)$/);
    });
  }
  test('the book\'s own printed lines (Deep Learning with PyTorch, ch. 5)', () => {
    const r = gradlab('train', '--optimizer', 'SGD', '--lr', '1e-2', '--epochs', '5000', '--input', 't_un');
    const lines = r.stdout.trim().split('\n');
    assertBookLines(lines.slice(0, -1), book.book_printed.sgd_t_un_5000, book.runs.sgd_t_un_5000.loss_rtol);
    assert.equal(lines.at(-1), book.book_printed.sgd_t_un_5000_params);
  });
});

const BOOK_T_U = 'param w = 1.0; param b = 0.0; loss = ((w * t_u + b - t_c) ** 2).mean()';

describe('gradlab train --model (the model language)', () => {
  test('the book\'s model(t_u, *params) as text reproduces the book\'s lines and params', () => {
    const run = book.runs.sgd_t_un_5000;
    const model = 'param p[2] = [1.0, 0.0]; t_p = p[0] * t_un + p[1]; loss = ((t_p - t_c) ** 2).mean()';
    const r = gradlab('train', '--model', model, '--optimizer', 'SGD', '--lr', '1e-2', '--epochs', '5000');
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assertBookLines(lines.slice(0, -1), run.printed, run.loss_rtol);
    assert.equal(lines.at(-1), `p = ${book.book_printed.sgd_t_un_5000_params}`);
  });
  test('on the preset data, t_u is the raw reading: the book\'s Adam run on t_u', () => {
    // it used to read t_un's values silently (Epoch 500, Loss 2.962301 instead of 7.612900)
    const run = book.runs.adam_t_u_2000;
    const r = gradlab('train', '--model', BOOK_T_U, '--optimizer', 'Adam', '--lr', '1e-1', '--epochs', '2000');
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assertBookLines(lines.slice(0, 4), run.printed, run.loss_rtol);
    assert.equal(r.stderr, '');
  });
  test('--normalize is the explicit switch: t_u then reads t_un (the book\'s SGD run on t_un)', () => {
    const run = book.runs.sgd_t_un_5000;
    const r = gradlab('train', '--model', BOOK_T_U, '--normalize', '--lr', '1e-2', '--epochs', '5000', '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.normalize, true);
    assertBookLines(out.printed, run.printed, run.loss_rtol);
    const plain = JSON.parse(gradlab('train', '--model', BOOK_T_U, '--epochs', '3', '--json').stdout);
    assert.equal(plain.normalize, false);
  });
  test('free names become scalar parameters; --no-zero-grad reaches the session', () => {
    const run = book.runs.sgd_t_un_no_zero_grad;
    const r = gradlab('train', '--model', 'param w = 1.0; param b = 0.0; w * t_un + b', '--epochs', '5000', '--no-zero-grad', '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assertBookLines(out.printed, run.printed, run.loss_rtol);
    assert.deepEqual(Object.keys(out.params), ['w', 'b']);
    assert.equal(out.losses.length, 5000);
  });
});

describe('a run that diverges gets the page\'s diagnosis', () => {
  /** The first epoch (1-based) whose param value or grad is not finite, and that param's name. */
  function firstBadParam(perEpoch) {
    for (let e = 0; e < perEpoch.length; e++) {
      const bad = perEpoch[e].find(([, v, g]) => !Number.isFinite(v) || (g !== null && !Number.isFinite(g)));
      if (bad) return { param: bad[0], pepoch: e + 1 };
    }
    return null;
  }
  const num = (x) => (typeof x === 'string' ? parse(x) : x);
  test('the book\'s SGD on raw t_u: the loss becomes inf at PyTorch\'s epoch, said as the page says it', () => {
    const run = book.runs.sgd_t_u_diverges;
    const r = gradlab('train', '--input', 't_u', '--lr', '1e-2', '--epochs', '100', '--every', '10', '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const epoch = run.first_nonfinite_epoch;
    const bad = firstBadParam(out.params.map((p, e) => p.map((v, i) => [['w', 'b'][i], num(v), num(out.grads[e][i])])));
    const want = translate('en', 'diverged', { epoch, value: Number.isNaN(num(out.losses[epoch - 1])) ? 'nan' : 'inf', ...bad });
    assert.ok(!Number.isFinite(num(out.losses[epoch - 1])) && out.losses.slice(0, epoch - 1).every((l) => Number.isFinite(num(l))));
    assert.equal(out.diagnosis, want);
    assert.equal(r.stderr.trim(), want);
    // without --json, after the printed lines and params
    const plain = gradlab('train', '--input', 't_u', '--epochs', '100', '--every', '10');
    assert.equal(plain.stderr.trim(), want);
    assert.match(plain.stdout, /Epoch 100, Loss nan\ntensor\(\[nan, nan\], requires_grad=True\)/);
  });
  test('--model: the session\'s record of where it blew up, the page\'s two wordings', () => {
    const r = gradlab('train', '--model', BOOK_T_U, '--epochs', '30', '--every', '10', '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const epoch = out.losses.findIndex((l) => !Number.isFinite(num(l))) + 1;
    assert.equal(epoch, book.runs.sgd_t_u_diverges.first_nonfinite_epoch);
    const names = Object.keys(out.params);
    const bad = firstBadParam(out.losses.map((_, e) => names.map((n) => [n, num(out.params[n].values[e]), num(out.params[n].grads[e])])))
      ?? { param: '?', pepoch: epoch };
    const vars = { epoch, value: Number.isNaN(num(out.losses[epoch - 1])) ? 'nan' : 'inf', ...bad };
    assert.equal(out.diagnosis, translate('en', 'diverged', vars));
    assert.equal(r.stderr.trim(), out.diagnosis);
    // normalised input that still diverges: the learning rate alone is to blame
    const n = gradlab('train', '--model', BOOK_T_U, '--normalize', '--lr', '10', '--epochs', '200', '--every', '100', '--json');
    const nout = JSON.parse(n.stdout);
    assert.match(nout.diagnosis, /^The loss became (inf|nan) at epoch \d+\./);
    assert.equal(nout.diagnosis.replace(/^.*?\)\. /, ''), translate('en', 'divergedLr', {}).replace(/^.*?\)\. /, ''));
  });
  test('a run that converges prints no diagnosis', () => {
    const r = gradlab('train', '--epochs', '100');
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    assert.equal(JSON.parse(gradlab('train', '--epochs', '5', '--json').stdout).diagnosis, null);
  });
});

describe('gradlab train --json', () => {
  test('per-epoch losses, params and grads', () => {
    const run = book.runs.sgd_t_un_5000;
    const r = gradlab('train', '--epochs', '100', '--every', '10', '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.optimizer, 'SGD');
    assert.equal(out.lr, 0.01);
    for (const k of ['losses', 'params', 'grads']) assert.equal(out[k].length, 100, k);
    assert.ok(out.params.every((p) => p.length === 2) && out.grads.every((g) => g.length === 2));
    out.losses.forEach((l, i) => assertClose(assert, l, run.losses[i], run.loss_rtol, `epoch ${i + 1}`));
    assert.equal(out.printed.length, 10);
    assert.deepEqual(out.final_params, out.params.at(-1));
  });
  test('options reach the optimizer (--opt, tuples, booleans) and float64', () => {
    const r = gradlab('train', '--optimizer', 'Adam', '--lr', '0.1', '--opt', 'betas=0.8,0.9', '--opt', 'amsgrad=true',
      '--opt', 'weight_decay=0', '--epochs', '5', '--json', '--dtype', 'float64', '--input', 't_u');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.options, { betas: [0.8, 0.9], amsgrad: true, weight_decay: 0 });
    assert.match(out.params_repr, /dtype=torch\.float64/);
  });
  test('a CSV file from Excel (byte order mark, \\r\\n) or an old Mac (\\r): the same data', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradlab-cli-'));
    try {
      const rows = book.data.t_c.data.map((c, i) => `${c},${book.data.t_u.data[i]}`);
      const b = gradlab('train', '--epochs', '50', '--json');
      for (const [name, text] of [['bom.csv', `\uFEFFt_c,t_u\r\n${rows.join('\r\n')}\r\n`], ['cr.csv', `t_c,t_u\r${rows.join('\r')}\r`]]) {
        writeFileSync(join(dir, name), text);
        const a = gradlab('train', '--epochs', '50', '--json', '--data', join(dir, name));
        assert.equal(a.status, 0, `${name}: ${a.stderr}`);
        assert.deepEqual(JSON.parse(a.stdout).losses, JSON.parse(b.stdout).losses, name);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('a CSV data file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradlab-cli-'));
    try {
      const csv = join(dir, 'data.csv');
      writeFileSync(csv, `t_c,t_u\n${book.data.t_c.data.map((c, i) => `${c},${book.data.t_u.data[i]}`).join('\n')}\n`);
      const a = gradlab('train', '--epochs', '50', '--json', '--data', csv);
      const b = gradlab('train', '--epochs', '50', '--json');
      assert.equal(a.status, 0, a.stderr);
      assert.deepEqual(JSON.parse(a.stdout).losses, JSON.parse(b.stdout).losses);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('--help prints plain lines (no carriage returns or other control characters)', () => {
  const r = gradlab('--help');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^usage: gradlab/);
  // the CSV line once wrote \r and \n themselves, which broke the help into stray lines
  assert.doesNotMatch(r.stdout, /[\x00-\x09\x0b-\x1f\x7f]/);
});

describe('gradlab exit statuses', () => {
  for (const args of [
    ['train', '--bogus'],
    ['train', '--epochs', 'many'],
    ['train', '--lr', 'fast'],
    ['train', '--input', 'kelvin'],
    ['train', '--dtype', 'int8'],
    ['train', '--opt', 'momentum'],
    ['train', '--optimizer', 'Nope'],
    ['train', '--data', '/no/such/file.csv'],
    ['train', 'extra'],
    ['fly'],
    [],
  ]) {
    test(`usage error: gradlab ${args.join(' ')} -> 2`, () => {
      const r = gradlab(...args);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /usage: gradlab/);
      noStackTrace(r);
    });
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'gradlab-cli-dir-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  for (const [args, message] of [
    [['train', '--data', '/dev/zero'], "--data: '/dev/zero' is not a regular file"],  // read until 16 GB, then std::bad_alloc
    [['train', '--model', BOOK_T_U, '--data', '/dev/zero'], "--data: '/dev/zero' is not a regular file"],
    [['train', '--data', dataDir], `--data: '${dataDir}' is a directory, not a CSV file`],  // "internal error: EISDIR"
    [['train', '--model', BOOK_T_U, '--data', dataDir], `--data: '${dataDir}' is a directory, not a CSV file`],
    [['train', '--optimizer', 'toString'], "--optimizer: torch.optim has no class 'toString'"],  // "internal error: Opt is not a constructor"
    [['train', '--optimizer', 'constructor'], "--optimizer: torch.optim has no class 'constructor'"],
    [['train', '--optimizer', 'valueOf'], "--optimizer: torch.optim has no class 'valueOf'"],
    [['train', '--optimizer', '__proto__'], "--optimizer: torch.optim has no class '__proto__'"],
    [['train', '--model', BOOK_T_U, '--optimizer', 'toString'], "--optimizer: torch.optim has no class 'toString'"],
    [['train', '--normalize'], '--normalize is for --model'],
  ]) {
    test(`usage error with its reason: gradlab ${args.join(' ')} -> 2`, () => {
      const r = gradlab(...args);
      assert.equal(r.status, 2, r.stderr);
      assert.ok(r.stderr.startsWith(`gradlab: ${message}`), r.stderr.split('\n')[0]);
      assert.doesNotMatch(r.stderr, /internal error/);
      noStackTrace(r);
    });
  }
  test('engine errors print PyTorch\'s line and exit 1', () => {
    for (const [args, line] of [
      [['train', '--lr', '-0.1'], 'ValueError: Invalid learning rate: -0.1'],
      [['train', '--lr=-0.1'], 'ValueError: Invalid learning rate: -0.1'],
      [['train', '--opt', 'momentum=-1'], 'ValueError: Invalid momentum value: -1.0'],
      [['train', '--optimizer', 'Adam', '--opt', 'nosuch=1'], "TypeError: Adam.__init__() got an unexpected keyword argument 'nosuch'"],
    ]) {
      const r = gradlab(...args);
      assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim(), line);
      noStackTrace(r);
    }
  });
  test('a model that does not compile: where and why, exit 1', () => {
    const r = gradlab('train', '--model', 'w * t_uu + b');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^NameError: line 1, column 5: name 't_uu' is not defined\. Did you mean 't_u'\?/);
    noStackTrace(r);
  });
  test('--help', () => {
    const r = gradlab('train', '--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--optimizer NAME/);
  });
});

describe('gradlab golden', () => {
  const checker = join(dirname(cli), '..', '..', 'build', 'wasm', 'tests', 'gradlab_golden.js');
  test('runs the WebAssembly golden checker, or says how to build it', () => {
    const r = gradlab('golden', '--dir', join(dirname(cli), '..', '..', '..', 'shared', 'golden'));
    noStackTrace(r);
    if (existsSync(checker)) {
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^\d+ passed, 0 failed, \d+ skipped$/m);
    } else {
      assert.equal(r.status, 1);
      assert.match(r.stderr, /not built[\s\S]*npm run setup/);
    }
  });
  test('bad flags exit 2', () => {
    assert.equal(gradlab('golden', '--nope').status, 2);
    assert.equal(gradlab('golden', '--dir', '/no/such/dir').status, existsSync(checker) ? 2 : 1);
  });
});

describe('CLI helpers', () => {
  test('formatF is Python\'s %f', () => {
    assert.equal(formatF(7.860116004943848), '7.860116');
    assert.equal(formatF(Infinity), 'inf');
    assert.equal(formatF(NaN), 'nan');
    assert.equal(formatF(2.627265396480363e30), '2627265396480363258942479925248.000000');
    assert.equal(formatF(-0.0000001), '-0.000000');
  });
  test('parseValue', () => {
    assert.deepEqual([parseValue('0.9'), parseValue('true'), parseValue('None'), parseValue('0.9,0.999'), parseValue('strong_wolfe')],
      [0.9, true, null, [0.9, 0.999], 'strong_wolfe']);
  });
});
