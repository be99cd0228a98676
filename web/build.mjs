#!/usr/bin/env node
// Bundles with esbuild into web/dist/:
// - app.js + app.css: the playground page (web/src/main.mjs and its npm packages: CodeMirror,
//   uPlot, dagre, d3-contour). The engine worker (web/worker.mjs) and the engine modules
//   (core/wasm/) are served unbundled.
// - gradlab-embed.js: the embed widgets (web/embed/index.mjs), self-contained: the engine's
//   .wasm inlined as base64 (handed to the glue as wasmBinary: see web/embed/local-engine.mjs
//   for why not the single-file glue) and every style sheet as text, for the widgets' shadow
//   roots. A blog copies this one file.
// Skips the build when web/dist is newer than every input (pass --force to rebuild;
// --no-minify for readable bundles).
import { copyFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const root = join(web, '..');
const dist = join(web, 'dist');
const wasm = join(root, 'core', 'wasm', 'dist', 'gradlab_wasm_split.wasm');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const stale = (out, inputs) => process.argv.includes('--force') || !existsSync(out) || mtime(out) < Math.max(...inputs);

const common = [newest(join(web, 'src')), mtime(join(root, 'core', 'wasm', 'diagnosis.mjs')), mtime(join(root, 'package-lock.json')),
  mtime(fileURLToPath(import.meta.url))];
// --no-minify: readable bundles, for profiling (function names in the browser's profiles)
const base = { bundle: true, format: 'esm', minify: !process.argv.includes('--no-minify'), target: ['es2022'], legalComments: 'none', logLevel: 'warning' };
let esbuild = null;
const builder = async () => (esbuild ??= await import('esbuild'));

if (stale(join(dist, 'app.js'), common)) {
  await (await builder()).build({ ...base, entryPoints: { app: join(web, 'src', 'main.mjs') }, outdir: dist });
  console.log('[web] built web/dist/app.js');
} else {
  console.log('[web] web/dist/app.js is up to date');
}

// The embed bundle needs the engine (built by the wasm build: gradlab_wasm_split).
const embedInputs = [...common, newest(join(web, 'embed')), mtime(join(web, 'views.css')), mtime(wasm),
  newest(join(root, 'core', 'wasm')) /* the JS API modules */];
if (!existsSync(wasm)) {
  console.log('[web] skipped web/dist/gradlab-embed.js: core/wasm/dist/gradlab_wasm_split.wasm is not built');
} else if (stale(join(dist, 'gradlab-embed.js'), embedInputs) || !existsSync(join(dist, 'gradlab-embed-split.js')) || !existsSync(join(dist, 'gradlab-embed.wasm'))) {
  // loader.mjs imports both builds; the embed ships only one engine (split glue + inlined bytes)
  const oneEngine = {
    name: 'one-engine',
    setup(b) {
      b.onResolve({ filter: /gradlab_wasm_single\.mjs$/ }, () => ({ path: 'single', namespace: 'no-single' }));
      b.onLoad({ filter: /.*/, namespace: 'no-single' }, () => ({ contents: 'export default () => { throw new Error("gradlab-embed.js inlines the split build"); };' }));
    },
  };
  const embedBuild = {
    ...base,
    entryPoints: { 'gradlab-embed': join(web, 'embed', 'index.mjs') },
    outdir: dist,
    loader: { '.css': 'text', '.wasm': 'binary' },
    external: ['node:*', 'module', 'fs', 'path', 'url', 'crypto', 'worker_threads'],  // Node-only branches of the engine glue, never taken in a browser
    plugins: [oneEngine],
    logOverride: { 'ignored-bare-import': 'silent' },  // charts.mjs's CSS import: the page's; the widgets adopt the text
  };
  await (await builder()).build(embedBuild);
  console.log('[web] built web/dist/gradlab-embed.js');
  // The two-file variant: the same bundle without the bytes, and the .wasm beside it
  const noBytes = {
    name: 'no-bytes',
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, () => ({ path: 'wasm', namespace: 'no-bytes' }));
      b.onLoad({ filter: /.*/, namespace: 'no-bytes' }, () => ({ contents: 'export default null;' }));
    },
  };
  await (await builder()).build({ ...embedBuild, entryPoints: { 'gradlab-embed-split': join(web, 'embed', 'index.mjs') }, plugins: [oneEngine, noBytes] });
  copyFileSync(wasm, join(dist, 'gradlab-embed.wasm'));
  console.log('[web] built web/dist/gradlab-embed-split.js + gradlab-embed.wasm');
} else {
  console.log('[web] web/dist/gradlab-embed.js is up to date');
}
