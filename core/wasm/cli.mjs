#!/usr/bin/env node
// gradlab's command line (`npx gradlab ...`): the book's training loop, headless.
//
//   gradlab train [--optimizer SGD] [--lr 1e-2] [--opt key=value]... [--epochs 5000] [--every 500]
//                 [--input t_u|t_un] [--data thermometer|FILE.csv] [--dtype float32|float64]
//                 [--no-zero-grad] [--json] [--model TEXT [--normalize]]
//   gradlab golden [--dir DIR]
//   gradlab run [--timeout S] FILE.py | -
//
// Exit status: 0 done, 1 an engine error (printed as PyTorch prints it: "ValueError: ..."),
// 2 a usage error. Never a stack trace.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { divergenceMessage } from './diagnosis.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const USAGE = `usage: gradlab <command> [options]

commands:
  train     run the book's training loop (Deep Learning with PyTorch, ch. 5) on the engine
  run       run a Python script (PyTorch code: import torch, torch.optim) on the engine
  golden    run the golden checker (C++ compiled to WebAssembly) against PyTorch's reference values

gradlab train options:
  --optimizer NAME     a torch.optim class (default SGD)
  --lr X               learning rate (default 1e-2)
  --opt KEY=VALUE      any optimizer option, repeatable: --opt momentum=0.9 --opt betas=0.9,0.999
                       (numbers, true/false, none, tuples as comma lists, strings)
  --epochs N           epochs (default 5000)
  --every K            print the loss every K epochs (default 500)
  --input t_u|t_un     raw readings, or the book's normalised t_un = 0.1 * t_u (default t_un)
  --data thermometer|FILE.csv
                       the book's data (default), or a CSV with columns t_u,t_c (or x,y; or the
                       first two columns: input, target); a UTF-8 byte order mark and LF,
                       CRLF or CR line endings are fine
  --dtype float32|float64   (default float32, as in the book)
  --no-zero-grad       forget optimizer.zero_grad(): gradients accumulate
  --json               print per-epoch losses, params and grads as JSON
  --model TEXT         a model in gradlab's model language, e.g. "w * t_un + b" or the book's
                       "param w = 1.0; param b = 0.0; loss = ((w * t_u + b - t_c) ** 2).mean()";
                       its data columns are named in the text, and a name means that column:
                       t_u is the raw reading, t_un = 0.1 * t_u (--input is for the built-in model);
                       --data may also name a preset (thermometer_quadratic, rosenbrock, circle, ...)
  --normalize          with --model: inputs read normalised values (t_u reads t_un's; other
                       inputs are standardised to mean 0, std 1), as the page's "Normalise inputs"

gradlab run FILE.py | -   (- reads the script from standard input)
  --timeout S          stop the script after S seconds, as Ctrl-C would (KeyboardInterrupt)
  Prints what \`python3 FILE.py\` prints; exit status 0, or 1 for an uncaught exception.

gradlab golden options:
  --dir DIR            the reference values (default $GRADLAB_GOLDEN_DIR or ../shared/golden)`;

class UsageError extends Error {}

/** "0.9" -> 0.9, "nan" -> NaN, "true" -> true, "none" -> null, "0.9,0.999" -> [0.9, 0.999], else the string. */
export function parseValue(text) {
  const t = text.trim();
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^(none|null)$/i.test(t)) return null;
  // as Python's float(): numbers, inf and nan (so --lr nan reaches PyTorch's own check)
  const num = (s) => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : /^[-+]?inf(inity)?$/i.test(s.trim()) ? (s.trim().startsWith('-') ? -Infinity : Infinity)
    : /^[-+]?nan$/i.test(s.trim()) ? NaN : undefined);
  if (t.includes(',')) {
    const parts = t.replace(/^[([]|[)\]]$/g, '').split(',').filter((s) => s.trim() !== '').map(num);
    if (parts.every((x) => x !== undefined)) return parts;
    throw new UsageError(`cannot read '${text}' as a tuple of numbers`);
  }
  const n = num(t);
  return n === undefined ? t : n;
}

/** Python's '%f' (6 decimals), including inf/nan and numbers of 1e21 and above. */
export function formatF(x) {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Math.abs(x) >= 1e21) return `${BigInt(x)}.000000`;
  const s = x.toFixed(6);
  return Object.is(x, -0) || (x < 0 && !s.startsWith('-')) ? `-${s}` : s;
}

// parseArgs reads "--lr -0.1" as two flags; a negative number after an option is its value.
const joinNegatives = (argv) => argv.reduce((out, a, i) => {
  if (i > 0 && /^-[0-9.]/.test(a) && /^--[a-z-]+$/.test(argv[i - 1]) && out.length && out[out.length - 1] === argv[i - 1]) {
    out[out.length - 1] = `${argv[i - 1]}=${a}`;
  } else out.push(a);
  return out;
}, []);

function parseTrain(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegatives(argv),
      strict: true,
      allowPositionals: false,
      options: {
        model: { type: 'string' },
        data: { type: 'string', default: 'thermometer' },
        input: { type: 'string', default: 't_un' },
        optimizer: { type: 'string', default: 'SGD' },
        lr: { type: 'string', default: '1e-2' },
        opt: { type: 'string', multiple: true, default: [] },
        epochs: { type: 'string', default: '5000' },
        every: { type: 'string', default: '500' },
        'no-zero-grad': { type: 'boolean', default: false },
        dtype: { type: 'string', default: 'float32' },
        json: { type: 'boolean', default: false },
        normalize: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(e.message);
  }
  const v = parsed.values;
  const int = (name, min) => {
    const n = Number(v[name]);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got '${v[name]}'`);
    return n;
  };
  const lr = parseValue(v.lr);
  if (typeof lr !== 'number') throw new UsageError(`--lr must be a number, got '${v.lr}'`);
  if (!['t_u', 't_un'].includes(v.input)) throw new UsageError(`--input must be t_u or t_un, got '${v.input}'`);
  if (!['float32', 'float64'].includes(v.dtype)) throw new UsageError(`--dtype must be float32 or float64, got '${v.dtype}'`);
  if (v.normalize && v.model === undefined) throw new UsageError('--normalize is for --model; the built-in model reads the normalised t_un with --input t_un');
  const options = { lr };
  for (const kv of v.opt) {
    const at = kv.indexOf('=');
    if (at <= 0) throw new UsageError(`--opt takes KEY=VALUE, got '${kv}'`);
    options[kv.slice(0, at).trim()] = parseValue(kv.slice(at + 1));
  }
  return {
    help: v.help,
    model: v.model,
    data: v.data,
    input: v.input,
    optimizer: v.optimizer,
    options,
    epochs: int('epochs', 1),
    every: int('every', 1),
    zeroGrad: !v['no-zero-grad'],
    dtype: v.dtype,
    json: v.json,
    normalize: v.normalize,
  };
}

// A CSV is read whole into memory (and into the engine): bigger files are refused.
const MAX_DATA_BYTES = 256 * 1024 * 1024;

/** The text of --data FILE: a regular file of at most MAX_DATA_BYTES, or a usage error. */
function readDataFile(spec, presets = []) {
  const alternatives = presets.length ? `a preset (${presets.join(', ')})` : 'thermometer';
  let st;
  try {
    st = statSync(spec);
  } catch {
    throw new UsageError(`--data: no such file '${spec}' (use ${alternatives} or a CSV file)`);
  }
  if (st.isDirectory()) throw new UsageError(`--data: '${spec}' is a directory, not a CSV file`);
  // a device (/dev/zero), a pipe or a socket has no end to read to
  if (!st.isFile()) throw new UsageError(`--data: '${spec}' is not a regular file (a device, pipe or socket): give a CSV file`);
  if (st.size > MAX_DATA_BYTES) throw new UsageError(`--data: '${spec}' is ${(st.size / 2 ** 20).toFixed(0)} MiB; the limit is ${MAX_DATA_BYTES / 2 ** 20} MiB`);
  let fd;
  try {
    // read at most the limit, whatever the file grew to since stat
    fd = openSync(spec, 'r');
    const buf = Buffer.alloc(Math.min(st.size, MAX_DATA_BYTES) + 1);
    let n = 0;
    for (let k; n < buf.length && (k = readSync(fd, buf, n, buf.length - n, null)) > 0;) n += k;
    if (n > MAX_DATA_BYTES) throw new UsageError(`--data: '${spec}' is larger than ${MAX_DATA_BYTES / 2 ** 20} MiB`);
    return buf.subarray(0, n).toString('utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--data: cannot read '${spec}' (${e.code ?? e.message})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The torch.optim class called name, or a usage error (toString and friends are not classes). */
function optimizerClass(torch, name) {
  const names = Object.keys(torch.optim).filter((k) => /^[A-Z]/.test(k) && k !== 'Optimizer');
  if (!names.includes(name) || typeof torch.optim[name] !== 'function') {
    throw new UsageError(`--optimizer: torch.optim has no class '${name}' (one of: ${names.join(', ')})`);
  }
  return torch.optim[name];
}

/** Prints the page's diagnosis of a run whose loss stopped being finite; returns it (or null). */
function diagnose(run, out) {
  if (!run.epoch) return null;
  const text = divergenceMessage(run);
  out.error(text);
  return text;
}

async function loadData(spec) {
  if (spec === 'thermometer') return import('./thermometer.mjs');
  // as the engine reads CSV: a UTF-8 byte order mark (Excel) is not data; \r\n, \r and \n end lines
  const rows = readDataFile(spec).replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',').map((c) => c.trim()));
  let [ix, iy] = [0, 1];
  if (rows.length && rows[0].some((c) => c !== '' && !Number.isFinite(Number(c)))) {
    const header = rows.shift().map((c) => c.toLowerCase());
    const find = (...names) => names.map((n) => header.indexOf(n)).find((i) => i >= 0);
    ix = find('t_u', 'x', 'input') ?? 0;
    iy = find('t_c', 'y', 'target') ?? 1;
  }
  const t_u = [];
  const t_c = [];
  rows.forEach((r, i) => {
    const [x, y] = [Number(r[ix]), Number(r[iy])];
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new UsageError(`--data ${spec}: row ${i + 1} is not two numbers: '${r.join(',')}'`);
    t_u.push(x);
    t_c.push(y);
  });
  if (!t_u.length) throw new UsageError(`--data ${spec}: no rows`);
  return { t_u, t_c };
}

const jsonNum = (x) => (Number.isFinite(x) ? x : Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf');

async function train(argv, out) {
  const args = parseTrain(argv);
  if (args.help) {
    out.log(USAGE);
    return 0;
  }
  const { load } = await import('./gradlab.mjs');
  const torch = await load();
  const Opt = optimizerClass(torch, args.optimizer);
  if (args.model !== undefined) return trainModel(args, torch, out);
  const data = await loadData(args.data);

  const t_c = torch.tensor(data.t_c, { dtype: args.dtype });
  const t_u = torch.tensor(data.t_u, { dtype: args.dtype });
  const x = args.input === 't_un' ? t_u.mul(0.1) : t_u;
  const params = torch.tensor([1.0, 0.0], { dtype: args.dtype, requiresGrad: true });
  const optimizer = new Opt([params], args.options);

  // The book's loop: model(t_u, *params), loss_fn, zero_grad, backward, step.
  const lossOf = () => {
    const [w, b] = params.unbind();
    return w.mul(x).add(b).sub(t_c).pow(2).mean();
  };
  const record = { losses: [], params: [], grads: [] };
  const printed = [];
  // where the run stopped being finite, as the session records it for the page: the first
  // epoch with a non-finite loss, and the first parameter whose grad (as step() read it) or
  // new value is not finite
  const run = { epoch: 0, loss: NaN, param: '', paramEpoch: 0, raw: args.input === 't_u' };
  const paramNames = ['w', 'b'];
  for (let epoch = 1; epoch <= args.epochs; epoch++) {
    const loss = torch.tidy(() => {
      if (args.optimizer === 'LBFGS') {
        return optimizer.step(() => {
          if (args.zeroGrad) optimizer.zeroGrad();
          const l = lossOf();
          l.backward();
          return l;
        }).item();
      }
      const l = lossOf();
      if (args.zeroGrad) optimizer.zeroGrad();
      l.backward();
      optimizer.step();
      return l.item();
    });
    const g = params.grad;
    const grad = g ? Array.from(g.data()) : null;
    g?.dispose();
    const value = Array.from(params.data());
    if (!run.epoch && !Number.isFinite(loss)) Object.assign(run, { epoch, loss });
    if (!run.param) {
      const k = value.findIndex((v, i) => !Number.isFinite(v) || (grad && !Number.isFinite(grad[i])));
      if (k >= 0) Object.assign(run, { param: paramNames[k], paramEpoch: epoch });
    }
    if (args.json) {
      record.losses.push(jsonNum(loss));
      record.params.push(value.map(jsonNum));
      record.grads.push(grad ? grad.map(jsonNum) : null);
    }
    if (epoch % args.every === 0) {
      const line = `Epoch ${epoch}, Loss ${formatF(loss)}`;
      printed.push(line);
      if (!args.json) out.log(line);
    }
  }
  if (args.json) {
    const { lr, ...rest } = args.options;
    out.log(JSON.stringify({
      optimizer: args.optimizer, lr, options: rest, input: args.input, data: args.data, dtype: args.dtype,
      zero_grad: args.zeroGrad, epochs: args.epochs, every: args.every, printed,
      final_params: Array.from(params.data(), jsonNum), params_repr: String(params), ...record,
      diagnosis: diagnose(run, out),
    }));
  } else {
    out.log(String(params));
    diagnose(run, out);
  }
  return 0;
}

/** `train --model TEXT`: the same loop through the engine's training session and model language. */
async function trainModel(args, torch, out) {
  if (args.dtype !== 'float32') throw new UsageError('--model trains in float32, as the book does: leave --dtype out');
  const { loadSession } = await import('./session.mjs');
  const engine = await loadSession();
  const session = new engine.Session();
  try {
    const preset = engine.presetNames().includes(args.data);
    if (preset) session.loadPreset(args.data);
    else session.setCsv(readDataFile(args.data, engine.presetNames()));
    // a name means what it says: a preset's own normalisation (the page's default for the
    // thermometer) is off unless asked for
    session.setNormalize(args.normalize);
    try {
      session.setModel(args.model.replace(/;\s*/g, '\n'));
    } catch (e) {
      if (e.line) e.message = `line ${e.line}, column ${e.col}: ${e.message}`;
      throw e;
    }
    session.setOptimizer(args.optimizer, args.options);
    session.setZeroGrad(args.zeroGrad);
    const printed = [];
    for (let done = 0; done < args.epochs;) {
      const n = Math.min(args.every - (done % args.every), args.epochs - done);
      session.run(n);
      done += n;
      const errors = session.errors();
      if (errors.length) {
        const e = errors[errors.length - 1];
        throw Object.assign(new torch.GradlabError(e.type, e.message), { epoch: e.epoch });
      }
      if (done % args.every === 0) {
        const line = `Epoch ${done}, Loss ${formatF(session.lastLoss)}`;
        printed.push(line);
        if (!args.json) out.log(line);
      }
    }
    // each parameter printed as PyTorch prints a leaf that requires grad
    const reprs = session.parameters().map((p) => {
      const t = torch.tensor(Array.from(p.value)).reshape(p.shape).requiresGrad_(true);
      return { name: p.name, repr: String(t) };
    });
    const at = session.records(args.epochs);
    const run = {
      epoch: at.firstNonfiniteEpoch, param: at.firstNonfiniteParam, paramEpoch: at.firstNonfiniteParamEpoch,
      loss: at.firstNonfiniteEpoch ? session.records(at.firstNonfiniteEpoch - 1).loss[0] : NaN,
      // the page's wording: un-normalised input when the thermometer's raw readings are used
      raw: preset && args.data.startsWith('thermometer') && !args.normalize,
    };
    if (args.json) {
      const r = session.records(0);
      out.log(JSON.stringify({
        model: session.modelText, optimizer: args.optimizer, options: args.options, data: args.data,
        normalize: args.normalize, diagnosis: diagnose(run, out),
        zero_grad: args.zeroGrad, epochs: args.epochs, every: args.every, printed,
        losses: Array.from(r.loss, jsonNum),
        params: Object.fromEntries(r.params.map((p) => [p.name, { shape: p.shape, values: Array.from(p.values, jsonNum), grads: Array.from(p.grads, jsonNum) }])),
        params_repr: Object.fromEntries(reprs.map((p) => [p.name, p.repr])),
      }));
    } else {
      for (const p of reprs) out.log(`${p.name} = ${p.repr}`);
      diagnose(run, out);
    }
    return 0;
  } finally {
    session.dispose();
  }
}

function golden(argv, out) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    throw new UsageError(e.message);
  }
  if (values.help) {
    out.log(USAGE);
    return 0;
  }
  const checker = join(root, 'build', 'wasm', 'tests', 'gradlab_golden.js');
  if (!existsSync(checker)) {
    out.error(`gradlab golden: the WebAssembly golden checker is not built (${checker} is missing).\n`
      + 'It is built from a source checkout of gradlab:\n'
      + '  npm run setup            # or: emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release && make -C build/wasm gradlab_golden');
    return 1;
  }
  const dir = values.dir ?? process.env.GRADLAB_GOLDEN_DIR ?? join(root, '..', 'shared', 'golden');
  if (!existsSync(dir)) throw new UsageError(`--dir: no such directory '${dir}'`);
  const r = spawnSync(process.execPath, [checker, '--dir', resolve(dir)], { stdio: 'inherit' });
  return r.status ?? 1;
}

/** `gradlab run FILE.py`: the script on the WebAssembly module, its output as python3 gives it. */
async function run(argv, out) {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { timeout: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('run takes one script (FILE.py, or - for standard input)');
  const timeout = values.timeout === undefined ? 0 : Number(values.timeout);
  if (!(timeout >= 0)) throw new UsageError(`--timeout must be a number of seconds, not '${values.timeout}'`);
  const [file] = positionals;
  let source, filename;
  if (file === '-') {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    source = Buffer.concat(chunks).toString('utf8');
    filename = '<stdin>';
  } else {
    filename = resolve(file);  // as CPython, tracebacks name the script by its absolute path
    try {
      source = readFileSync(filename, 'utf8');
    } catch (e) {
      out.error(`gradlab: can't open file '${filename}': [Errno 2] No such file or directory`);
      return 2;
    }
  }
  const { loadModule } = await import('./loader.mjs');
  const mod = await loadModule();
  const r = mod.runPython(source, filename, timeout * 1000);
  const write = out.write ?? ((stream, text) => (stream === 2 ? process.stderr : process.stdout).write(text));
  if (r.stdout) write(1, r.stdout);
  if (r.stderr) write(2, r.stderr);
  return r.exitCode;
}

/** Runs the CLI; returns the exit status. `out` receives log/error lines. */
export async function main(argv, out = console) {
  const [command, ...rest] = argv;
  try {
    if (command === 'train') return await train(rest, out);
    if (command === 'golden') return golden(rest, out);
    if (command === 'run') return await run(rest, out);
    if (command === '--help' || command === '-h' || command === 'help') {
      out.log(USAGE);
      return 0;
    }
    throw new UsageError(command === undefined ? 'no command given' : `unknown command '${command}'`);
  } catch (e) {
    if (e instanceof UsageError) {
      out.error(`gradlab: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e && typeof e.pythonType === 'string') {
      out.error(`${e.name}: ${e.message}`);
      return 1;
    }
    out.error(`gradlab: internal error: ${e?.message ?? e}`);
    return 1;
  }
}

// Run when invoked as a program (directly, or through npm's bin link, which is a symlink).
const invokedPath = (() => {
  try {
    return process.argv[1] ? realpathSync(process.argv[1]) : '';
  } catch {
    return '';
  }
})();
if (invokedPath === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
