// 2,000 random clicks, keypresses and edits over the playground (issue 10), from a seeded
// PRNG: GRADLAB_RANDOM_SEED=N reproduces a run (the seed is printed either way). The page
// must end with no uncaught error and no CSP violation, a frame within 200 ms, and a working
// Run of the book's model.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { CSP } from '../../web/serve.mjs';
import { artifacts, newPage, openBrowser } from './browser.mjs';
import { longTasks, watchLongTasks } from './longtasks.mjs';

const ACTIONS = Number(process.env.GRADLAB_RANDOM_ACTIONS || 2000);
const SEED = Number(process.env.GRADLAB_RANDOM_SEED || (Date.now() % 1e9));
let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });

function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

// What a learner (or a cat on the keyboard) might type
const TEXTS = ['0', '1', '-1', '0.1', '1e-3', '1e9', 'nan', 'inf', '-0', '', ' ', 'abc', 'None', 'True', '0.9, 0.999', '<b>x</b>',
  '(((', ')', 'w', 'param q = 2.0\n', '**', '# note\n', '\n', 'loss = w\n', 'é', '変数', '1000000', '1,2\n3,4\n', 'x,y\n1,2\n'];
const KEYS = ['Tab', 'Shift+Tab', 'Enter', 'Escape', 'Space', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Backspace',
  'Delete', 'Home', 'End', 'PageDown', 'Control+a', 'Control+z', 'Control+Shift+z', 'a', 'w', '0', '(', '*', '.'];

test(`${ACTIONS} random clicks, keys and edits leave the page working`, { timeout: 600_000 }, async (t) => {
  console.log(`# random interaction: seed ${SEED} (GRADLAB_RANDOM_SEED=${SEED} reproduces it), ${ACTIONS} actions`);
  t.diagnostic(`seed ${SEED}`);
  const rnd = prng(SEED);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (a) => a[int(a.length)];
  const { page, problems } = await newPage(env.browser, { width: 1280, height: 900 });
  await watchLongTasks(page);  // what held the page's thread, said if a frame is late
  const response = await page.goto(env.base + '/');
  assert.equal(response.headers()['content-security-policy'], CSP);  // violations land in problems
  await page.locator('body[data-ready="1"]').waitFor({ timeout: 30000 });
  // every visible, enabled control (re-read now and then: the page rebuilds some of them)
  const controls = () => page.evaluate(() => {
    const out = [];
    const editor = document.getElementById('editor').shadowRoot?.querySelector('.cm-content');
    const els = [...document.querySelectorAll('button, input, select, textarea, summary, .u-over, svg'), ...(editor ? [editor, editor] : [])];
    window.__rnd = els;  // the editor's content sits in a shadow root: elements by index
    els.forEach((el, i) => {
      const r = el.getBoundingClientRect();
      if (r.width < 2 || r.height < 2 || el.disabled || el.closest('[hidden]')) return;
      const kind = el.matches('.cm-content') ? 'editor' : el.tagName.toLowerCase() === 'input' ? (el.type === 'checkbox' ? 'click' : 'text')
        : el.tagName === 'SELECT' ? 'select' : el.tagName === 'TEXTAREA' ? 'text' : 'click';
      out.push({ i, kind, id: el.id || el.className?.baseVal || el.className || el.tagName, options: el.tagName === 'SELECT' ? [...el.options].map((o) => o.value) : [] });
    });
    return out;
  });
  let list = await controls();
  const counts = {};
  const t0 = Date.now();
  // the element's centre, scrolled into view; null when it is gone, hidden or covered
  const aim = (i) => page.evaluate((k) => {
    const el = window.__rnd[k];
    if (!el || !el.isConnected) return null;
    el.scrollIntoView({ block: 'center', inline: 'center' });
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return null;
    const x = r.left + Math.min(r.width / 2, 40), y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    const host = hit?.shadowRoot ? hit : null;  // the editor lives in a shadow root
    return hit && (el.contains(hit) || hit.contains(el) || host?.contains(el) || el.getRootNode().host === hit) ? { x, y } : null;
  }, i);
  let reads = 0;
  const recent = [];  // the last actions, said with a failure
  const timeline = [];  // [page time, action]: the action each long task followed
  for (let n = 0; n < ACTIONS;) {
    if (reads++ % 25 === 0) list = await controls();
    const c = pick(list);
    const kind = rnd() < 0.15 ? 'key' : c.kind;
    const at0 = await page.evaluate(() => performance.now());  // to name what a long task followed
    if (kind === 'key') {
      await page.keyboard.press(pick(KEYS));
    } else if (kind === 'select') {
      await page.evaluate(([k, v]) => {
        const el = window.__rnd[k];
        if (!el || el.disabled) return;
        el.value = v;
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }, [c.i, pick(c.options.length ? c.options : [''])]);
    } else {
      const at = await aim(c.i);
      if (!at) {
        counts.skipped = (counts.skipped ?? 0) + 1;
        continue;
      }
      if (kind === 'editor') {
        await page.mouse.click(at.x + int(150), at.y);
        if (rnd() < 0.5) await page.keyboard.press(pick(['Backspace', 'Delete', 'Enter', 'Control+z', 'Control+a']));
        else await page.keyboard.insertText(pick(TEXTS));
      } else if (kind === 'text') {
        await page.mouse.click(at.x, at.y);
        if (rnd() < 0.5) await page.keyboard.press('Control+a');
        await page.keyboard.insertText(pick(TEXTS));
        await page.keyboard.press(rnd() < 0.7 ? 'Enter' : 'Tab');
      } else {
        await page.mouse.click(at.x, at.y);
      }
    }
    recent.push(`${kind} ${c.id}`);
    timeline.push([at0, `${kind} ${c.id}`]);
    if (recent.length > 30) recent.shift();
    counts[kind] = (counts[kind] ?? 0) + 1;
    n++;  // only actions performed count (not aims at an element that moved or got covered)
    if (problems.length) break;
  }
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`# ${ACTIONS} actions in ${seconds} s: ${JSON.stringify(counts)}`);
  assert.deepEqual(problems, [], `seed ${SEED}`);

  // responsive: an animation frame within 200 ms
  const frameMs = await page.evaluate(() => new Promise((resolve) => {
    const t = performance.now();
    requestAnimationFrame(() => resolve(performance.now() - t));
    setTimeout(() => resolve(Infinity), 2000);
  }));
  console.log(`# first frame after the random actions: ${frameMs.toFixed(0)} ms`);
  const held = await longTasks(page, 'none');
  console.log(`# longest main-thread task during the actions: ${held.longest} ms (${held.tasks.length} over 50 ms)`);
  const after = (t) => timeline.filter(([s]) => s <= t.start).pop()?.[1] ?? 'page load';
  for (const t of [...held.tasks].sort((a, b) => b.ms - a.ms).slice(0, 5)) console.log(`#   ${t.ms} ms after: ${after(t)}`);
  assert.ok(frameMs < 200, `a frame took ${frameMs} ms (seed ${SEED}); the page's last long tasks ${JSON.stringify(held.tasks.slice(-8))} (now ${await page.evaluate(() => Math.round(performance.now()))} ms); the last actions: ${recent.join(' | ')}`);

  // and a working Run: stop whatever runs, back to the book's model, train, see a loss
  // (by id: the random keys may have switched the page's language)
  // (whatever the actions started, a run or a race of up to 100,000 epochs per line, stops
  // when the preset changes: the waits below allow for a loaded machine, not for a busy engine)
  const tEnd = Date.now();
  await page.keyboard.press('Escape');
  if (await page.locator('#pause').isEnabled()) await page.locator('#pause').click({ timeout: 2000 }).catch(() => {});
  await page.locator('#lang').selectOption('en');
  await page.locator('#preset').selectOption('rosenbrock');
  await page.locator('#preset').selectOption('thermometer');
  for (const [id, on] of [['#zero-grad', true], ['#manual-no-grad', true], ['#copy-params', false]]) await page.locator(id).setChecked(on);
  await page.locator('#batch-size').fill('0');
  await page.locator('#batch-size').press('Enter');
  await page.waitForFunction(() => document.getElementById('epoch').textContent === '0', null, { timeout: 30000 });
  await page.locator('#epochs').fill('200');
  await page.locator('#epochs').press('Enter');
  await page.waitForFunction(() => !document.getElementById('run').disabled, null, { timeout: 30000 });
  await page.locator('#run').click();
  await page.waitForFunction(() => document.getElementById('epoch').textContent === '200' && !document.getElementById('run').disabled, null, { timeout: 30000 });
  console.log(`# the final run of the book's model done ${((Date.now() - tEnd) / 1000).toFixed(1)} s after the last action`);
  const loss = Number(await page.locator('#loss').getAttribute('data-full'));
  assert.ok(Number.isFinite(loss), `loss after the final run: ${loss} (seed ${SEED})`);
  assert.match(await page.locator('#loss').textContent(), /^\d/);
  await page.screenshot({ path: join(artifacts, 'random-interaction-end.png'), fullPage: true });
  assert.deepEqual(problems, [], `seed ${SEED}`);
});
