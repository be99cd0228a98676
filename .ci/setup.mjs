#!/usr/bin/env node
// One set-up for `npm start`, `npm test` and CI: system packages (apt, when missing),
// npm packages, then the native and WebAssembly builds (incremental: make rebuilds only
// what changed). Uses only Node's standard library, since it runs before `npm ci`.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jobs = String(Math.max(1, cpus().length));
const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };  // emcc's JS optimizer needs acorn
const log = (msg) => console.log(`[setup] ${msg}`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...opts });
  if (r.status !== 0) {
    console.error(`[setup] failed: ${cmd} ${args.join(' ')}`);
    process.exit(r.status ?? 1);
  }
}

// ---- system packages: what each needs, and how to tell it is there
const SYSTEM = [
  { pkg: 'cmake', present: () => existsSync('/usr/bin/cmake') },
  { pkg: 'g++', present: () => existsSync('/usr/bin/g++') },
  { pkg: 'ccache', present: () => existsSync('/usr/bin/ccache') },
  { pkg: 'emscripten', present: () => existsSync('/usr/bin/emcc') },
  { pkg: 'xtensor-dev', present: () => existsSync('/usr/include/xtensor/xarray.hpp') },
  { pkg: 'catch2', present: () => existsSync('/usr/include/catch2/catch.hpp') },
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  { pkg: 'clang', present: () => existsSync('/usr/bin/clang++') },
  { pkg: 'python3-torch', present: () => spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0 },
];

const missing = SYSTEM.filter((s) => !s.present()).map((s) => s.pkg);
if (missing.length) {
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() === 0) {
    log(`installing system packages: ${missing.join(' ')}`);
    run('apt-get', ['update', '-q']);
    run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], {
      env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } else {
    console.error(`[setup] missing system packages: ${missing.join(' ')}\n[setup] run as root:\n  sudo sh -c '${cmd}'`);
    process.exit(1);
  }
}

// ---- npm packages (node_modules/.package-lock.json is npm's own record of the last install)
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs)) {
  log('installing npm packages');
  run('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund']);
}

// ---- builds: configure once, then let make decide what is stale
function build(dir, configure, targets = []) {
  if (!existsSync(join(root, dir, 'CMakeCache.txt'))) {
    log(`configuring ${dir}`);
    run(configure[0], configure.slice(1));
  }
  log(`building ${dir}${targets.length ? ` (${targets.join(', ')})` : ''}`);
  run('cmake', ['--build', dir, '-j', jobs, ...(targets.length ? ['--target', ...targets] : [])]);
}

build('build/native', ['cmake', '-S', '.', '-B', 'build/native', '-DCMAKE_BUILD_TYPE=Release']);
build('build/wasm', ['emcmake', 'cmake', '-S', '.', '-B', 'build/wasm', '-DCMAKE_BUILD_TYPE=Release',
  '-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node']);
// the Catch2 suite again under AddressSanitizer + UndefinedBehaviorSanitizer (g++; -O2 with
// line tables, so reports name file and line)
build('build/asan', ['cmake', '-S', '.', '-B', 'build/asan', '-DCMAKE_BUILD_TYPE=RelWithDebInfo',
  '-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG', '-DGRADLAB_SANITIZE=ON'], ['gradlab_tests']);
// the libFuzzer targets (clang++, ASan + UBSan + coverage); tests/fuzz/run.mjs runs them
build('build/fuzz', ['cmake', '-S', '.', '-B', 'build/fuzz', '-DCMAKE_BUILD_TYPE=RelWithDebInfo',
  '-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG', '-DCMAKE_CXX_COMPILER=clang++', '-DGRADLAB_FUZZ=ON'],
  ['model_fuzz', 'csv_fuzz', 'json_fuzz']);
// ---- the playground page bundle (web/dist), rebuilt only when its sources changed
run('node', ['web/build.mjs']);
log('ready');
