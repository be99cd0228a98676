#!/usr/bin/env node
// Writes what the op table (core/include/gradlab/ops/op_table.def) decides into the files
// that cannot read it at run time: the .d.ts entries, the editor's highlighted names and the
// README's op lists. Each sits between a `<gen:KEY>` line and a `</gen:KEY>` line; only those
// lines are rewritten. `--check` writes nothing and exits 1 when a region is stale (the
// op_table test runs it). Run after adding a row: node .ci/gen_ops.mjs (npm run gen:ops).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLE = 'core/include/gradlab/ops/op_table.def';

/** The table's rows: {name, gradFn, params, js, torch, tensor, functional, model}, and the planned names. */
export function readTable(text = readFileSync(join(root, TABLE), 'utf8')) {
  const rows = [];
  const planned = [];
  for (const line of text.split('\n')) {
    const u = /^GRADLAB_UNARY_OP\((\w+), (\w+), "([^"]*)", ([\w |]+), (\w+)\)$/.exec(line);
    if (u) {
      const ns = new Set(u[4].split('|').map((s) => s.trim()));
      for (const n of ns) {
        if (!['ns_torch', 'ns_tensor', 'ns_functional', 'ns_model'].includes(n)) throw new Error(`${TABLE}: unknown namespace ${n} in: ${line}`);
      }
      rows.push({
        name: u[1], gradFn: u[2], params: u[3], js: u[5],
        torch: ns.has('ns_torch'), tensor: ns.has('ns_tensor'), functional: ns.has('ns_functional'), model: ns.has('ns_model'),
      });
      continue;
    }
    const p = /^GRADLAB_PLANNED_OP\((\w+)\)$/.exec(line);
    if (p) planned.push(p[1]);
    else if (/^GRADLAB_(UNARY|PLANNED)_OP\(/.test(line)) throw new Error(`${TABLE}: a row this script cannot read: ${line}`);
  }
  return { rows, planned };
}

/** Each generated region's lines, by file and key. */
export function regions({ rows }) {
  const list = (f) => rows.filter(f);
  const words = (names) => names.join(', ');
  return {
    'core/wasm/gradlab.d.ts': {
      'tensor-methods': list((r) => r.tensor).map((r) => `  ${r.js}(): Tensor;`),
      functional: list((r) => r.functional).map((r) => `  ${r.name}(x: Tensor): Tensor;`),
      torch: list((r) => r.torch).map((r) => `  ${r.js}(x: Tensor): Tensor;`),
    },
    'web/src/editor.mjs': {
      functions: [`const TABLE_FUNCTIONS = [${list((r) => r.model).map((r) => `'${r.name}'`).join(', ')}];`],
    },
    'README.md': {
      'model-functions': [`elementwise (the op table): ${words(list((r) => r.model).map((r) => r.name))};`],
      'api-methods': [
        `| \`a.${list((r) => r.tensor).map((r) => `${r.name}()`).join(' ')}\`, \`torch.exp(a)\`, \`F.${list((r) => r.functional).map((r) => r.name).join('/')}(a)\` | same names${
          rows.some((r) => r.js !== r.name) ? ` (JS: ${rows.filter((r) => r.js !== r.name).map((r) => r.js).join(', ')})` : ''} |`,
      ],
    },
  };
}

/** file text with each <gen:KEY> region's body replaced; throws when a marker is missing. */
export function fill(file, text, bodies) {
  const lines = text.split('\n');
  for (const [key, body] of Object.entries(bodies)) {
    const start = lines.findIndex((l) => l.includes(`<gen:${key}>`));
    const end = lines.findIndex((l, i) => i > start && l.includes(`</gen:${key}>`));
    if (start < 0 || end < 0) throw new Error(`${file}: no <gen:${key}> ... </gen:${key}> region`);
    lines.splice(start + 1, end - start - 1, ...body);
  }
  return lines.join('\n');
}

/** The files whose regions differ from the table (written unless check). */
export function generate({ check = false } = {}) {
  const stale = [];
  for (const [file, bodies] of Object.entries(regions(readTable()))) {
    const path = join(root, file);
    const before = readFileSync(path, 'utf8');
    const after = fill(file, before, bodies);
    if (after === before) continue;
    stale.push(file);
    if (!check) writeFileSync(path, after);
  }
  return stale;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stale = generate({ check });
  if (check && stale.length) {
    console.error(`stale (run node .ci/gen_ops.mjs): ${stale.join(', ')}`);
    process.exit(1);
  }
  console.log(stale.length ? `${check ? 'stale' : 'wrote'}: ${stale.join(', ')}` : 'up to date');
}
