// torch.runPython: a Python script on the engine from the JS API.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { load } from '../../core/wasm/gradlab.mjs';

let torch;
before(async () => { torch = await load(); });

describe('torch.runPython', () => {
  test('resolves to the script\'s output, no error, no events yet', async () => {
    const printed = [];
    const r = await torch.runPython('import torch\nw = torch.tensor([1.0, 2.0], requires_grad=True)\n(w * w).sum().backward()\nprint(w.grad)\n',
      { onPrint: (t) => printed.push(t) });
    assert.deepEqual(r, { stdout: 'tensor([2., 4.])\n', stderr: '', error: null, events: [] });
    assert.deepEqual(printed, ['tensor([2., 4.])\n']);
  });

  test('an uncaught exception: its traceback in stderr and the error, and the engine goes on', async () => {
    const r = await torch.runPython('import torch\nwith torch.no_grad():\n    torch.ones(2) @ torch.ones(3)\n', { filename: 'cell.py' });
    assert.equal(r.error.type, 'RuntimeError');
    assert.equal(r.error.exitCode, 1);
    assert.match(r.stderr, /^Traceback \(most recent call last\):\n {2}File "cell\.py", line 3, in <module>\n/);
    assert.equal(torch.isGradEnabled(), true);  // the script's no_grad did not leak out
    const again = await torch.runPython('print(1 + 1)\n');
    assert.equal(again.stdout, '2\n');
  });

  test('an aborted signal refuses to start; timeoutMs stops an endless loop', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(torch.runPython('print(1)\n', { signal: ac.signal }));
    const r = await torch.runPython('while True:\n    pass\n', { timeoutMs: 300 });
    assert.equal(r.error.type, 'KeyboardInterrupt');
  });
});
