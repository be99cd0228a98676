// Helpers for the embed tests: drive a gradlab element by its public API (run(), events)
// and check what it reports against PyTorch's numbers (../shared/golden, loaded by path).
import { assertClose, golden, num } from '../node/golden.mjs';

export const book = golden('book');
export const traps = golden('traps');

/** Scrolls the element into view (that starts it) and waits for its first engine frame. */
export async function ready(page, selector, timeout = 30000) {
  const el = page.locator(selector);
  await el.scrollIntoViewIfNeeded();
  await page.waitForFunction((s) => document.querySelector(s)?.dataset.ready === '1', selector, { timeout });
  return el;
}

/**
 * Calls el.run() in the page; resolves with { state, events } where events counts what the
 * element dispatched meanwhile ({ epoch, done, diverged: [details] }).
 */
export function runWidget(page, selector, epochs) {
  return page.evaluate(async ([s, n]) => {
    const el = document.querySelector(s);
    const events = { epoch: 0, done: 0, diverged: [], lastEpoch: null };
    const on = { epoch: (e) => { events.epoch++; events.lastEpoch = e.detail; }, done: () => events.done++, diverged: (e) => events.diverged.push(e.detail) };
    for (const [k, f] of Object.entries(on)) el.addEventListener(k, f);
    try {
      const state = await el.run(n);
      return { state: JSON.parse(JSON.stringify(state, (k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))), events };
    } finally {
      for (const [k, f] of Object.entries(on)) el.removeEventListener(k, f);
    }
  }, [selector, epochs]);
}

const value = (v) => (typeof v === 'string' ? num(v.replace('Infinity', 'inf').replace('NaN', 'nan')) : v);

/** Checks a final loss (and params, when given) against one of book.json's runs. */
export function checkRun(assert, ref, loss, params, what) {
  const rtol = ref.compare === 'final_params' ? null : ref.loss_rtol;
  if (rtol !== null) assertClose(assert, value(loss), ref.losses[ref.losses.length - 1], rtol, `${what}: final loss`);
  if (params) params.forEach((p, i) => assertClose(assert, value(p), ref.final_params.data[i], ref.params_rtol, `${what}: param ${i}`));
}

/** "Epoch 500, Loss 7.860120" lines -> [[500, 7.86012], ...] */
export const parseLog = (text) => text.trim().split('\n').filter(Boolean).map((l) => {
  const m = /^Epoch (\d+), Loss (\S+)$/.exec(l.trim());
  return m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
});
