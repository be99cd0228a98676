// Memory and error hygiene of the JS API: users never call .delete(), yet long loops keep the
// WebAssembly heap flat, errors leak nothing, and unreachable tensors are finalized.
// GRADLAB_MEMORY_STEPS sets the long loop's length (default 1,000,000, as the brief asks).
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { load } from '../../core/wasm/gradlab.mjs';
import { loadSession } from '../../core/wasm/session.mjs';
import { t_c as C, t_u as U } from '../../core/wasm/thermometer.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const MB = 1024 * 1024;
const STEPS = Number(process.env.GRADLAB_MEMORY_STEPS || 1_000_000);
let torch;
let api;
before(async () => { torch = await load(); api = await loadSession(); });

const heap = () => ({ bytes: torch.heapBytes(), used: torch.heapUsedBytes() });

describe('memory', () => {
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

  test('without tidy or dispose, unreachable tensors are freed by the finalization registry', async () => {
    const before = torch.heapUsedBytes();
    (() => {
      const big = [];
      for (let i = 0; i < 200; i++) big.push(torch.zeros([256, 256], { dtype: 'float64' }).add(1));  // ~100 MB
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
