// The npm package as users get it: the declarations type-check a usage file, and the tarball
// from `npm pack`, installed in a scratch folder outside the repository, trains the book.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { golden } from './golden.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const book = golden('book');
// npm's --json output, past any lines a lifecycle script printed first
const json = (text) => JSON.parse(text.slice(Math.max(0, text.search(/^\[/m))));
const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('TypeScript declarations', () => {
  test('tsc --noEmit type-checks tests/node/types-usage.ts against gradlab.d.ts', () => {
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', join(root, 'tests/node/tsconfig.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
  test('and rejects a misuse (the check can fail)', () => {
    const dir = mkdtempSync(join(root, 'tests', 'node', '.tsbad-'));
    try {
      writeFileSync(join(dir, 'bad.ts'), "import { load } from 'gradlab';\nconst torch = await load();\nconst s: string = torch.tensor([1]).item();\nvoid torch.optim.NoSuchOptimizer;\n");
      const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', join(dir, 'bad.ts')], { encoding: 'utf8' });
      assert.notEqual(r.status, 0);
      assert.match(r.stdout, /TS2322/);
      assert.match(r.stdout, /NoSuchOptimizer/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm pack, then npm install elsewhere', () => {
  let scratch;
  let tarball;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'gradlab-pack-'));
    const out = json(npm(['pack', '--json', '--pack-destination', scratch], root));
    tarball = join(scratch, out[0].filename);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('the tarball holds the API, the declarations, the CLI and both engine builds', (t) => {
    const files = json(npm(['pack', '--dry-run', '--json'], root))[0].files.map((f) => f.path);
    for (const f of ['package.json', 'core/wasm/gradlab.mjs', 'core/wasm/gradlab.d.ts', 'core/wasm/single.mjs', 'core/wasm/cli.mjs',
      'core/wasm/loader.mjs', 'core/wasm/dist/gradlab_wasm_split.mjs', 'core/wasm/dist/gradlab_wasm_split.wasm',
      'core/wasm/dist/gradlab_wasm_single.mjs']) {
      assert.ok(files.includes(f), `${f} missing from the tarball`);
    }
    assert.ok(!files.some((f) => f.startsWith('build/') || f.startsWith('tests/')), 'build outputs or tests in the tarball');
    t.diagnostic(`tarball ${statSync(tarball).size} bytes, ${files.length} files`);
  });

  test('installed in a scratch project, snippet.mjs prints the book\'s gradient; npx gradlab trains', () => {
    const proj = join(scratch, 'user-project');
    execFileSync('mkdir', ['-p', proj]);
    writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', type: 'module', private: true }));
    npm(['install', tarball], proj);
    writeFileSync(join(proj, 'snippet.mjs'), `import { load } from 'gradlab';
import { load as loadSingle } from 'gradlab/single';
const data = JSON.parse(process.argv[2]);
for (const torch of [await load(), await loadSingle()]) {
  const t_u = torch.tensor(data.t_u);
  const t_c = torch.tensor(data.t_c);
  const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
  const [w, b] = params.unbind();
  const loss = w.mul(t_u).add(b).sub(t_c).pow(2).mean();
  loss.backward();
  console.log(String(params.grad));
}
`);
    const data = JSON.stringify({ t_u: book.data.t_u.data, t_c: book.data.t_c.data });
    const out = execFileSync(process.execPath, ['snippet.mjs', data], { cwd: proj, encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(out, [book.first_grad.printed, book.first_grad.printed]);

    const bin = join(proj, 'node_modules', '.bin', 'gradlab');
    const r = spawnSync(bin, ['train', '--optimizer', 'SGD', '--lr', '1e-2', '--epochs', '5000', '--input', 't_un'], { cwd: proj, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').at(-1), book.book_printed.sgd_t_un_5000_params);
    const bad = spawnSync(bin, ['train', '--nope'], { cwd: proj, encoding: 'utf8' });
    assert.equal(bad.status, 2);

    // the shipped declarations resolve for a TypeScript user too
    writeFileSync(join(proj, 'use.ts'), "import { load, type Tensor } from 'gradlab';\nconst torch = await load();\nconst t: Tensor = torch.tensor([1]);\nconst n: number = t.item();\nvoid n;\n");
    const ts = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', 'use.ts'], { cwd: proj, encoding: 'utf8' });
    assert.equal(ts.status, 0, ts.stdout + ts.stderr);
    assert.equal(JSON.parse(readFileSync(join(proj, 'node_modules', 'gradlab', 'package.json'), 'utf8')).name, 'gradlab');
  });
});
