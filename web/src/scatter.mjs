// 2-D classification data (x1, x2, y in {0, 1}) as an SVG scatter: fill = the true class,
// ring = the model's prediction (logit > 0), so misclassified points stand out.
const SVG = 'http://www.w3.org/2000/svg';
const el = (name, attrs = {}, parent = null) => {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
};

export function drawScatter(container, xs, ys, labels, logits, names) {
  container.replaceChildren();
  const S = 300;
  const range = (v) => {
    let lo = Infinity, hi = -Infinity;
    for (const x of v) { if (x < lo) lo = x; if (x > hi) hi = x; }
    const pad = (hi - lo) * 0.05 || 1;
    return [lo - pad, hi + pad];
  };
  const [x0, x1] = range(xs), [y0, y1] = range(ys);
  const svg = el('svg', { viewBox: `-30 -10 ${S + 40} ${S + 40}`, width: '100%', class: 'scatter-svg' });
  let wrong = 0;
  for (let i = 0; i < xs.length; i++) {
    const pred = logits ? (logits[i] > 0 ? 1 : 0) : labels[i];
    if (pred !== labels[i]) wrong++;
    el('circle', {
      cx: (((xs[i] - x0) / (x1 - x0)) * S).toFixed(1), cy: (S - ((ys[i] - y0) / (y1 - y0)) * S).toFixed(1), r: 4,
      class: `pt c${labels[i]} p${pred}`,
    }, svg);
  }
  el('rect', { x: 0, y: 0, width: S, height: S, class: 'frame' }, svg);
  const text = (x, y, s, anchor = 'middle') => { el('text', { x, y, 'text-anchor': anchor, class: 'axis' }, svg).textContent = s; };
  text(S / 2, S + 24, names[0]);
  text(-16, S / 2, names[1]);
  el('title', {}, svg).textContent = `${names[0]} against ${names[1]}: fill is the true class, ring the model's prediction`;
  container.appendChild(svg);
  const p = document.createElement('p');
  p.className = 'hint';
  p.textContent = logits ? `${xs.length - wrong} of ${xs.length} points classified correctly (fill: class, ring: prediction).` : '';
  container.appendChild(p);
}
