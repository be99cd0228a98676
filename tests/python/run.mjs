#!/usr/bin/env node
// Differential test of the Python interpreter: runs every tests/python/cases/*.py through
// CPython 3.11 (/usr/bin/python3) and through the native runner (gradlab_python), and
// compares stdout, stderr and the exit status exactly. A case named *.stdin.py is fed on
// standard input (`python3 -`), so tracebacks say File "<stdin>". A *.cases file holds
// many small scripts separated by lines "#####" (a script ending in <<NOEOL>> has no final
// newline); each is one case (the syntax errors are there).
//
//   node tests/python/run.mjs [--bin build/native/tests/gradlab_python] [--filter text] [--verbose]
//   node tests/python/run.mjs --wasm ...   (through `gradlab run`: the WebAssembly module)
//
// Scripts that import torch are compared as /work/shared/scripts/README.md says: text exactly,
// numbers to float32 noise (a relative 2e-5, or one unit of the last printed decimal: float32
// sums taken in another order round differently), and object addresses (`<MulBackward0 object
// at 0x7f...>`) masked. Every other script is compared exactly.
//
// Ends with "python: N passed, M failed".
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: v } = parseArgs({
  args: process.argv.slice(2),
  options: { bin: { type: 'string' }, filter: { type: 'string' }, verbose: { type: 'boolean' }, wasm: { type: 'boolean' } },
});
const cliPath = join(root, 'core', 'wasm', 'cli.mjs');
const bin = v.wasm ? join(root, 'core', 'wasm', 'dist', 'gradlab_wasm_split.wasm')
  : resolve(v.bin ?? join(root, 'build', 'native', 'tests', 'gradlab_python'));
/// The command that runs a script through gradlab: the native runner, or the CLI on WASM.
const gradlabCommand = (arg) => (v.wasm ? [process.execPath, [cliPath, 'run', arg]] : [bin, [arg]]);
const python = '/usr/bin/python3';
const casesDir = join(root, 'tests', 'python', 'cases');
for (const [what, path] of [['runner', bin], ['CPython', python]]) {
  if (!existsSync(path)) {
    console.error(`missing ${what}: ${path}`);
    console.log('python: 0 passed, 1 failed');
    process.exit(1);
  }
}

function run(cmd, args, input, cwd = casesDir) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, PYTHONHASHSEED: '0', PYTHONIOENCODING: 'utf-8' } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status: signal ? `signal ${signal}` : status });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

function firstDifference(a, b) {
  const x = a.split('\n'), y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); ++i)
    if (x[i] !== y[i]) return `line ${i + 1}:\n    expected ${JSON.stringify(x[i])}\n    got      ${JSON.stringify(y[i])}`;
  return '';
}

const NUMBER = /-?\d+(?:\.\d*)?(?:e[+-]?\d+)?/g;
const maskAddresses = (text) => text.replace(/ at 0x[0-9a-f]+>/g, ' at 0x?>');
/// One unit of the last decimal printed in token ("7.860115" -> 1e-6, "1.2346e+03" -> 0.1).
function lastUnit(token) {
  const [mantissa, exponent] = token.split('e');
  const dot = mantissa.indexOf('.');
  const decimals = dot < 0 ? 0 : mantissa.length - dot - 1;
  return 10 ** (Number(exponent ?? 0) - decimals);
}
/// want and got differ only by float32 noise in their numbers (and by addresses).
function closeEnough(want, got) {
  want = maskAddresses(want);
  got = maskAddresses(got);
  if (want === got) return true;
  if (want.replace(NUMBER, '#') !== got.replace(NUMBER, '#')) return false;
  const a = want.match(NUMBER) ?? [], b = got.match(NUMBER) ?? [];
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i];
    if (x === y) return true;
    if (!/[.e]/.test(x) || !/[.e]/.test(y)) return false;  // ints (line numbers, counts) exactly
    const u = Number(x), v = Number(y);
    const diff = Math.abs(u - v);
    return diff <= 2e-5 * Math.max(Math.abs(u), Math.abs(v)) || diff <= lastUnit(x) * (1 + 1e-9);
  });
}

const files = readdirSync(casesDir).filter((f) => (f.endsWith('.py') || f.endsWith('.cases')) && (!v.filter || f.includes(v.filter))).sort();
const usesTorch = (text) => /^\s*(import torch|from torch)/m.test(text);
const scratch = mkdtempSync(join(tmpdir(), 'gradlab-py-'));
const cases = [];  // { name, file (relative to cwd), cwd, input }
for (const f of files) {
  if (f.endsWith('.py')) {
    const stdin = f.endsWith('.stdin.py');
    const text = readFileSync(join(casesDir, f), 'utf8');
    cases.push({ name: f, arg: stdin ? '-' : f, cwd: casesDir, input: stdin ? text : undefined, torch: usesTorch(text) });
    continue;
  }
  const pieces = readFileSync(join(casesDir, f), 'utf8').split(/\n#####\n/);
  pieces.forEach((piece, i) => {
    const text = piece.endsWith('<<NOEOL>>') ? piece.slice(0, -'<<NOEOL>>'.length) : piece.replace(/\n*$/, '') + '\n';
    const file = `${f.replace(/\.cases$/, '')}_${i}.py`;
    writeFileSync(join(scratch, file), text);
    cases.push({ name: `${f}[${i}]`, arg: file, cwd: scratch, torch: usesTorch(text) });
  });
}
let passed = 0, failed = 0;
const failures = [];

async function check(c) {
  const [want, got] = await Promise.all([run(python, [c.arg], c.input, c.cwd), run(...gradlabCommand(c.arg), c.input, c.cwd)]);
  const problems = [];
  if (c.torch) {
    if (closeEnough(want.stdout, got.stdout)) got.stdout = want.stdout;
    if (closeEnough(want.stderr, got.stderr)) got.stderr = want.stderr;
  }
  if (want.stdout !== got.stdout) problems.push(`stdout differs at ${firstDifference(want.stdout, got.stdout)}`);
  if (want.stderr !== got.stderr) problems.push(`stderr differs at ${firstDifference(want.stderr, got.stderr)}`);
  if (want.status !== got.status) problems.push(`exit status: expected ${want.status}, got ${got.status}`);
  if (problems.length) {
    failed++;
    failures.push(`FAIL ${c.name}\n  ${problems.join('\n  ')}` + (v.verbose ? `\n--- expected stderr\n${want.stderr}--- got stderr\n${got.stderr}` : ''));
  } else {
    passed++;
  }
}

const queue = [...cases];
const workers = Array.from({ length: Math.max(1, Math.min(4, cpus().length)) }, async () => {
  while (queue.length) await check(queue.shift());
});
await Promise.all(workers);
rmSync(scratch, { recursive: true, force: true });
for (const f of failures) console.log(f);
console.log(`python: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
