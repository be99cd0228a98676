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
const finiteOrNull = (log) => (v) => (Number.isFinite(v) && (!log || v > 0) ? v : null);

export class Chart {
  #el; #plot = null; #opts;

  /** opts: { labels: [...], log, xLabel, points, height, minWidth } */
  constructor(el, opts) {
    this.#el = el;
    this.#opts = opts;
    new ResizeObserver(() => this.#plot?.setSize(this.#size())).observe(el);
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
        ...(log ? { filter: decadesOnly, grid: { filter: decadesOnly }, ticks: { filter: decadesOnly } } : {}),
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
