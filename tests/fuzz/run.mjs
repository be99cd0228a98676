#!/usr/bin/env node
// Runs every fuzz target: the libFuzzer targets (model language, CSV reader, JSON golden
// reader, Python interpreter; built with clang++ into build/fuzz, incrementally) and the JavaScript fuzzer of
// the page's URL-state decoder (state_fuzz.mjs).
//
//   node tests/fuzz/run.mjs --minutes 10      (npm run fuzz -- --minutes 10)
//   node tests/fuzz/run.mjs --seconds 15      (what npm test runs)
//   node tests/fuzz/run.mjs --only csv_fuzz,state_fuzz
//
// Each target starts from its seed corpus in tests/fuzz/corpus/<name>/ (python_fuzz: the scripts
// of tests/python/cases) plus what earlier runs
// found (build/fuzz/corpus/<name>/). A crash, leak, timeout (10 s for one input) or failed
// property stops that target; its input is saved under build/fuzz/artifacts/ and the run
// fails. Ends with "fuzz: N passed, M failed" and writes build/fuzz/summary.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { fuzzState } from './state_fuzz.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: v } = parseArgs({
  args: process.argv.slice(2),
  options: { minutes: { type: 'string' }, seconds: { type: 'string' }, only: { type: 'string' }, seed: { type: 'string' } },
});
const seconds = v.seconds ? Number(v.seconds) : Number(v.minutes ?? 1) * 60;
if (!(seconds > 0)) { console.error('usage: run.mjs --minutes N | --seconds N [--only a,b]'); process.exit(2); }

// name -> max input length (bytes)
const NATIVE = { model_fuzz: 4096, csv_fuzz: 4096, json_fuzz: 4096, python_fuzz: 4096 };
const ALL = [...Object.keys(NATIVE), 'state_fuzz'];
const only = v.only ? v.only.split(',') : ALL;
const build = join(root, 'build', 'fuzz');
const jobs = String(Math.max(1, cpus().length));

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) { console.error(`[fuzz] failed: ${cmd} ${args.join(' ')}`); process.exit(1); }
}

const native = only.filter((t) => t in NATIVE);
if (native.length) {
  if (!existsSync(join(build, 'CMakeCache.txt'))) {
    // the same configuration as .ci/setup.mjs
    sh('cmake', ['-S', '.', '-B', build, '-DCMAKE_BUILD_TYPE=RelWithDebInfo', '-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG',
      '-DCMAKE_CXX_COMPILER=clang++', '-DGRADLAB_FUZZ=ON']);
  }
  sh('cmake', ['--build', build, '-j', jobs, '--target', ...native]);
}

const results = [];
for (const name of only) {
  const t0 = Date.now();
  // the Python target's seeds are the differential test scripts themselves (one copy of each)
  const seeds = name === 'python_fuzz' ? join(root, 'tests/python/cases') : join(root, 'tests/fuzz/corpus', name.replace(/_fuzz$/, ''));
  const work = join(build, 'corpus', name);
  mkdirSync(work, { recursive: true });
  console.log(`\n[fuzz] ${name}: ${seconds} s`);
  if (name === 'state_fuzz') {
    const r = await fuzzState({ seconds, corpusDir: seeds, ...(v.seed ? { seed: Number(v.seed) } : {}) });
    results.push({ name, ok: !r.failure, execs: r.execs, seconds: r.seconds, corpus: r.corpus.length, features: r.features });
    continue;
  }
  const artifacts = join(build, 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  const r = spawnSync(join(build, 'tests', 'fuzz', name), [
    `-max_total_time=${Math.round(seconds)}`, '-timeout=10', '-rss_limit_mb=2560', `-max_len=${NATIVE[name]}`,
    '-print_final_stats=1', `-artifact_prefix=${artifacts}/${name}-`, ...(v.seed ? [`-seed=${v.seed}`] : []), work, seeds,
  ], { cwd: root, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1', UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1' } });
  const out = `${r.stdout}\n${r.stderr}`;
  const stat = (k) => Number(out.match(new RegExp(`stat::${k}:\\s+(\\d+)`))?.[1] ?? 0);
  const ok = r.status === 0;
  if (!ok) console.log(out.split('\n').filter((l) => !/^#\d+\s/.test(l)).slice(-60).join('\n'));
  else console.log(out.split('\n').filter((l) => /^(#\d+\s+DONE|stat::|INFO: seed)/.test(l)).join('\n'));
  results.push({ name, ok, execs: stat('number_of_executed_units'), seconds: (Date.now() - t0) / 1000,
    corpus: readdirSync(work).length, peakRssMb: stat('peak_rss_mb') });
}

console.log('\n[fuzz] summary');
for (const r of results) {
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(11)} ${String(r.execs).padStart(10)} executions in ${r.seconds.toFixed(0)} s (${Math.round(r.execs / r.seconds)}/s), corpus ${r.corpus}`);
}
mkdirSync(build, { recursive: true });
writeFileSync(join(build, 'summary.json'), JSON.stringify({ date: new Date().toISOString(), seconds, results }, null, 2));
const failed = results.filter((r) => !r.ok).length;
console.log(`fuzz: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
