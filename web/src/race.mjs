// "Adam lr=0.1 betas=0.9,0.999 normalize=False": an optimizer, its options, and the run's
// own switches (normalize, zero_grad, batch_size) where given
import { atEpochs, thin } from './thin.mjs';

// (a Map: a line's keys are a stranger's text, and `constructor` or `__proto__` must not
// reach an object's prototype)
const RUN_KEYS = new Map([['normalize', 'normalize'], ['zero_grad', 'zeroGrad'], ['batch_size', 'batchSize']]);
export function parseRaceLine(line) {
  const [opt, ...rest] = line.trim().split(/\s+/);
  const options = {};
  const run = {};
  for (const kv of rest) {
    const [k, v] = kv.split('=');
    if (!k || v === undefined) continue;
    if (k === '__proto__') {
      // an own property of that name (as JSON.parse makes): the engine names it as PyTorch would
      Object.defineProperty(options, k, { value: v, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const value = v.includes(',') ? v.split(',').map(Number) : /^(true|True)$/.test(v) ? true : /^(false|False)$/.test(v) ? false : v === 'None' ? null : Number.isNaN(Number(v)) ? v : Number(v);
    if (RUN_KEYS.has(k)) run[RUN_KEYS.get(k)] = value;
    else options[k] = value;
  }
  return { optimizer: opt, options, ...run };
}

/**
 * Chart series for race results [{ label, loss, error }]: at most 2000 x points; a run that
 * blows up leaves the chart instead of flattening the others, and its label says when.
 */
export function raceSeries(results) {
  const n = Math.max(...results.map((x) => x.loss.length), 0);
  const m = Math.min(n, 2000);
  const xs = Array.from({ length: m }, (_, i) => Math.round((i * (n - 1)) / Math.max(1, m - 1)));
  const cap = 1e4 * Math.max(...results.map((res) => (Number.isFinite(res.loss[0]) ? res.loss[0] : 0)), 1e-30);
  const clip = (v) => (v === undefined || v > cap ? NaN : v);
  return {
    x: xs.map((i) => i + 1),
    ys: results.map((res) => xs.map((i) => clip(res.loss[i]))),
    labels: results.map((res) => {
      if (res.error) return `${res.label} (${res.error.type})`;
      const k = res.loss.findIndex((v) => !Number.isFinite(v));
      return k >= 0 ? `${res.label} (inf/nan from epoch ${k + 1})` : res.label;
    }),
  };
}

/** Two or more runs of one length, thinned alike (with and without zero_grad). */
export function compareSeries(results) {
  const [x] = thin(results[0].loss);
  return { x, ys: results.map((res) => atEpochs(res.loss, 1, x)), labels: results.map((res) => res.label) };
}
