// PyTorch's CPU random numbers, bit for bit: every line of tests/random/cases.txt runs in
// PyTorch (Debian's, /usr/bin/python3, one process for all cases) and in gradlab natively and
// in WebAssembly (tests/random/random_dump.cpp); each step's values, printed as exact bits, and
// each error message must be identical. Debian's PyTorch is 1.13: its formula for normal draws
// taken one at a time differs from 2.x's, so the builds run with --torch1.13 then; the 2.x
// formulas are checked for agreement between the builds, and in tests/cpp/random_test.cpp.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const casesFile = join(root, 'tests', 'random', 'cases.txt');
const native = join(root, 'build', 'native', 'tests', 'gradlab_random_dump');
const wasm = join(root, 'build', 'wasm', 'tests', 'gradlab_random_dump.js');
const python = '/usr/bin/python3';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

/// "i.j values" lines -> Map of case i -> array of step outputs
function steps(out) {
  const cases = new Map();
  for (const line of out.split('\n')) {
    const m = /^(\d+)\.(\d+) ?(.*)$/.exec(line);
    if (!m) continue;
    if (!cases.has(+m[1])) cases.set(+m[1], []);
    cases.get(+m[1])[+m[2]] = m[3];
  }
  return cases;
}

function firstDifference(a, b) {
  const x = a.split(' '), y = b.split(' ');
  for (let i = 0; i < Math.max(x.length, y.length); ++i)
    if (x[i] !== y[i]) return `value ${i}: ${x[i]} vs ${y[i]} (${x.length} vs ${y.length} values)`;
  return 'same values';
}

const lines = readFileSync(casesFile, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
const builds = existsSync(native) && existsSync(wasm);
let torch, version, flags, gradlab;
if (builds) {
  const out = run(python, [join(root, 'tests', 'random', 'torch_random.py'), casesFile]);
  version = /^# torch (\S+)/.exec(out)?.[1] ?? '?';
  flags = version.startsWith('1.') ? ['--torch1.13'] : [];
  torch = steps(out);
  gradlab = {
    native: steps(run(native, [casesFile, ...flags])),
    wasm: steps(run(process.execPath, [wasm, casesFile, ...flags])),
  };
}

test('both builds of random_dump exist and PyTorch ran every case', () => {
  assert.ok(builds, 'build/native and build/wasm need gradlab_random_dump (npm run setup)');
  assert.equal(torch.size, lines.length);
});

lines.forEach((line, i) => {
  test(`case ${i} (torch ${version}): ${line.slice(0, 90)}`, () => {
    const want = torch.get(i);
    assert.ok(want, 'PyTorch printed nothing for this case');
    const names = line.split(';').map((s) => s.trim());
    for (const [build, got] of Object.entries(gradlab)) {
      const have = got.get(i) ?? [];
      assert.equal(have.length, want.length, `${build}: number of steps`);
      want.forEach((w, j) => {
        if (have[j] !== w)
          assert.fail(`${build}, step ${j} (${names[j]}): ${firstDifference(have[j] ?? '', w)}`);
      });
    }
  });
});

test("PyTorch 2.x's formulas: the same draws natively and in WebAssembly", () => {
  if (!builds) assert.fail('builds missing');
  assert.equal(run(process.execPath, [wasm, casesFile]), run(native, [casesFile]));
});

test('log, log1p, sin and cos: the same bits natively (glibc) and in WebAssembly, 2^20 inputs', () => {
  if (!builds) assert.fail('builds missing');
  const n = String(1 << 20);
  const a = run(native, ['--libm', n]).split('\n'), b = run(process.execPath, [wasm, '--libm', n]).split('\n');
  assert.equal(a.length, 17);
  a.forEach((block, k) => assert.equal(b[k], block, `block ${k} of 2^16 inputs`));
});
