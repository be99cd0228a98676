// Memory and error hygiene of the JS API: users never call .delete(), yet long loops keep the
// WebAssembly heap flat, errors leak nothing, and unreachable tensors are finalized.
// GRADLAB_MEMORY_STEPS sets the long loops' length (default 1,000,000, as the brief asks).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { load } from '../../core/wasm/gradlab.mjs';
import { loadSession } from '../../core/wasm/session.mjs';
import { t_c as C, t_u as U } from '../../core/wasm/thermometer.mjs';
import { golden } from './golden.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const MB = 1024 * 1024;
const traps = golden('traps');
const STEPS = Number(process.env.GRADLAB_MEMORY_STEPS || 1_000_000);
let torch;
let api;
before(async () => { torch = await load(); api = await loadSession(); });

const heap = () => ({ bytes: torch.heapBytes(), used: torch.heapUsedBytes() });

const here = new URL('.', import.meta.url);
// the lines of the README's loop, as tests/node/readme_loop.mjs runs them
const loopLines = (text, begin, end) => {
  const lines = text.split('\n').map((l) => l.trim());
  const from = lines.findIndex((l) => begin.test(l));
  const to = lines.findIndex((l, i) => i > from && end.test(l));
  assert.ok(from >= 0 && to > from, 'loop markers found');
  return lines.slice(from + 1, to).filter((l) => l && !l.startsWith('//'));
};

describe('memory', () => {
  test(`the README's loop as a learner writes it (no tidy, no gc), ${STEPS.toLocaleString('en')} epochs: heap < 64 MB, RSS growth < 100 MB`, (t) => {
    // the same lines as in the README's "Node API and CLI" (up to the epoch count)
    const readme = readFileSync(new URL('../../README.md', here), 'utf8');
    const inReadme = loopLines(readme.slice(readme.indexOf('## Node API and CLI')), /^```js$/, /^```$/)
      .filter((l) => !/^(import|const torch|console\.log)/.test(l)).map((l) => l.replace(/\b5000\b/, 'epochs'));
    const inScript = loopLines(readFileSync(new URL('readme_loop.mjs', here), 'utf8'), /README loop begins/, /README loop ends/);
    assert.deepEqual(inScript, inReadme);
    // its own process: no --expose-gc, no gc() calls, nothing else in its heap
    const out = execFileSync(process.execPath, [new URL('readme_loop.mjs', here).pathname, String(STEPS)], { encoding: 'utf8', maxBuffer: 1 << 20, timeout: 900_000 });
    const r = JSON.parse(out.trim().split('\n').pop());
    const MB = 1024 * 1024;
    t.diagnostic(`${r.epochs} epochs in ${r.seconds.toFixed(1)} s wall, ${r.cpuSeconds.toFixed(1)} s CPU (${(r.seconds / r.epochs * 1e6).toFixed(1)} us/epoch); `
      + `WebAssembly memory ${(r.heapBytes / MB).toFixed(1)} MB (${(r.heapUsedBytes / MB).toFixed(2)} MB in use); RSS ${(r.rssBefore / MB).toFixed(0)} MB before, `
      + `peak ${(r.maxRss / MB).toFixed(0)} MB, after ${(r.rssAfter / MB).toFixed(0)} MB; ${JSON.stringify(r.stats)}`);
    assert.ok(r.heapBytes < 64 * MB, `WebAssembly memory ${r.heapBytes}`);
    assert.ok(r.maxRss - r.rssBefore < 100 * MB, `RSS grew from ${r.rssBefore} to a peak of ${r.maxRss}`);
    // and it trained: the book's result (PyTorch's epochs are checked in api.test.mjs)
    assert.ok(Math.abs(r.params[0] - 5.367) < 1e-2 && Math.abs(r.params[1] + 17.30) < 0.05, r.printed);
  });

  test(`${STEPS.toLocaleString('en')} training steps through the JS API keep the heap flat`, (t) => {
    const t_c = torch.tensor(C);
    const x = torch.tensor(U).mul(0.1);
    const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
    const opt = new torch.optim.SGD([params], { lr: 1e-2 });
    const warmup = Math.min(1000, STEPS / 10);
    let warm = null;
    let peak = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < STEPS; i++) {
      torch.tidy(() => {
        const [w, b] = params.unbind();
        const loss = w.mul(x).add(b).sub(t_c).pow(2).mean();
        opt.zeroGrad();
        loss.backward();
        opt.step();
      });
      if (i === warmup) warm = heap();
      if (warm && i % 1000 === 0) peak = Math.max(peak, torch.heapUsedBytes());
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const end = heap();
    t.diagnostic(`${STEPS} steps in ${seconds.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU (${(seconds / STEPS * 1e6).toFixed(1)} us/step); `
      + `malloc'd bytes after warm-up ${warm.used}, peak ${peak}, final ${end.used}; wasm memory ${warm.bytes} -> ${end.bytes}`);
    assert.ok(end.bytes - warm.bytes <= MB, `wasm memory grew from ${warm.bytes} to ${end.bytes}`);
    assert.ok(peak - warm.used <= MB && end.used - warm.used <= MB, `heap use grew: ${warm.used} -> peak ${peak}, final ${end.used}`);
    // and it trained: the book's parameters (PyTorch's values are checked in api.test.mjs)
    assert.ok(Math.abs(params.toArray()[0] - 5.367) < 1e-2, String(params));
  });

  test(`${STEPS.toLocaleString('en')} training steps through the session keep the heap flat`, (t) => {
    // The session records every epoch (loss, lr, parameters, .grad: the views' history), so a
    // run's records grow by design. The steps run as runs of 5,000 epochs, each followed by
    // reset(), which drops the records: at every reset the heap must be back where it was
    // after warm-up. A leak of even one byte per step would show as ~1 MB over the run.
    const s = new api.Session();
    s.loadPreset('thermometer');
    const CHUNK = Math.min(5000, STEPS);  // the book's run
    const cycles = Math.max(2, Math.round(STEPS / CHUNK));
    let warm = null;
    let peak = 0;
    let worst = 0;
    const t0 = performance.now();
    for (let c = 0; c < cycles; c++) {
      for (let done = 0; done < CHUNK; done += 1000) assert.equal(s.run(Math.min(1000, CHUNK - done)), true);
      peak = Math.max(peak, torch.heapUsedBytes());
      assert.equal(s.epoch, CHUNK);
      if (c === cycles - 1) break;  // the last cycle's records stay: the run is checked below
      s.reset();
      if (c === 0) warm = heap();
      else worst = Math.max(worst, Math.abs(torch.heapUsedBytes() - warm.used));
    }
    const seconds = (performance.now() - t0) / 1000;
    const recs = s.records();
    assert.ok(recs.loss[recs.loss.length - 1] < recs.loss[0] / 10, `it trained: loss ${recs.loss[0]} -> ${recs.loss[recs.loss.length - 1]}`);
    s.reset();
    const end = heap();
    t.diagnostic(`${cycles * CHUNK} session steps (${cycles} runs of ${CHUNK}) in ${seconds.toFixed(1)} s (${(seconds / (cycles * CHUNK) * 1e6).toFixed(2)} us/step); `
      + `malloc'd bytes after warm-up ${warm.used}, peak ${peak} (one run's records), final ${end.used}, largest drift at a reset ${worst}; wasm memory ${warm.bytes} -> ${end.bytes}`);
    assert.ok(end.bytes - warm.bytes <= MB, `wasm memory grew from ${warm.bytes} to ${end.bytes}`);
    assert.ok(worst <= MB && Math.abs(end.used - warm.used) <= MB, `heap use drifted: ${warm.used} -> final ${end.used} (worst ${worst})`);
    assert.ok(peak - warm.used <= MB, `peak ${peak} vs warm ${warm.used}`);
    s.dispose();
  });

  test('heavy ops and graph views leak no embind temporaries', () => {
    const W = torch.tensor([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], { requiresGrad: true, dtype: 'float64' });
    const opt = new torch.optim.Adam([W], { lr: 0.01 });
    const sched = new torch.optim.lr_scheduler.StepLR(opt, { stepSize: 10 });
    const round = () => torch.tidy(() => {
      const rows = W.unbind();
      const s = torch.stack(rows).add(torch.cat(rows).reshape(3, 2));
      const { values } = s.max(1, true);
      const e = torch.nn.functional.embedding([[0, 2], [1, 1]], W);
      const loss = values.sum().add(e.pow(2).mean()).add(torch.nn.functional.cross_entropy(s, [0, 1, 1]));
      const walk = (node, depth) => { if (node && depth < 20) for (const [n] of node.nextFunctions) walk(n, depth + 1); };
      walk(loss.gradFn, 0);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      sched.step();
      void opt.paramGroups[0].params[0].shape;
      void opt.state(W).exp_avg.item;
      void sched.getLastLr();
      void String(W.grad);
    });
    for (let i = 0; i < 300; i++) round();
    const warm = heap();
    for (let i = 0; i < 3000; i++) round();
    const end = heap();
    assert.equal(end.bytes, warm.bytes);
    assert.ok(end.used - warm.used <= 64 * 1024, `heap use grew ${warm.used} -> ${end.used}`);
  });

  test('without tidy or dispose, tensors the engine must keep (graphs before backward) are freed by the finalization registry', async () => {
    await sleep(0);  // the previous tests' young tensors are retired
    const before = torch.heapUsedBytes();
    const w = torch.tensor(2.0, { requiresGrad: true, dtype: 'float64' });
    (() => {
      const big = [];
      // each holds a graph that saved its input (~1 MB a step): nothing may move them out
      for (let i = 0; i < 100; i++) big.push(torch.zeros([256, 256], { dtype: 'float64' }).add(1).mul(w));
    })();
    const peak = torch.heapUsedBytes();
    assert.ok(peak - before > 50 * MB, `allocated ${peak - before}`);
    for (let i = 0; i < 20 && torch.heapUsedBytes() - before > MB; i++) {
      gc();
      await sleep(10);
    }
    const after = torch.heapUsedBytes();
    assert.ok(after - before <= MB, `after GC ${after - before} bytes remain (peak ${peak - before})`);
  });

  test('big tensors made in a loop and dropped: the heap stays within the young set, nothing is killed', () => {
    const before = torch.heapUsedBytes();
    let peak = 0;
    for (let i = 0; i < 8; i++) {
      torch.zeros([2 ** 25]).add(1);  // 128 MB each, twice: 2 GB in all through a 2 GB heap
      peak = Math.max(peak, torch.heapUsedBytes());
    }
    assert.ok(peak - before < 300 * MB, `heap use peaked ${peak - before} bytes above the start`);
  });

  test('dispose() frees at once and a disposed tensor says so', () => {
    const before = torch.heapUsedBytes();
    const t = torch.zeros([512, 512], { dtype: 'float64' });
    assert.ok(torch.heapUsedBytes() - before >= 2 * MB);
    t.dispose();
    assert.ok(torch.heapUsedBytes() - before < 64 * 1024);
    assert.throws(() => t.item(), (e) => e.name === 'RuntimeError' && /disposed/.test(e.message));
  });
});

describe('errors', () => {
  test('100,000 engine errors: each a thrown GradlabError, the heap unchanged, the engine working', (t) => {
    const a = torch.tensor([1, 2, 3]);
    const b = torch.tensor([1, 2, 3, 4]);
    const p = torch.tensor([1.0, 0.0], { requiresGrad: true });
    const kinds = [
      [() => a.add(b), 'RuntimeError'],
      [() => a.item(), 'RuntimeError'],
      [() => new torch.optim.SGD([p], { lr: -0.1 }), 'ValueError'],
      [() => new torch.optim.Adam([p], { nosuch: 1 }), 'TypeError'],
      [() => a.mul(2).backward(), 'RuntimeError'],
      [() => a.select(0, 7), 'IndexError'],
      [() => torch.tensor([1], { dtype: 'int8' }), 'ValueError'],
    ];
    let peak = 0;
    const run = (n) => {
      for (let i = 0; i < n; i++) {
        if (i % 1000 === 0) peak = Math.max(peak, torch.heapUsedBytes());
        const [fn, type] = kinds[i % kinds.length];
        try {
          torch.tidy(fn);  // frees what the failing expression built before its error (a.mul(2) ...)
        } catch (e) {
          if (!(e instanceof torch.GradlabError) || e.name !== type) throw new Error(`case ${i % kinds.length}: got ${e.name}: ${e.message}, want ${type}`);
          continue;
        }
        throw new Error(`case ${i % kinds.length} did not throw`);
      }
    };
    run(1000);
    const warm = heap();
    peak = 0;
    const t0 = performance.now();
    run(100_000);
    const end = heap();
    t.diagnostic(`100000 errors in ${((performance.now() - t0) / 1000).toFixed(1)} s; wasm memory ${warm.bytes} -> ${end.bytes}; malloc'd ${warm.used} -> ${end.used} (peak ${peak})`);
    assert.ok(peak - warm.used <= MB, `peak ${peak} vs warm ${warm.used}`);
    assert.equal(end.bytes, warm.bytes);
    assert.ok(end.used - warm.used <= 4096, `heap use grew ${warm.used} -> ${end.used}`);
    assert.equal(torch._module.hasError(), false);
    assert.deepEqual(a.add(a).toArray(), [2, 4, 6]);
  });

  test('messages are PyTorch\'s', () => {
    const p = torch.tensor([1.0, 0.0], { requiresGrad: true });
    assert.throws(() => new torch.optim.SGD([p], { lr: -0.1 }), { name: 'ValueError', message: 'Invalid learning rate: -0.1' });
    assert.throws(() => new torch.optim.SGD([p], { momentum: -0.5 }), { name: 'ValueError', message: 'Invalid momentum value: -0.5' });
  });
});

// What a tensor keeps when the engine moves it out of the heap (README, Memory). Making 3,000
// tensors pushes every older one out of the engine's young set (2,048); the microtask that
// ends a job does the same. Each test compares what PyTorch shows before and after.
describe('tensors moved out of the WebAssembly heap', () => {
  const pushOut = async () => {
    for (let i = 0; i < 3000; i++) torch.zeros([1]);
    await sleep(0);
  };
  const snapshot = (t) => ({
    printed: String(t), values: t.toArray(), shape: t.shape, dtype: t.dtype, requiresGrad: t.requiresGrad,
    isLeaf: t.isLeaf, version: t.version, gradFn: t.gradFn?.name ?? null,
  });

  test('a leaf keeps its values, flags, version and grad (the same object, still accumulating)', async () => {
    const p = torch.tensor([1.5, -2.0], { requiresGrad: true, dtype: 'float64' });
    p.mul(3).sum().backward();
    torch.noGrad(() => p.mul_(2));  // version 1
    const g = p.grad;
    const before = snapshot(p);
    const gradBefore = snapshot(g);
    const moved = torch.memoryStats().spilled;
    const slots = torch.memoryStats().slots;
    await pushOut();
    assert.ok(torch.memoryStats().spilled - moved >= 3001, 'p and the 3000 were moved');
    assert.ok(torch.memoryStats().slots < slots, 'their slots were freed');
    assert.deepEqual(snapshot(p), before);
    assert.equal(p.grad, g, 'p.grad is the same Tensor');
    assert.deepEqual(snapshot(g), gradBefore);
    p.mul(2).sum().backward();  // accumulates into the same grad, in place
    assert.deepEqual(g.toArray(), [5, 5]);
    assert.equal(g.version, gradBefore.version + 1);
    assert.equal(p.grad, g);
  });

  test('a non-leaf whose graph backward() released keeps its values and grad_fn\'s name; backward through it raises PyTorch\'s error', async () => {
    const q = torch.tensor([1.0, 2.0, 3.0], { requiresGrad: true });
    const y = q.pow(2);
    const loss = y.sum();
    loss.backward();
    const before = [snapshot(y), snapshot(loss)];
    await pushOut();
    assert.deepEqual([snapshot(y), snapshot(loss)], before);
    const twice = { name: 'RuntimeError', message: traps.backward_twice.message };
    assert.throws(() => loss.backward(), twice);  // as in PyTorch: PowBackward0 saved q
    assert.throws(() => y.mul(2).sum().backward(), twice);
    assert.throws(() => y.gradFn.nextFunctions, { name: 'RuntimeError', message: /the graph behind this PowBackward0 was freed/ });
    assert.deepEqual(q.grad.toArray(), [2, 4, 6], 'nothing accumulated');
  });

  test('what the engine still needs stays: graphs before backward, retain_graph, optimizer parameters', async () => {
    const q = torch.tensor([1.0, 2.0, 3.0], { requiresGrad: true });
    const open = q.mul(2);             // no backward yet
    const kept = q.pow(2).sum();
    kept.backward(null, { retainGraph: true });
    const p = torch.tensor([1.0], { requiresGrad: true });
    const opt = new torch.optim.SGD([p], { lr: 0.5 });
    await pushOut();
    open.sum().backward();
    assert.deepEqual(q.grad.toArray(), [4, 6, 8]);
    kept.backward();                   // the retained graph runs again
    assert.deepEqual(q.grad.toArray(), [6, 10, 14]);
    p.mul(2).sum().backward();
    opt.step();
    assert.deepEqual(p.toArray(), [0]);
  });

  test('where gradlab differs from PyTorch: a graph that saved nothing cannot run again once moved', async () => {
    // PyTorch can backward through params.unbind()'s graph again (UnbindBackward0 saves no
    // tensor); after backward() released it, gradlab drops it when the tensor moves out
    const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
    const [w] = params.unbind();
    w.mul(2).backward();
    assert.deepEqual(params.grad.toArray(), [2, 0]);
    w.mul(3).backward();  // still in the engine: runs, as in PyTorch
    assert.deepEqual(params.grad.toArray(), [5, 0]);
    await pushOut();
    assert.equal(w.gradFn.name, 'UnbindBackward0');
    assert.throws(() => w.mul(3).backward(), { name: 'RuntimeError', message: traps.backward_twice.message });
    assert.deepEqual(params.grad.toArray(), [5, 0]);
  });

  test('a grad kept alone outlives its disposed tensor; disposed tensors stay disposed', async () => {
    const p = torch.tensor([1.0, 2.0], { requiresGrad: true });
    p.sum().backward();
    const g = p.grad;
    await pushOut();
    p.dispose();
    assert.deepEqual(g.toArray(), [1, 1]);
    assert.throws(() => p.item(), { name: 'RuntimeError', message: 'this tensor was disposed' });
  });
});
