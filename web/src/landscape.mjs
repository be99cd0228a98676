// The loss over two chosen parameter elements (engine-computed grid), as contour lines
// (d3-contour, log-spaced levels) with the optimizer's path drawn on top.
import { contours } from 'd3-contour';

const SVG = 'http://www.w3.org/2000/svg';
const el = (name, attrs = {}, parent = null) => {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
};

const SIZE = 300;

/** grid: engine landscape; path: [[x, y], ...] in parameter units. */
export function drawLandscape(container, grid, path) {
  container.replaceChildren();
  if (!grid || !grid.n) return;
  const n = grid.n;
  const values = Array.from(grid.loss, (v) => (Number.isFinite(v) ? Math.log10(Math.max(v, 1e-12)) : 12));
  let lo = Infinity, hi = -Infinity;
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const levels = Array.from({ length: 14 }, (_, i) => lo + ((hi - lo) * (i + 0.5)) / 14);
  const polys = contours().size([n, n]).thresholds(levels)(values);
  const sx = (gx) => (gx / n) * SIZE;
  const sy = (gy) => SIZE - (gy / n) * SIZE;
  const svg = el('svg', { viewBox: `-40 -10 ${SIZE + 50} ${SIZE + 40}`, width: '100%', class: 'landscape-svg' });
  el('title', {}, svg).textContent = `Loss landscape over ${grid.xLabel} and ${grid.yLabel}`;
  polys.forEach((p, i) => {
    const d = p.coordinates.map((poly) => poly.map((ring) => ring.map(([x, y], j) => `${j ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('') + 'Z').join('')).join('');
    el('path', { d, class: `contour c${Math.min(9, Math.floor((i / polys.length) * 10))}` }, svg);
  });
  // the path, in grid units: element value -> [0, n]
  const px = (v) => ((v - grid.xMin) / (grid.xMax - grid.xMin)) * SIZE;
  const py = (v) => SIZE - ((v - grid.yMin) / (grid.yMax - grid.yMin)) * SIZE;
  const pts = path.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (pts.length) {
    const d = pts.map(([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('');
    el('path', { d, class: 'opt-path' }, svg);
    const [lx, ly] = pts[pts.length - 1];
    el('circle', { cx: px(lx), cy: py(ly), r: 4, class: 'opt-end' }, svg);
  }
  el('rect', { x: 0, y: 0, width: SIZE, height: SIZE, class: 'frame' }, svg);
  const label = (x, y, text, anchor = 'middle') => { el('text', { x, y, 'text-anchor': anchor, class: 'axis' }, svg).textContent = text; };
  label(SIZE / 2, SIZE + 26, grid.xLabel);
  label(-30, SIZE / 2, grid.yLabel);
  label(0, SIZE + 12, fmt(grid.xMin), 'start');
  label(SIZE, SIZE + 12, fmt(grid.xMax), 'end');
  label(-4, SIZE, fmt(grid.yMin), 'end');
  label(-4, 10, fmt(grid.yMax), 'end');
  container.appendChild(svg);
}

const fmt = (x) => String(+x.toPrecision(3));

/** Parameter elements a landscape axis can show: [{ value: 'param:element', label }], the
 *  first 16 of each parameter and `max` in all (a model may declare thousands). */
export function paramElements(params, max = 256) {
  const out = [];
  for (const [i, p] of (params ?? []).entries()) {
    const numel = p.value.length;
    for (let e = 0; e < Math.min(numel, 16) && out.length < max; e++) out.push({ value: `${i}:${e}`, label: numel > 1 ? `${p.name}[${e}]` : p.name });
    if (out.length >= max) break;
  }
  return out;
}

/**
 * What to ask the engine for a landscape over axes 'param:element' ax and ay, framing the
 * run's path (see web/src/run.mjs) and where the parameters are now; null when there is no
 * pair to show. { x: [param, element, min, max], y: [...], path: [[x, y], ...] }
 */
/** Grid points per side: n x n evaluations of the loss over every row, so fewer for big data
 *  (a 48 x 48 grid over a 10^6-row CSV kept the worker busy for tens of seconds per run). */
export function landscapeGridSize(run) {
  const rows = run.data?.columns?.[0]?.values?.length ?? 0;
  return Math.max(8, Math.min(48, Math.floor(Math.sqrt(2e7 / Math.max(1, rows)))));
}

export function landscapeQuery(run, ax, ay) {
  if (!ax || !ay || ax === ay || !run.params?.length) return null;
  const [pi, ei] = ax.split(':').map(Number);
  const [qi, fi] = ay.split(':').map(Number);
  const path = pathOf(run, pi, ei, qi, fi);
  const range = (vs, now) => {
    const fin = vs.filter(Number.isFinite).concat([now].filter(Number.isFinite));
    let lo = Math.min(...fin), hi = Math.max(...fin);
    if (!fin.length) { lo = -1; hi = 1; }
    const pad = Math.max((hi - lo) * 0.25, Math.abs(hi) * 0.1, 0.5);
    return [lo - pad, hi + pad];
  };
  const nowX = run.params[pi]?.value[ei], nowY = run.params[qi]?.value[fi];
  const [x0, x1] = range(path.map((p) => p[0]), nowX);
  const [y0, y1] = range(path.map((p) => p[1]), nowY);
  return { x: [pi, ei, x0, x1], y: [qi, fi, y0, y1], path: [...path, [nowX, nowY]] };
}

function pathOf(run, pi, ei, qi, fi) {
  const p = run.paramHist[pi], q = run.paramHist[qi];
  if (!p || !q) return [];
  const n = Math.min(p.values.length / p.numel, q.values.length / q.numel);
  const stride = Math.max(1, Math.ceil(n / 400));
  const out = [];
  for (let k = 0; k < n; k += stride) out.push([p.values[k * p.numel + ei], q.values[k * q.numel + fi]]);
  return out;
}
