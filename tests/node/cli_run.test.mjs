// `gradlab run FILE.py`: Python scripts on the WebAssembly module, printing what python3 prints.
// (tests/python/run.mjs --wasm compares every differential case; these check the CLI itself.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', '..', 'core', 'wasm', 'cli.mjs');
const scripts = join(here, '..', '..', '..', 'shared', 'scripts');
const gradlab = (args, input) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000, input });
const scratch = mkdtempSync(join(tmpdir(), 'gradlab-run-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const script = (name, text) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

describe('gradlab run', () => {
  test('the chapter\'s manual loop prints the book\'s lines (../shared/scripts/seed_autograd.py)', () => {
    const r = gradlab(['run', join(scripts, 'seed_autograd.py')]);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    const want = readFileSync(join(scripts, 'seed_autograd.out'), 'utf8').split('\n');
    const got = r.stdout.split('\n');
    assert.equal(got.length, want.length);
    // README's rule: text exactly, numbers to a relative 2e-5 or one unit of the last decimal
    got.forEach((line, i) => {
      const num = /-?\d+\.\d+/g;
      assert.equal(line.replace(num, '#'), want[i].replace(num, '#'), line);
      const a = line.match(num) ?? [], b = want[i].match(num) ?? [];
      a.forEach((x, k) => {
        const unit = 10 ** -(b[k].split('.')[1].length);
        assert.ok(Math.abs(x - b[k]) <= Math.max(2e-5 * Math.abs(b[k]), unit * (1 + 1e-9)), `${line} vs ${want[i]}`);
      });
    });
  });

  test('an uncaught exception prints Python\'s traceback on stderr and exits 1', () => {
    const path = script('boom.py', 'import torch\nw = torch.ones(2, requires_grad=True)\nprint("a")\nw.add_(1.0)\n');
    const r = gradlab(['run', path]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, 'a\n');
    assert.equal(r.stderr, `Traceback (most recent call last):\n  File "${path}", line 4, in <module>\n    w.add_(1.0)\n`
      + 'RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.\n');
  });

  test('- reads the script from standard input (File "<stdin>")', () => {
    const r = gradlab(['run', '-'], 'import torch\nprint(torch.tensor([1.5, 2.0]) * 2)\n1 / 0\n');
    assert.equal(r.stdout, 'tensor([3., 4.])\n');
    // as python3 -: no source line under a frame of <stdin>
    assert.equal(r.stderr, 'Traceback (most recent call last):\n  File "<stdin>", line 3, in <module>\nZeroDivisionError: division by zero\n');
    assert.equal(r.status, 1);
  });

  test('--timeout stops an endless script as Ctrl-C would', () => {
    const r = gradlab(['run', '--timeout', '0.5', script('loop.py', 'while True:\n    pass\n')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /KeyboardInterrupt/);
  });

  test('a missing file and bad arguments are usage errors (exit 2), never a stack trace', () => {
    const missing = gradlab(['run', join(scratch, 'nope.py')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /can't open file .*nope\.py': \[Errno 2\] No such file or directory/);
    const none = gradlab(['run']);
    assert.equal(none.status, 2);
    assert.doesNotMatch(none.stderr + none.stdout, /\n\s+at .+:\d+:\d+/);
    assert.equal(gradlab(['run', '--timeout', 'soon', 'x.py']).status, 2);
  });
});
