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

/**
 * The table's rows in order: {name, gradFn, params, js, unary, torch, tensor, functional, model}
 * (unary: a GRADLAB_UNARY_OP row, Tensor -> Tensor), and the planned names.
 */
export function readTable(text = readFileSync(join(root, TABLE), 'utf8')) {
  const rows = [];
  const planned = [];
  for (const line of text.split('\n')) {
    const u = /^GRADLAB_(UNARY_)?OP\((\w+), (\w+), "([^"]*)", ([\w |]+), (\w+)\)$/.exec(line);
    if (u) {
      const ns = new Set(u[5].split('|').map((s) => s.trim()));
      for (const n of ns) {
        if (!['ns_torch', 'ns_tensor', 'ns_functional', 'ns_model'].includes(n)) throw new Error(`${TABLE}: unknown namespace ${n} in: ${line}`);
      }
      rows.push({
        name: u[2], gradFn: u[3], params: u[4], js: u[6], unary: u[1] !== undefined,
        torch: ns.has('ns_torch'), tensor: ns.has('ns_tensor'), functional: ns.has('ns_functional'), model: ns.has('ns_model'),
      });
      continue;
    }
    const p = /^GRADLAB_PLANNED_OP\((\w+)\)$/.exec(line);
    if (p) planned.push(p[1]);
    else if (/^GRADLAB_(UNARY_|PLANNED_)?OP\(/.test(line)) throw new Error(`${TABLE}: a row this script cannot read: ${line}`);
  }
  return { rows, planned };
}

// a row's model-language form for the README: name, and its options after the operands
// ("sum(input, dim=None, keepdim=False)" -> "sum(dim=None, keepdim=False)")
function modelForm(r) {
  const opts = r.params.split(', ').filter((p) => p.includes('=') && !/^(size_average|reduce|inplace|weight|pos_weight|ignore_index|label_smoothing)=/.test(p));
  return opts.length ? `${r.name}(${opts.join(', ')})` : r.name;
}

// words joined with ', ' into lines of at most 100 characters
function wrapWords(items, last = '') {
  const lines = [''];
  items.forEach((w, i) => {
    const item = w + (i + 1 < items.length ? ',' : last);
    const cur = lines[lines.length - 1];
    if (cur && cur.length + 1 + item.length > 100) lines.push(item);
    else lines[lines.length - 1] = cur ? `${cur} ${item}` : item;
  });
  return lines;
}

/** Each generated region's lines, by file and key. */
export function regions({ rows }) {
  const list = (f) => rows.filter(f);
  // the .d.ts entries of the Tensor -> Tensor rows (the others' JS signatures take options
  // objects and overloads, written by hand next to these regions)
  const unary = (f) => list((r) => r.unary && f(r));
  const modelRows = list((r) => r.model);
  const elementwise = modelRows.filter((r) => r.unary).map((r) => r.name);
  const options = modelRows.filter((r) => !r.unary).map(modelForm);
  return {
    'core/wasm/gradlab.d.ts': {
      'tensor-methods': unary((r) => r.tensor).map((r) => `  ${r.js}(): Tensor;`),
      functional: unary((r) => r.functional).map((r) => `  ${r.name}(x: Tensor): Tensor;`),
      torch: unary((r) => r.torch).map((r) => `  ${r.js}(x: Tensor): Tensor;`),
    },
    'web/src/editor.mjs': {
      functions: [`const TABLE_FUNCTIONS = [${modelRows.map((r) => `'${r.name}'`).join(', ')}];`],
    },
    'README.md': {
      'model-functions': [
        ...wrapWords([`elementwise: ${elementwise[0]}`, ...elementwise.slice(1)], ';'),
        ...wrapWords([`with options or several operands: ${options[0]}`, ...options.slice(1)], ''),
      ],
      'api-methods': [
        `| \`a.${unary((r) => r.tensor).map((r) => `${r.name}()`).join(' ')}\`, \`torch.exp(a)\`, \`F.${unary((r) => r.functional).map((r) => r.name).join('/')}(a)\` | same names${
          rows.some((r) => r.unary && r.js !== r.name) ? ` (JS: ${rows.filter((r) => r.unary && r.js !== r.name).map((r) => r.js).join(', ')})` : ''} |`,
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
