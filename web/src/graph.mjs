// The computation graph of the latest forward, as the engine walked it (grad_fn nodes,
// AccumulateGrad, leaves), laid out by dagre and drawn as SVG. backward() animates the
// gradient flowing from the loss to the leaves (CSS classes, staggered by depth).
import dagre from '@dagrejs/dagre';

const SVG = 'http://www.w3.org/2000/svg';
const el = (name, attrs = {}, parent = null) => {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
};

const fmt = (xs) => (xs?.length ? (xs.length === 1 ? fmtNum(xs[0]) : `[${Array.from(xs.slice(0, 3), fmtNum).join(', ')}${xs.length > 3 ? ', …' : ''}]`) : '');
// numbers as Python prints them where it matters: nan, inf, -inf
export const fmtNum = (x) => (Number.isFinite(x) ? (Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : String(+x.toPrecision(6))) : Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf');

function lines(n) {
  const out = [];
  if (n.kind === 'param') {
    out.push(`${n.name}  requires_grad=True`);
    out.push(`value ${fmt(n.value)}`);
    out.push(`grad ${n.hasGrad ? fmt(n.grad) : 'None'}`);
  } else if (n.kind === 'data') {
    out.push(`${n.name}  requires_grad=False`);
    out.push(`value ${fmt(n.value)}`);
  } else {
    out.push(n.name);
    if (n.label) out.push(n.label.length > 28 ? n.label.slice(0, 27) + '…' : n.label);
    if (n.value?.length) out.push(`= ${fmt(n.value)}`);
    // the gradient that reached this op in the last backward (d loss / d output)
    if (n.hasGrad) out.push(`grad ${fmt(n.grad)}`);
  }
  return out;
}

export function drawGraph(container, graph, { animate = false } = {}) {
  container.replaceChildren();
  if (!graph || !graph.nodes?.length) {
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = 'Press forward (or Run) to build the graph.';
    container.appendChild(p);
    return;
  }
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) {
    const ls = lines(n);
    const width = Math.max(...ls.map((l) => l.length)) * 7.2 + 16;
    g.setNode(String(n.id), { width, height: ls.length * 15 + 10, lines: ls, node: n });
  }
  for (const e of graph.edges) g.setEdge(String(e.from), String(e.to));
  dagre.layout(g);

  // depth from the loss, for the backward animation
  const depth = new Map([[graph.nodes[0].id, 0]]);
  for (let changed = true, guard = 0; changed && guard < 1000; guard++) {
    changed = false;
    for (const e of graph.edges) {
      // edges run forward (input -> the op that used it); gradients run back along them
      if (depth.has(e.to) && (!depth.has(e.from) || depth.get(e.from) < depth.get(e.to) + 1)) {
        depth.set(e.from, depth.get(e.to) + 1);
        changed = true;
      }
    }
  }

  const { width, height } = g.graph();
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width: Math.ceil(width), height: Math.ceil(height), class: 'graph-svg' });
  el('title', {}, svg).textContent = 'Computation graph: arrows run forward, from the leaves to the loss; backward() sends gradients back along them';
  const defs = el('defs', {}, svg);
  const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' }, defs);
  el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }, marker);

  for (const e of g.edges()) {
    const pts = g.edge(e).points;
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    const path = el('path', { d, class: 'edge' + (animate ? ' flow' : ''), 'marker-end': 'url(#arrow)' }, svg);
    if (animate) path.style.animationDelay = `${(depth.get(Number(e.w)) ?? 0) * 0.25}s`;
  }
  for (const id of g.nodes()) {
    const { x, y, width: w, height: h, lines: ls, node } = g.node(id);
    const grp = el('g', { class: `node ${node.kind}` + (animate ? ' pulse' : ''), transform: `translate(${(x - w / 2).toFixed(1)},${(y - h / 2).toFixed(1)})` }, svg);
    if (animate) grp.style.animationDelay = `${(depth.get(node.id) ?? 0) * 0.25}s`;
    el('rect', { width: w, height: h, rx: node.kind === 'op' || node.kind === 'accumulate' ? 10 : 2 }, grp);
    ls.forEach((l, i) => { el('text', { x: 8, y: 17 + i * 15, class: i === 0 ? 'head' : '' }, grp).textContent = l; });
  }
  container.appendChild(svg);
}
