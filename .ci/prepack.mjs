#!/usr/bin/env node
// npm pack / npm publish: the tarball ships the built engine (core/wasm/dist). Builds it with
// the project's set-up when a file is missing or older than the C++ sources it comes from.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = ['gradlab_wasm_split.mjs', 'gradlab_wasm_split.wasm', 'gradlab_wasm_single.mjs'].map((f) => join(root, 'core/wasm/dist', f));

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(cpp|hpp|h)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const sources = newestSource(join(root, 'core'));
const stale = built.filter((f) => !existsSync(f) || statSync(f).mtimeMs < sources);
if (stale.length) {
  console.error(`[prepack] building the engine (${stale.length} file(s) missing or stale)`);
  const r = spawnSync(process.execPath, [join(root, '.ci/setup.mjs')], { stdio: ['ignore', process.stderr, process.stderr] });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const still = built.filter((f) => !existsSync(f));
  if (still.length) {
    console.error(`[prepack] still missing after the build: ${still.join(', ')}`);
    process.exit(1);
  }
}
console.error('[prepack] engine build is up to date');
