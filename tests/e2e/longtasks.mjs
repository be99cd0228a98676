// What the page's main thread went through (issue 17): every long task (over 50 ms) from a
// PerformanceObserver of the 'longtask' entry type installed before the page's own scripts,
// and the heavy links and models the tests open. Installed with watchLongTasks(page) before
// page.goto().
import assert from 'node:assert/strict';

/** The bound: no task of the page's thread may run longer than this. */
export const TASK_LIMIT_MS = 200;
/** The page's first frame must follow the engine's readiness within this. */
export const FIRST_FRAME_MS = 1000;

export async function watchLongTasks(page) {
  await page.addInitScript(() => {
    const tasks = [];
    window.__longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push({ start: Math.round(e.startTime), ms: Math.round(e.duration) });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/**
 * The long tasks since the first performance mark `mark` (or since time 0 without one):
 * { since, tasks: [{ start, ms }], longest }.
 */
export function longTasks(page, mark = 'gradlab:engine-ready') {
  return page.evaluate((m) => {
    const since = performance.getEntriesByName(m)[0]?.startTime ?? 0;
    const tasks = window.__longTasks.filter((t) => t.start + t.ms > since);
    return { since: Math.round(since), tasks, longest: Math.max(0, ...tasks.map((t) => t.ms)) };
  }, mark);
}

/** Asserts that no task since `mark` ran over TASK_LIMIT_MS; returns the longest (printed). */
export async function assertNoLongTask(page, what, mark) {
  const r = await longTasks(page, mark);
  console.log(`# ${what}: longest main-thread task ${r.longest} ms since ${r.since} ms (${r.tasks.length} over 50 ms)`);
  assert.ok(r.longest <= TASK_LIMIT_MS, `${what}: a task held the page's thread for ${r.longest} ms: ${JSON.stringify(r.tasks)}`);
  return r.longest;
}

/** ms from the engine's readiness to the first frame after it (marks set by the page). */
export function firstFrameAfterReady(page) {
  return page.evaluate(() => {
    const ready = performance.getEntriesByName('gradlab:engine-ready')[0]?.startTime;
    const frame = performance.getEntriesByName('gradlab:first-frame')[0]?.startTime;
    return ready === undefined || frame === undefined ? null : frame - ready;
  });
}

// ---- the hostile models (the probe's, rebuilt: what each costs is what matters)
/** k statements in a chain, each using both parameters: about 2k nodes in the graph. */
export function chainModel(k) {
  let s = 'param w = 1.0\nparam b = 0.0\nh0 = w * t_u + b\n';
  for (let i = 1; i < k; i++) s += `h${i} = h${i - 1} * w + b\n`;
  return `${s}loss = ((h${k - 1} - t_c) ** 2).mean()\n`;
}
/** On the circle data (200 rows): 600 x 600 matrix products, `reps` of them per forward
 *  (reps = 5: about 0.2 s per epoch in WebAssembly on the 2-core CI machine). */
export const slowModel = (reps = 5) => `param A[600, 600] = randn(std=0.03, seed=1)\nparam W[2, 600] = randn(std=0.5, seed=2)\nh = tanh(X @ W)\n${'h = tanh(h @ A)\n'.repeat(reps)}loss = (h ** 2).mean()\n`;
/** A parameter written out as a literal of n numbers (n = 200,000: a 1.2 MB link). */
export const literalModel = (n) => `param v[${n}] = [${Array.from({ length: n }, (_, i) => (i % 7) / 10).join(', ')}]\nparam w = 1.0\nloss = ((w * t_u - t_c) ** 2).mean() + (v ** 2).mean()\n`;

export const hash = (obj) => '#' + new URLSearchParams(obj).toString();
