#!/usr/bin/env node
// node tests/bench/table.mjs FILE.json: the README's benchmark table from the records that
// `npm run bench -- --json FILE.json` wrote (times in seconds, matmul in GFLOP/s, and each
// gradlab engine's speed-up over PyTorch from the same run).
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node tests/bench/table.mjs FILE.json (from npm run bench -- --json FILE.json)\n');
  process.exit(2);
}
const records = JSON.parse(readFileSync(file, 'utf8'));
const engines = ['gradlab-native', 'gradlab-wasm', 'gradlab-js', 'torch', 'tfjs-cpu', 'tfjs-wasm', 'gradlab-wasm-eager', 'gradlab-js-eager'];
const workloads = ['book-sgd', 'book-adam', 'playground-mlp', 'matmul-256'];
const find = (w, e) => records.find((r) => r.workload === w && r.engine === e);
// a speed-up is a ratio of times, or of GFLOP/s for matmul (higher is faster)
const speed = (r) => (r ? (r.gflops !== undefined ? r.gflops : 1 / r.seconds) : undefined);
const cell = (r) => (!r ? '' : r.error ? 'error' : r.gflops !== undefined ? r.gflops.toFixed(2) : r.seconds.toFixed(4));

const lines = [];
lines.push(`| workload | ${engines.join(' | ')} | wasm / torch | js / torch |`);
lines.push(`| --- | ${engines.map(() => '---').join(' | ')} | --- | --- |`);
for (const w of workloads) {
  const unit = w === 'matmul-256' ? 'GFLOP/s' : 's';
  const torch = speed(find(w, 'torch'));
  const ratio = (e) => {
    const s = speed(find(w, e));
    return s && torch ? `${(s / torch).toFixed(1)}x` : '';
  };
  lines.push(`| ${w} (${unit}) | ${engines.map((e) => cell(find(w, e))).join(' | ')} | ${ratio('gradlab-wasm')} | ${ratio('gradlab-js')} |`);
}
const size = records.find((r) => r.workload === 'size');
if (size) lines.push('', `Shipped module (\`gradlab_wasm_split.wasm\` + \`.mjs\`, gzip -9): ${size.bytes_gzip} bytes.`);
process.stdout.write(`${lines.join('\n')}\n`);
