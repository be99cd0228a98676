#!/usr/bin/env node
// npm run bench [-- --quick] [-- --json FILE] [-- --no-browser]
// Runs the four workloads of ../shared/bench/WORKLOADS.md on every engine in one run, one after
// another (never two at once: they would share the cores), checks every engine's final loss
// against PyTorch's and the golden book values, then prints a table and gradlab/peer ratios.
// Engines: gradlab-native (tests/bench/bench.cpp built with g++), gradlab-wasm (the same file
// built with emcmake, run by node), gradlab-js (the shipped module through the public JS API,
// tests/bench/bench_js.mjs). For the two book workloads these run the book's model
// text through a training session, as the playground's Run and the CLI do (the session
// compiles the elementwise model into a fused training step); the same loops written op by op
// against the tensor API, as in PyTorch eager, are reported as gradlab-*-eager. torch
// (Debian's PyTorch running bench_torch.py itself), tfjs-cpu and tfjs-wasm (TensorFlow.js 4.22, tests/bench/bench_tfjs.mjs).
// Also: gzip size of the shipped module, and cold module load -> first trained epoch in Node
// and Chromium (tests/bench/first_epoch.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = join(root, '..', 'shared');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : null;
const browserToo = !args.includes('--no-browser');
// Best of REPEATS wall-clock runs per workload, the same count for every engine: the first
// run of each engine pays its warm-up (JIT, allocator, caches), the minimum leaves it out.
const REPEATS = quick ? 2 : 5;
const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
const say = (m) => process.stderr.write(`[bench] ${m}\n`);
// Other work on the machine inflates every engine's times: the load is printed with the table.
const loadBefore = loadavg()[0];

function sh(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}
const jsonLines = (out) => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));

// ---- builds (incremental; set-up has configured both trees)
function build(dir) {
  if (!existsSync(join(root, dir, 'CMakeCache.txt'))) throw new Error(`${dir} is not configured: run node .ci/setup.mjs`);
  say(`building ${dir} gradlab_bench`);
  sh('cmake', ['--build', dir, '--target', 'gradlab_bench', '-j', '2']);
}
build('build/native');
build('build/wasm');

const records = [];
// rename(workload) gives the engine name a record is filed under (default: engine)
function run(engine, cmd, argv, rename = () => engine) {
  say(`running ${engine}`);
  const t = Date.now();
  for (const r of jsonLines(sh(cmd, argv))) {
    const rec = { workload: r.workload, engine: rename(r.workload), ...(r.error ? { error: r.error } : { seconds: r.seconds }) };
    if (r.final_loss !== undefined) rec.final_loss = r.final_loss;
    if (r.gflops !== undefined) rec.gflops = r.gflops;
    records.push(rec);
  }
  say(`  ${engine}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

const isBook = (w) => w.startsWith('book-');
// V8 first runs WebAssembly in its baseline tier (Liftoff) and swaps in optimised code from
// background compiles as functions get hot; a 10 ms run can end before that. Timed runs of
// every WebAssembly engine (gradlab-wasm, tfjs-wasm, and tfjs-cpu alike) therefore compile
// with the optimising tier up front (outside the timed region): steady state, warm-up
// excluded. The cold-start figures below keep V8's defaults.
const V8_STEADY = ['--no-liftoff'];
const benches = {
  'gradlab-native': [join(root, 'build/native/tests/bench/gradlab_bench'), []],
  'gradlab-wasm': ['/usr/bin/node', [...V8_STEADY, join(root, 'build/wasm/tests/bench/gradlab_bench.js')]],
};
for (const [engine, [cmd, pre]] of Object.entries(benches)) {
  run(engine, cmd, [...pre, '--repeats', String(REPEATS), '--api', 'session']);
  run(`${engine}-eager`, cmd, [...pre, '--repeats', String(REPEATS)], (w) => (isBook(w) ? `${engine}-eager` : engine));
}
// The shipped module (core/wasm/dist) through the public JS API: what a Node user and the
// playground's worker get, Embind calls and all.
const jsBench = [...V8_STEADY, join(root, 'tests/bench/bench_js.mjs'), '--repeats', String(REPEATS)];
run('gradlab-js', process.execPath, [...jsBench, '--api', 'session']);
run('gradlab-js-eager', process.execPath, jsBench, (w) => (isBook(w) ? 'gradlab-js-eager' : 'gradlab-js'));
const torchScript = join(shared, 'bench', 'bench_torch.py');
if (quick) run('torch', '/usr/bin/python3', [join(root, 'tests/bench/torch_quick.py'), torchScript, String(REPEATS)]);
else run('torch', '/usr/bin/python3', [torchScript]);
for (const backend of ['cpu', 'wasm']) {
  run(`tfjs-${backend}`, process.execPath, [...V8_STEADY, join(root, 'tests/bench/bench_tfjs.mjs'), '--backend', backend, '--repeats', String(REPEATS)]);
}

// ---- correctness: every final loss against PyTorch's (same work, float32) and the golden book
const golden = JSON.parse(readFileSync(join(shared, 'golden', 'book.json'), 'utf8')).runs;
const goldenFor = { 'book-sgd': golden.sgd_t_un_5000, 'book-adam': golden.adam_t_u_2000 };
const PEER_RTOL = 1e-3;  // float32 engines summing in different orders, Adam's eps placement (TF.js)
const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);
const problems = [];
for (const r of records) {
  if (r.final_loss === undefined) continue;
  const ref = records.find((q) => q.engine === 'torch' && q.workload === r.workload);
  const checks = [];
  if (ref && r.engine !== 'torch') checks.push(['torch', ref.final_loss, PEER_RTOL]);
  const g = goldenFor[r.workload];
  if (g) checks.push(['golden PyTorch 2.11', g.losses[g.losses.length - 1], Math.max(g.loss_rtol, 1e-5)]);
  for (const [what, want, rtol] of checks) {
    if (!(rel(r.final_loss, want) <= rtol)) {
      r.wrong = true;
      problems.push(`${r.engine} ${r.workload}: final loss ${r.final_loss} vs ${what} ${want} (rtol ${rtol})`);
    }
  }
}

// ---- size of what the playground ships
const dist = join(root, 'core/wasm/dist');
let sizeBytes = 0;
for (const f of ['gradlab_wasm_split.wasm', 'gradlab_wasm_split.mjs']) sizeBytes += gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
records.push({ workload: 'size', engine: 'gradlab-wasm', bytes_gzip: sizeBytes });

// ---- cold module load -> first trained epoch
const COLD = quick ? 3 : 5;
say('first epoch, node');
const nodeRuns = [];
for (let i = 0; i < COLD; i++) nodeRuns.push(jsonLines(sh(process.execPath, [join(root, 'tests/bench/first_epoch.mjs')]))[0]);
records.push({ workload: 'first-epoch-node', engine: 'gradlab-wasm', seconds: Math.min(...nodeRuns.map((r) => r.ms)) / 1000, final_loss: nodeRuns[0].loss });
if (browserToo) {
  say('first epoch, chromium');
  const { openBrowser } = await import('../e2e/browser.mjs');
  const { firstEpoch } = await import('./first_epoch.mjs');
  const b = await openBrowser();
  try {
    const times = [];
    let loss;
    for (let i = 0; i < COLD; i++) {
      const page = await b.browser.newPage();  // a new context: empty HTTP cache and code cache
      await page.goto(`${b.base}/bench-blank`);  // a 404 on the same origin: nothing else loaded
      // playwright sends firstEpoch's source to the page: the same code as in Node
      const r = await page.evaluate(firstEpoch, `${b.base}/core/wasm/gradlab.mjs`);
      times.push(r.ms);
      loss = r.loss;
      await page.context().close();
    }
    records.push({ workload: 'first-epoch-chromium', engine: 'gradlab-wasm', seconds: Math.min(...times) / 1000, final_loss: loss });
  } finally {
    await b.close();
  }
}

// ---- the machine, and one core's WebAssembly SIMD128 peak
const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? 'unknown';
const mhz = Math.max(...[...cpuinfo.matchAll(/cpu MHz\s*:\s*([\d.]+)/g)].map((m) => Number(m[1])));
const peak = (8 * mhz) / 1000;  // 4 float32 lanes x (mul + add) per cycle, one core, no FMA in SIMD128

// ---- table
const engines = ['gradlab-native', 'gradlab-wasm', 'torch', 'tfjs-cpu', 'tfjs-wasm', 'gradlab-native-eager', 'gradlab-wasm-eager', 'gradlab-js', 'gradlab-js-eager'];
const workloads = ['book-sgd', 'book-adam', 'playground-mlp', 'matmul-256'];
const get = (w, e) => records.find((r) => r.workload === w && r.engine === e);
const cell = (r) => {
  if (!r) return '-';
  if (r.error) return 'fails';
  const v = r.gflops !== undefined ? `${r.gflops.toFixed(2)} GF/s` : `${r.seconds.toFixed(4)} s`;
  return r.wrong ? `${v} WRONG` : v;
};
// speed ratio of gradlab-wasm over a peer: how many times faster (higher is better)
const speedup = (w, e, ours = 'gradlab-wasm') => {
  const a = get(w, ours), b = get(w, e);
  if (!a || !b || a.error || b.error) return '-';
  return `${(a.gflops !== undefined ? a.gflops / b.gflops : b.seconds / a.seconds).toFixed(1)}x`;
};
const pad = (s, n) => String(s).padEnd(n);
const W = 16;
let out = `gradlab benchmark (${quick ? 'quick: best of 2' : 'best of 5'}, float32, one thread; ${model}, ${mhz} MHz; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after; node ${V8_STEADY.join(' ')} for timed runs)\n\n`;
const cw = (e) => Math.max(W, e.length + 2);  // long engine names keep a gap
out += pad('workload', W) + engines.map((e) => pad(e, cw(e))).join('') + '\n';
for (const w of workloads) out += pad(w, W) + engines.map((e) => pad(cell(get(w, e)), cw(e))).join('') + '\n';
out += `\ngradlab-wasm speed-up (x times faster; GFLOP/s ratio for matmul-256)\n`;
const peers = ['gradlab-native', 'torch', 'tfjs-cpu', 'tfjs-wasm'];
out += pad('workload', W) + peers.map((e) => pad(`vs ${e}`, W + 4)).join('') + '\n';
for (const w of workloads) out += pad(w, W) + peers.map((e) => pad(speedup(w, e), W + 4)).join('') + '\n';
out += `\nthe book loops op by op (gradlab-wasm-eager: tensor API, a graph per epoch, as PyTorch eager)\n`;
for (const w of workloads.filter(isBook)) out += pad(w, W) + peers.map((e) => pad(speedup(w, e, 'gradlab-wasm-eager'), W + 4)).join('') + '\n';
out += `gradlab-wasm/-native rows for book-* run the session (the Run button's path); the eager columns are the same work through the tensor API\n`;
out += `\nthe shipped module through the public JS API (gradlab-js: book-* by a Session as the Run button, the rest op by op; gradlab-js-eager: the book op by op)\n`;
const jsPeers = ['gradlab-wasm', 'torch', 'tfjs-cpu', 'tfjs-wasm'];
const L = W + 4;  // room for "book-adam (eager)"
out += pad('workload', L) + jsPeers.map((e) => pad(`vs ${e}`, W + 4)).join('') + '\n';
for (const w of workloads) out += pad(w, L) + jsPeers.map((e) => pad(speedup(w, e, 'gradlab-js'), W + 4)).join('') + '\n';
for (const w of workloads.filter(isBook)) out += pad(`${w} (eager)`, L) + jsPeers.map((e) => pad(speedup(w, e === 'gradlab-wasm' ? 'gradlab-wasm-eager' : e, 'gradlab-js-eager'), W + 4)).join('') + '\n';
const mm = get('matmul-256', 'gradlab-wasm');
if (mm?.gflops) out += `\nmatmul-256 gradlab-wasm: ${mm.gflops.toFixed(2)} GFLOP/s = ${((100 * mm.gflops) / peak).toFixed(0)}% of one core's SIMD128 peak (8 flop/cycle x ${mhz} MHz from /proc/cpuinfo = ${peak.toFixed(1)} GFLOP/s)\n`;
out += `size: gradlab_wasm_split.wasm + .mjs = ${(sizeBytes / 1024).toFixed(1)} KiB gzip -9 (${sizeBytes} bytes)\n`;
for (const w of ['first-epoch-node', 'first-epoch-chromium']) {
  const r = get(w, 'gradlab-wasm');
  if (r) out += `${w}: cold module load + first epoch = ${(r.seconds * 1000).toFixed(1)} ms (best of ${COLD} fresh ${w.endsWith('node') ? 'processes' : 'browser contexts'})\n`;
}
const failed = records.filter((r) => r.error);
for (const r of failed) out += `${r.engine} ${r.workload} fails: ${r.error}\n`;
if (problems.length) out += `\nWRONG RESULTS (timings of these do not count):\n  ${problems.join('\n  ')}\n`;
else out += `\nall final losses agree with PyTorch (rtol ${PEER_RTOL}) and the book's golden values (their loss_rtol)\n`;
process.stdout.write(out);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(records, null, 1) + '\n');
process.exit(problems.length ? 1 : 0);
