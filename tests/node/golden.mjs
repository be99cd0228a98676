// Loads PyTorch's reference values by path (GRADLAB_GOLDEN_DIR, default ../shared/golden).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const goldenDir = process.env.GRADLAB_GOLDEN_DIR
  || join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'golden');

export function golden(name) {
  return JSON.parse(readFileSync(join(goldenDir, `${name}.json`), 'utf8'));
}

/** Golden numbers may be "inf", "-inf" or "nan" strings. */
export const num = (v) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : v);

export function assertClose(assert, got, want, rtol, what = 'value') {
  const w = num(want);
  if (Number.isNaN(w)) return assert.ok(Number.isNaN(got), `${what}: ${got}, PyTorch nan`);
  if (!Number.isFinite(w)) return assert.equal(got, w, what);
  assert.ok(Math.abs(got - w) <= rtol * Math.abs(w), `${what}: ${got}, PyTorch ${w} (rtol ${rtol})`);
}
