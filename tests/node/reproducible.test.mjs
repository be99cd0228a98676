// The same inputs give bit-identical runs natively and in WebAssembly: every preset, trained
// with its defaults through the session, prints the exact bits of its data and records.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const native = join(root, 'build', 'native', 'tests', 'gradlab_trace');
const wasm = join(root, 'build', 'wasm', 'tests', 'gradlab_trace.js');

test('every preset trains to the same bits natively and in WebAssembly', () => {
  assert.ok(existsSync(native) && existsSync(wasm), 'both builds of gradlab_trace are needed (npm run setup)');
  const a = spawnSync(native, ['300'], { encoding: 'utf8' });
  const b = spawnSync(process.execPath, [wasm, '300'], { encoding: 'utf8' });
  assert.equal(a.status, 0, a.stderr);
  assert.equal(b.status, 0, b.stderr);
  const lines = a.stdout.trim().split('\n');
  assert.ok(lines.length >= 7, a.stdout);  // thermometer ... gaussian
  for (const line of lines) assert.match(line, / epochs=300 errors=0 /);
  assert.equal(b.stdout, a.stdout);
});
