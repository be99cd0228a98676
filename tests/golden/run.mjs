#!/usr/bin/env node
// npm run golden -- [--dir DIR] [--engine native|wasm] [--filter S]
// Runs the C++ golden checker on the native build or, compiled to WebAssembly, under Node.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const usage = 'usage: npm run golden -- [--dir DIR] [--engine native|wasm] [--filter SUBSTRING]';

export function goldenCommand(engine) {
  if (engine === 'native') return [join(root, 'build/native/tests/gradlab_golden'), []];
  return [process.execPath, [join(root, 'build/wasm/tests/gradlab_golden.js')]];
}

function main(argv) {
  let dir = process.env.GRADLAB_GOLDEN_DIR || join(root, '..', 'shared', 'golden');
  let engine = 'native';
  const extra = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dir' && argv[i + 1]) dir = argv[++i];
    else if (a === '--engine' && argv[i + 1]) engine = argv[++i];
    else if (a === '--filter' && argv[i + 1]) extra.push('--filter', argv[++i]);
    else if (a === '--help' || a === '-h') { console.log(usage); return 0; }
    else { console.error(`unknown argument '${a}'\n${usage}`); return 2; }
  }
  if (engine !== 'native' && engine !== 'wasm') { console.error(`--engine must be native or wasm\n${usage}`); return 2; }
  const [cmd, pre] = goldenCommand(engine);
  if (!existsSync(pre[0] ?? cmd)) {
    console.error(`the ${engine} build is missing: run npm run setup first`);
    return 2;
  }
  const r = spawnSync(cmd, [...pre, '--dir', resolve(dir), ...extra], { stdio: 'inherit' });
  return r.status ?? 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(main(process.argv.slice(2)));
