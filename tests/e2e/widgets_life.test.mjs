// The embed widgets share one engine per page, so one widget's cost is every widget's
// (issue 17): a widget removed from the page stops and frees its session at once, mount and
// unmount cycles leave the heap where it was, the recorded history has ONE budget per page,
// a model too heavy for the page's thread is refused with its cost (never trained there),
// changing `panels` while a landscape is pending throws nothing, and the iframe form names a
// link's bad entries and keeps the rest. The page is a blog post (fixtures/empty.html, the
// blog's strict CSP) filled by the tests through the elements' public API.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startBlog } from './blog-server.mjs';
import { newPage, openBrowser } from './browser.mjs';
import { assertNoLongTask, FIRST_FRAME_MS, firstFrameAfterReady, hash, slowModel, watchLongTasks } from './longtasks.mjs';

let env, blog;
// gc() and exact JS heap sizes, for the leak checks
before(async () => { env = await openBrowser(['--js-flags=--expose-gc', '--enable-precise-memory-info']); blog = await startBlog(); });
after(async () => { await blog?.close(); await env?.close(); });

async function post() {
  const { page, problems } = await newPage(env.browser, { width: 1280, height: 900 });
  await watchLongTasks(page);
  await page.goto(`${blog.base}/blog/empty.html`);
  await page.waitForFunction(() => customElements.get('gradlab-playground'));
  // helpers in the page: add n widgets, wait for them, read the engine's counts
  await page.evaluate(() => {
    window.addWidgets = async (n, attrs, tag = 'gradlab-playground') => {
      const els = [];
      for (let i = 0; i < n; i++) {
        const el = document.createElement(tag);
        for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
        document.getElementById('post').append(el);
        els.push(el);
      }
      await Promise.all(els.map((e) => e.start()));
      return els;
    };
    window.stats = () => customElements.get('gradlab-playground').engineStats();
    window.sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  });
  return { page, problems };
}

test('a widget removed from the page stops training and frees its session at once', { timeout: 120_000 }, async () => {
  const { page, problems } = await post();
  const r = await page.evaluate(async () => {
    const empty = await stats();
    const els = await addWidgets(5, { preset: 'circle', panels: 'loss' });
    const started = await stats();
    for (const e of els) e.run(1_000_000).catch(() => {});
    await sleep(800);
    const running = els.map((e) => e.getState().epoch);
    let events = 0;
    for (const e of els) e.addEventListener('epoch', () => events++);
    for (const e of els) e.remove();
    await sleep(50);  // a task or two: the sessions go now, not at the next garbage collection
    const removed = await stats();
    const epochs = els.map((e) => e.rec.epoch);
    await sleep(1500);
    const later = await stats();
    return { empty, started, running, removed, later, events, epochs, epochsLater: els.map((e) => e.rec.epoch) };
  });
  console.log(`# removal: sessions ${r.started.sessions} -> ${r.removed.sessions}; heap in use ${r.empty.heapUsedBytes} -> ${r.started.heapUsedBytes} -> ${r.removed.heapUsedBytes} -> ${r.later.heapUsedBytes} bytes; epochs when removed ${r.running}`);
  assert.equal(r.started.sessions, 5);
  assert.ok(r.running.every((e) => e > 0), `all five were training: ${r.running}`);
  assert.equal(r.removed.sessions, 0, 'every session freed at once');
  assert.equal(r.later.sessions, 0);
  assert.equal(r.events, 0, 'no epoch event after removal');
  assert.deepEqual(r.epochsLater, r.epochs, 'no epoch trained after removal');
  assert.ok(r.removed.heapUsedBytes - r.empty.heapUsedBytes < 256 * 1024, `the heap is back: ${r.empty.heapUsedBytes} -> ${r.removed.heapUsedBytes}`);
  assert.equal(r.later.historyNumbers, 0);
  // a widget moved within the page (removed and added back in one task) keeps its session
  const moved = await page.evaluate(async () => {
    const [el] = await addWidgets(1, { preset: 'thermometer', panels: 'loss', epochs: '100' });
    await el.run();
    const other = document.createElement('div');
    document.getElementById('post').append(other);
    other.append(el);  // disconnected and connected in the same task
    await sleep(50);
    const s = await stats();
    const state = await el.run(50);
    el.remove();
    await sleep(50);
    return { sessions: s.sessions, epoch: state.epoch, after: (await stats()).sessions };
  });
  assert.deepEqual(moved, { sessions: 1, epoch: 150, after: 0 });
  // added back later, a removed widget starts over
  const back = await page.evaluate(async () => {
    const [el] = await addWidgets(1, { preset: 'thermometer', panels: 'loss', epochs: '100' });
    await el.run();
    el.remove();
    await sleep(50);
    document.getElementById('post').append(el);
    await el.start();
    const fresh = el.getState().epoch;
    const state = await el.run(20);
    el.remove();
    return { fresh, epoch: state.epoch };
  });
  assert.deepEqual(back, { fresh: 0, epoch: 20 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('mount, run and unmount cycles: the WebAssembly heap and the JS heap stay flat', { timeout: 300_000 }, async () => {
  const { page, problems } = await post();
  const cycles = await page.evaluate(async () => {
    const out = [];
    for (let c = 0; c < 5; c++) {
      const els = await addWidgets(20, { preset: 'circle', panels: 'loss,grads,graph,landscape', epochs: '300' });
      await Promise.all(els.map((e) => e.run()));
      const full = await stats();
      for (const e of els) e.remove();
      await sleep(100);
      gc();
      await sleep(50);
      gc();
      const s = await stats();
      out.push({ full: full.heapUsedBytes, sessions: s.sessions, heap: s.heapUsedBytes, js: performance.memory.usedJSHeapSize });
    }
    return out;
  });
  for (const [i, c] of cycles.entries()) console.log(`# cycle ${i + 1}: 20 widgets ran (heap in use ${c.full}), removed: sessions ${c.sessions}, heap in use ${c.heap}, JS heap ${c.js}`);
  for (const c of cycles) assert.equal(c.sessions, 0);
  const first = cycles[1], last = cycles[cycles.length - 1];  // (the first cycle warms the engine's caches)
  assert.ok(last.heap - first.heap < 256 * 1024, `WebAssembly heap in use grew by ${last.heap - first.heap} bytes over 60 widgets`);
  // 60 widgets after the reference cycle: a leak of 1.4 MB each would be 84 MB
  assert.ok(last.js - first.js < 2 << 20, `JS heap grew by ${last.js - first.js} bytes over 60 widgets`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the recorded history has one budget per page, not per widget', { timeout: 300_000 }, async () => {
  const { page, problems } = await post();
  const r = await page.evaluate(async () => {
    // the circle MLP under Adam records about 1,400 numbers per epoch: 2,000 epochs of 20
    // widgets would be 56 M numbers (224 MB) under a budget per widget
    const els = await addWidgets(20, { preset: 'circle', panels: 'loss', epochs: '2000' });
    const states = await Promise.all(els.map((e) => e.run()));
    const s = await stats();
    const cut = els.filter((e) => e.rec.diagnostics.some((d) => /history is kept for the first/.test(d))).length;
    for (const e of els) e.remove();
    return { s, epochs: states.map((x) => x.epoch), cut };
  });
  console.log(`# history: ${r.s.historyNumbers} numbers kept (budget ${r.s.historyBudget}); heap in use ${r.s.heapUsedBytes} bytes; ${r.cut} of 20 widgets say their history was cut`);
  assert.ok(r.epochs.every((e) => e === 2000), 'every widget trained to the end');
  assert.ok(r.s.historyNumbers <= r.s.historyBudget, `${r.s.historyNumbers} > ${r.s.historyBudget}`);
  assert.ok(r.s.heapUsedBytes < r.s.historyBudget * 4 + (48 << 20), `heap in use ${r.s.heapUsedBytes}`);
  assert.ok(r.cut > 0, 'the widgets that ran out of budget say so');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a heavy model in widgets trains in the page\'s engine worker; on the page\'s own thread it is refused with its cost', { timeout: 180_000 }, async () => {
  const { page, problems } = await post();
  // compile (one forward) ~50-250 ms, an epoch ~0.2-0.5 s: seconds of freezing per run on the
  // page's thread before
  const model = slowModel(3);
  const r = await page.evaluate(async (m) => {
    const [pg] = await addWidgets(1, { preset: 'circle', model: m, panels: 'loss,graph,landscape,params' });
    const [gr] = await addWidgets(1, { preset: 'circle', model: m }, 'gradlab-graph');
    const [rc] = await addWidgets(1, { preset: 'circle', model: m, configs: 'Adam lr=0.01' }, 'gradlab-race');
    const state = await pg.run(8);
    const race = await rc.run(3);
    const g = await gr.backward();
    const s = await stats();
    const heavy = [pg, gr].map((e) => e.shadowRoot.querySelector('.heavy').hidden);
    for (const e of [pg, gr, rc]) e.remove();
    return { epoch: state.epoch, refused: state.refused, racer: race.racers[0], grad: g.params[0].grad !== null, worker: s.worker, heavy };
  }, model);
  assert.equal(r.worker, true, 'the bundle started its engine worker');
  assert.equal(r.epoch, 8);
  assert.equal(r.refused, null);
  assert.equal(r.racer.epochs, 3);
  assert.equal(r.racer.error, null);
  assert.equal(r.grad, true, 'the graph widget ran backward()');
  assert.deepEqual(r.heavy, [true, true], 'no "too heavy" note');
  await assertNoLongTask(page, 'heavy model, widgets in the engine worker', 'gradlab:engine-ready');

  // engine="page": the same model on the page's thread is refused, with its cost, and never run
  const p = await page.evaluate(async (m) => {
    const [pg] = await addWidgets(1, { preset: 'circle', model: m, panels: 'loss,graph,landscape,params', engine: 'page' });
    const [rc] = await addWidgets(1, { preset: 'circle', model: m, configs: 'Adam lr=0.01', engine: 'page' }, 'gradlab-race');
    const t = performance.now();
    const state = await pg.run(50);
    const runMs = performance.now() - t;
    const race = await rc.run(20);
    await sleep(300);
    const note = pg.shadowRoot.querySelector('.heavy').textContent;
    const land = pg.shadowRoot.querySelector('.landscape').dataset.state ?? '';
    return { epoch: state.epoch, refused: state.refused, runMs, note, land, racer: race.racers[0] };
  }, model);
  console.log(`# heavy model on the page's thread: refused ${JSON.stringify(p.refused)}, run() answered in ${Math.round(p.runMs)} ms: ${p.note}`);
  assert.ok(p.refused && p.refused.limitMs === 40, JSON.stringify(p.refused));
  assert.ok(p.epoch <= 1, `at most the one measured epoch ran on the page's thread: ${p.epoch}`);
  assert.match(p.note, /too heavy to train on this page's thread: (its compile \(one forward\) took \d+ ms, so one epoch would take over|one epoch took \d+ ms, over) the 40 ms/);
  assert.ok(p.runMs < 2000, `run() answered in ${p.runMs} ms`);
  assert.notEqual(p.land, 'drawn');
  assert.equal(p.racer.error?.type, 'TooHeavy');
  assert.deepEqual(problems, []);
  await page.close();
});

test('changing panels while a landscape redraw is pending throws nothing', { timeout: 120_000 }, async () => {
  const { page, problems } = await post();
  const r = await page.evaluate(async () => {
    const [el] = await addWidgets(1, { preset: 'thermometer', panels: 'loss,landscape', epochs: '200' });
    const out = [];
    for (let i = 0; i < 6; i++) {
      await el.run(200);
      // the run's last render schedules a landscape; the panels change (to a set without
      // one) before it is drawn, then back
      el.setAttribute('panels', 'loss');
      await sleep(i * 15);
      el.setAttribute('panels', 'loss,landscape');
      await sleep(200);
      out.push(el.shadowRoot.querySelector('.landscape')?.dataset.state ?? 'none');
    }
    el.remove();
    return out;
  });
  console.log(`# panels changes: landscape states ${r}`);
  assert.deepEqual(problems, []);
  assert.ok(r.includes('drawn'), 'the landscape is still drawn after the changes');
  await page.close();
});

test('the iframe form: a link\'s unknown preset is named, its model kept and trained', { timeout: 120_000 }, async () => {
  for (const preset of ['Thermometer', 'constructor', '__proto__']) {
    const { page, problems } = await newPage(env.browser, { width: 900, height: 900 });
    await watchLongTasks(page);
    await page.goto(`${env.base}/web/embed.html${hash({ preset, model: 'param w = 2.0\nloss = (w - 1) ** 2\n', epochs: '40', panels: 'loss,params' })}`);
    await page.waitForFunction(() => document.querySelector('gradlab-playground')?.dataset.ready === '1', null, { timeout: 30000 });
    const ff = await firstFrameAfterReady(page);
    assert.ok(ff !== null && ff <= FIRST_FRAME_MS, `first frame ${ff} ms after the engine was ready`);
    const r = await page.evaluate(async () => {
      const el = document.querySelector('gradlab-playground');
      const s = await el.run();
      return { note: el.shadowRoot.querySelector('.link-note')?.textContent, epoch: s.epoch, params: s.params.map((p) => p.name), error: el.shadowRoot.querySelector('pre.error:not([hidden])')?.textContent ?? null };
    });
    assert.match(r.note ?? '', /could not be read for: preset/, preset);
    assert.equal(r.epoch, 40, preset);
    assert.deepEqual(r.params, ['w'], `${preset}: the link's model`);
    assert.equal(r.error, null, preset);
    await assertNoLongTask(page, `iframe, preset=${preset}`);
    assert.deepEqual(problems, [], preset);
    await page.close();
  }
});
