#!/usr/bin/env node
// Bundles the playground page (web/src/main.mjs and its npm packages: CodeMirror, uPlot,
// dagre, d3-contour) into web/dist/app.js + app.css with esbuild. The engine worker
// (web/worker.mjs) and the engine modules (core/wasm/) are served unbundled.
// Skips the build when web/dist is newer than every input (pass --force to rebuild).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const root = join(web, '..');
const out = join(web, 'dist', 'app.js');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const inputs = Math.max(newest(join(web, 'src')), statSync(join(root, 'package-lock.json')).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs);
if (!process.argv.includes('--force') && existsSync(out) && statSync(out).mtimeMs >= inputs) {
  console.log('[web] web/dist is up to date');
} else {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: { app: join(web, 'src', 'main.mjs') },
    outdir: join(web, 'dist'),
    bundle: true,
    format: 'esm',
    minify: true,
    target: ['es2022'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  console.log('[web] built web/dist/app.js');
}
