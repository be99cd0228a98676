#!/usr/bin/env node
// npm test's runner (after set-up): every suite, each against the real builds.
//   1. Catch2 natively through CTest        2. Catch2 compiled to WASM, under Node, through CTest
//   3. golden checker, native and WASM      4. Node tests of the JS API and CLI
//   5. browser tests in Debian's Chromium     5b. the Python interpreter against CPython (tests/python),
//      natively and on the WebAssembly module through `gradlab run`
//   6. Catch2 natively under AddressSanitizer + UndefinedBehaviorSanitizer (build/asan)
//   7. every fuzz target for a short fixed time (tests/fuzz/run.mjs; longer: npm run fuzz)
// Ends with one line: "total: N passed, M failed, K skipped".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, GRADLAB_GOLDEN_DIR: process.env.GRADLAB_GOLDEN_DIR || join(root, '..', 'shared', 'golden') };
const totals = { passed: 0, failed: 0, skipped: 0 };
const results = [];

function suite(name, cmd, args, parse) {
  console.log(`\n=== ${name} ===`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  const counts = parse(`${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  if (r.status !== 0 && counts.failed === 0) counts.failed = 1;  // a crash counts as a failure
  if (counts.passed + counts.failed === 0) counts.failed = 1;     // so does running nothing
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  results.push({ name, ...counts, seconds: ((Date.now() - t0) / 1000).toFixed(1) });
}

const ctest = (out) => {
  const m = out.match(/(\d+)% tests passed, (\d+) tests failed out of (\d+)/);
  return m ? { passed: +m[3] - +m[2], failed: +m[2], skipped: 0 } : { passed: 0, failed: 0, skipped: 0 };
};
const golden = (out) => {
  const m = out.match(/^(\d+) passed, (\d+) failed, (\d+) skipped$/m);
  return m ? { passed: +m[1], failed: +m[2], skipped: +m[3] } : { passed: 0, failed: 0, skipped: 0 };
};
const nodeTest = (out) => {
  const n = (k) => +(out.match(new RegExp(`^# ${k} (\\d+)$`, 'm'))?.[1] ?? 0);
  return { passed: n('pass'), failed: n('fail') + n('cancelled'), skipped: n('skipped') + n('todo') };
};
// Catch2's own summary; any sanitizer report fails the run even if the tests passed
const catch2Sanitized = (out) => {
  const all = out.match(/All tests passed \((\d+) assertions? in (\d+) test cases?\)/);
  const some = out.match(/test cases:\s+(\d+) \|\s+(\d+) passed \|\s+(\d+) failed/);
  const counts = all ? { passed: +all[2], failed: 0, skipped: 0 } : some ? { passed: +some[2], failed: +some[3], skipped: 0 } : { passed: 0, failed: 0, skipped: 0 };
  const reports = (out.match(/ERROR: (AddressSanitizer|LeakSanitizer)|runtime error: /g) ?? []).length;
  if (reports) console.log(`sanitizer reports: ${reports}`);
  counts.failed += reports;
  return counts;
};
const python = (out) => {
  const m = out.match(/^python: (\d+) passed, (\d+) failed$/m);
  return m ? { passed: +m[1], failed: +m[2], skipped: 0 } : { passed: 0, failed: 0, skipped: 0 };
};
const fuzz = (out) => {
  const m = out.match(/^fuzz: (\d+) passed, (\d+) failed$/m);
  return m ? { passed: +m[1], failed: +m[2], skipped: 0 } : { passed: 0, failed: 0, skipped: 0 };
};
const testFiles = (dir) => readdirSync(join(root, dir)).filter((f) => f.endsWith('.test.mjs')).map((f) => join(dir, f));

const jobs = String(Math.max(1, cpus().length));
suite('Catch2 (native, CTest)', 'ctest', ['--test-dir', 'build/native', '--output-on-failure', '-j', jobs], ctest);
suite('Catch2 (WebAssembly under Node, CTest)', 'ctest', ['--test-dir', 'build/wasm', '--output-on-failure', '-j', jobs], ctest);
suite('golden checker (native)', process.execPath, ['tests/golden/run.mjs', '--engine', 'native'], golden);
suite('golden checker (WebAssembly)', process.execPath, ['tests/golden/run.mjs', '--engine', 'wasm'], golden);
suite('Python vs CPython (native runner)', process.execPath, ['tests/python/run.mjs'], python);
suite('Python vs CPython (WebAssembly, gradlab run)', process.execPath, ['tests/python/run.mjs', '--wasm'], python);
suite('Node: JS API and CLI', process.execPath, ['--test', '--test-reporter=tap', ...testFiles('tests/node')], nodeTest);
suite('browser (Chromium)', process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=tap', ...testFiles('tests/e2e')], nodeTest);

env.ASAN_OPTIONS = 'detect_leaks=1:abort_on_error=0:halt_on_error=1';
env.UBSAN_OPTIONS = 'halt_on_error=1:print_stacktrace=1';
suite('Catch2 (native, ASan + UBSan)', 'build/asan/tests/gradlab_tests', [], catch2Sanitized);
suite('fuzz targets (short run each)', process.execPath, ['tests/fuzz/run.mjs', '--seconds', process.env.GRADLAB_FUZZ_SECONDS || '10'], fuzz);

console.log('\n=== summary ===');
for (const r of results) console.log(`${r.name.padEnd(42)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (${r.seconds}s)`);
console.log(`total: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed ? 1 : 0);
