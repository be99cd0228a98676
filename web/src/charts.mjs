// uPlot charts that are created once and then only get new data (setData), at most once per
// animation frame; long series are thinned to a few thousand points before drawing.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

import { thin } from './thin.mjs';

export { thin };

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
// epochs and backward calls are whole numbers: ticks at 1, 2, 5, 10, 20, 50, ...
const INT_INCRS = Array.from({ length: 21 }, (_, i) => [1, 2, 5][i % 3] * 10 ** Math.floor(i / 3));

const axisNumber = (v) => (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3) ? v.toExponential(0) : String(+v.toPrecision(4)));
// log scale: grid lines at powers of ten only, thinned when the range is huge
function decadesOnly(u, splits) {
  const exp = (v) => Math.round(Math.log10(v) * 1e6) / 1e6;
  const decades = splits.filter((v) => Number.isInteger(exp(v)));
  const step = Math.max(1, Math.ceil(decades.length / 8));
  return splits.map((v) => (Number.isInteger(exp(v)) && exp(v) % step === 0 ? v : null));
}
// Values near the ends of the double range are left out: uPlot pads an axis to the next
// decade, 1e308 becomes Infinity, and its log-axis tick loop then never ends ("Invalid array
// length"; found by the random-interaction test on a diverging run).
// The log axis's ticks: powers of ten, at most ~9, computed here. uPlot's own log splits step
// through 1..9 x 10^k from the scale's min and never end when that min is 0 or the max is
// infinite ("Invalid array length"; found by the random-interaction test).
function logSplits(u, axis, min, max) {
  if (!(min > 0) || !Number.isFinite(max) || !(max >= min)) return [];
  const lo = Math.floor(Math.log10(min)), hi = Math.ceil(Math.log10(max));
  const step = Math.max(1, Math.ceil((hi - lo) / 8));
  const out = [];
  for (let e = lo; e <= hi; e += step) if (10 ** e >= min * (1 - 1e-9) && 10 ** e <= max * (1 + 1e-9)) out.push(10 ** e);
  return out;
}
const finiteOrNull = (log) => (v) => (Number.isFinite(v) && Math.abs(v) < 1e300 && (!log || v > 1e-300) ? v : null);

export class Chart {
  #el; #plot = null; #opts; #resize;

  /** opts: { labels: [...], log, xLabel, points, height, minWidth } */
  constructor(el, opts) {
    this.#el = el;
    this.#opts = opts;
    this.#resize = new ResizeObserver(() => this.#plot?.setSize(this.#size()));
    this.#resize.observe(el);
  }

  /** Lets go of everything that outlives the element otherwise: the document keeps a
   *  ResizeObserver that observes, and uPlot listens on window. (Widgets removed from a page.) */
  destroy() {
    this.#resize.disconnect();
    this.#plot?.destroy();
    this.#plot = null;
  }

  #size() { return { width: Math.max(this.#opts.minWidth ?? 240, this.#el.clientWidth - 4), height: this.#opts.height ?? 220 }; }

  #create(labels) {
    this.#plot?.destroy();
    const { log = false, xLabel = 'epoch', points = [] } = this.#opts;
    this.#plot = new uPlot({
      ...this.#size(),
      scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
      axes: [{ label: xLabel, ...(this.#opts.intX === false ? {} : { incrs: INT_INCRS }) }, {
        size: 64,
        values: (u, splits) => splits.map((v) => (v == null ? '' : axisNumber(v))),
        // log scale: grid lines at powers of ten only, thinned when the range is huge
        ...(log ? { splits: logSplits, filter: decadesOnly, grid: { filter: decadesOnly }, ticks: { filter: decadesOnly } } : {}),
      }],
      legend: { show: true },
      series: [{ label: xLabel }, ...labels.map((label, i) => ({
        label,
        stroke: COLORS[i % COLORS.length],
        width: 1.5,
        spanGaps: false,
        ...(points.includes(i) ? { paths: () => null, points: { show: true, size: 6, fill: COLORS[i % COLORS.length] } } : {}),
      }))],
    }, [[], ...labels.map(() => [])], this.#el);
    this.#opts.labels = labels;
  }

  setLog(log) {
    if (this.#opts.log === log) return;
    this.#opts.log = log;
    this.#plot?.destroy();
    this.#plot = null;
  }

  /** x: array; ys: one array per series; labels: series names. */
  setData(x, ys, labels, xLabel = this.#opts.xLabel) {
    if (xLabel !== this.#opts.xLabel) {
      this.#opts.xLabel = xLabel;
      this.#opts.labels = null;
    }
    if (!this.#plot || labels.join('\u0000') !== this.#opts.labels?.join('\u0000')) this.#create(labels);
    const f = finiteOrNull(this.#opts.log);
    this.#plot.setData([Array.from(x), ...ys.map((y) => Array.from(y, f))]);
  }
}
