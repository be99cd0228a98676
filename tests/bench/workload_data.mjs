// What the JavaScript benchmarks (bench_tfjs.mjs, bench_js.mjs) share: the data and the
// deterministic initial values of ../shared/bench/WORKLOADS.md, as plain numbers, and the
// best-of-N timer. Each engine turns the numbers into its own tensors.
import { performance } from 'node:perf_hooks';

export const t_c = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0];
export const t_u = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4];

/** The "circle" set: n points [x1, x2] and labels [y] (1 inside radius 0.5). */
export function circlePoints(n = 1000) {
  const X = [], Y = [];
  for (let i = 0; i < n; ++i) {
    const r = 1.0 * ((i * 0.6180339887) % 1.0);
    const a = 2 * Math.PI * ((i * 0.7548776662) % 1.0);
    X.push([r * Math.cos(a), r * Math.sin(a)]);
    Y.push([r < 0.5 ? 1.0 : 0.0]);
  }
  return [X, Y];
}

/** sin(12.9898 (i + 1) + 78.233 k) / 2 for each of the shape's elements, flat. */
export function initValues(shape, k) {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = [];
  for (let i = 0; i < n; ++i) v.push(Math.sin(12.9898 * (i + 1) + 78.233 * k) * 0.5);
  return v;
}

/** [best seconds, last result] of `repeats` runs of fn: the first run's warm-up drops out. */
export function best(fn, repeats) {
  let s = Infinity, r;
  for (let i = 0; i < repeats; ++i) {
    const t = performance.now();
    r = fn();
    s = Math.min(s, (performance.now() - t) / 1000);
  }
  return [s, r];
}
