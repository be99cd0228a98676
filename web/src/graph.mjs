// The computation graph of the latest forward, as the engine walked it (grad_fn nodes,
// AccumulateGrad, leaves), drawn as SVG; backward() animates the gradient flowing from the
// loss to the leaves (CSS classes, staggered by depth).
//
// The layout must stay cheap whatever the model: dagre's cost grows with the nodes plus one
// dummy node per rank an edge crosses, and a parameter used by 400 statements makes edges
// that cross hundreds of ranks (a 1,611-node graph took dagre 518 s on the page's thread).
// So ranks are computed here first (longest path to the loss, O(nodes + edges)); dagre lays
// out a graph whose work (nodes + dummies) is under DAGRE_WORK, and any other graph gets a
// plain layered layout (rows by rank, ordered by where their consumers sit), also linear.
// The engine sends at most the nodes nearest the loss (web/src/host.mjs, graphNodes); a graph
// that was cut, or laid out plainly, says its whole size and what it holds.
import dagre from '@dagrejs/dagre';

import { translate } from './i18n.mjs';

const SVG = 'http://www.w3.org/2000/svg';
const el = (name, attrs = {}, parent = null) => {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
};

/** The most nodes + dummy nodes handed to dagre (measured: ~10 ms in Chromium). */
export const DAGRE_WORK = 80;

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
  return out.map((l) => (l.length > 40 ? l.slice(0, 39) + '…' : l));
}

/**
 * Each node's rank: the longest path from it to the loss (node 0, rank 0), following edges
 * from an input to the op that used it. Kahn's algorithm over consumers: O(nodes + edges).
 * Nodes that reach no drawn consumer (none, in a graph walked from the loss) get rank 0.
 */
export function ranks(graph) {
  const ids = graph.nodes.map((n) => n.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const rank = new Array(ids.length).fill(0);
  const outdeg = new Array(ids.length).fill(0);
  const inputs = ids.map(() => []);
  for (const e of graph.edges) {
    const f = index.get(e.from), t = index.get(e.to);
    if (f === undefined || t === undefined) continue;
    outdeg[f]++;
    inputs[t].push(f);
  }
  const queue = [];
  outdeg.forEach((d, i) => { if (d === 0) queue.push(i); });
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    for (const u of inputs[v]) {
      if (rank[u] < rank[v] + 1) rank[u] = rank[v] + 1;
      if (--outdeg[u] === 0) queue.push(u);
    }
  }
  return { index, rank };
}

/** What dagre would be handed: the nodes plus one dummy per rank each edge crosses. */
export function layoutWork(graph, { index, rank }) {
  let work = graph.nodes.length;
  for (const e of graph.edges) {
    const f = index.get(e.from), t = index.get(e.to);
    if (f !== undefined && t !== undefined) work += Math.max(0, rank[f] - rank[t] - 1);
  }
  return work;
}

const boxOf = (n) => {
  const ls = lines(n);
  return { lines: ls, width: Math.max(...ls.map((l) => l.length)) * 7.2 + 16, height: ls.length * 15 + 10 };
};

function dagreLayout(graph) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(String(n.id), { ...boxOf(n), node: n });
  for (const e of graph.edges) g.setEdge(String(e.from), String(e.to));
  dagre.layout(g);
  const { width, height } = g.graph();
  return {
    width, height,
    nodes: g.nodes().map((id) => g.node(id)),
    edges: g.edges().map((e) => ({ to: Number(e.w), points: g.edge(e).points })),
  };
}

// Rows by rank, the loss at the bottom; each row ordered by the mean position of the nodes
// its members feed (placed already: they sit on lower ranks), then packed left to right.
function layeredLayout(graph, { index, rank }) {
  const GAP = 24, ROW = 36, M = 8;
  const boxes = graph.nodes.map((n) => ({ ...boxOf(n), node: n }));
  const top = Math.max(0, ...rank);
  const rows = Array.from({ length: top + 1 }, () => []);
  rank.forEach((r, i) => rows[r].push(i));
  const consumers = graph.nodes.map(() => []);
  for (const e of graph.edges) {
    const f = index.get(e.from), t = index.get(e.to);
    if (f !== undefined && t !== undefined) consumers[f].push(t);
  }
  const rowHeight = rows.map((row) => Math.max(0, ...row.map((i) => boxes[i].height)));
  let width = 0;
  for (let r = 0; r <= top; r++) {
    const row = rows[r];
    const key = (i) => (consumers[i].length ? consumers[i].reduce((s, t) => s + boxes[t].x, 0) / consumers[i].length : 0);
    if (r > 0) row.sort((a, b) => key(a) - key(b));
    let x = M;
    for (const i of row) {
      boxes[i].x = x + boxes[i].width / 2;
      x += boxes[i].width + GAP;
    }
    width = Math.max(width, x - GAP + M);
  }
  // centre each row; y from the top (the highest rank) down to the loss
  let y = M;
  for (let r = top; r >= 0; r--) {
    const row = rows[r];
    const used = row.length ? boxes[row[row.length - 1]].x + boxes[row[row.length - 1]].width / 2 + M : 0;
    const shift = (width - used) / 2;
    for (const i of row) {
      boxes[i].x += shift;
      boxes[i].y = y + rowHeight[r] / 2;
    }
    y += rowHeight[r] + ROW;
  }
  const edges = [];
  for (const e of graph.edges) {
    const f = index.get(e.from), t = index.get(e.to);
    if (f === undefined || t === undefined) continue;
    const a = boxes[f], b = boxes[t];
    edges.push({ to: e.to, long: rank[f] - rank[t] > 1, points: [{ x: a.x, y: a.y + a.height / 2 }, { x: b.x, y: b.y - b.height / 2 }] });
  }
  return { width: Math.max(width, 10), height: y - ROW + M, nodes: boxes, edges };
}

function summaryText(graph, plain, t) {
  const total = graph.totalNodes ?? graph.nodes.length;
  const cut = total > graph.nodes.length;
  const counts = (graph.counts ?? []).slice().sort((a, b) => b.count - a.count);
  const named = counts.map((c) => (c.kind === 'param' ? t('graphParams', { n: c.count }) : c.kind === 'data' ? t('graphData', { n: c.count }) : `${c.name} ×${c.count}`));
  const shown = named.slice(0, 8).join(', ') + (named.length > 8 ? ', …' : '');
  const head = cut
    ? t('graphCut', { total: total.toLocaleString('en'), edges: (graph.totalEdges ?? graph.edges.length).toLocaleString('en'), shown: graph.nodes.length })
    : t('graphPlain', { total: total.toLocaleString('en') });
  return plain || cut ? `${head}${shown ? ` ${shown}.` : ''}` : '';
}

/**
 * Draws graph into container. options: animate (backward's flow), lang ('en' or 'zh-TW').
 * Returns { nodes (drawn), total, layout: 'dagre' | 'layered' | 'none' }.
 */
export function drawGraph(container, graph, { animate = false, lang = 'en' } = {}) {
  const t = (key, vars) => translate(lang, key, vars);
  container.replaceChildren();
  if (!graph || !graph.nodes?.length) {
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = t('graphEmpty');
    container.appendChild(p);
    container.dataset.layout = 'none';
    return { nodes: 0, total: graph?.totalNodes ?? 0, layout: 'none' };
  }
  const rk = ranks(graph);
  const plain = layoutWork(graph, rk) > DAGRE_WORK;
  const lay = plain ? layeredLayout(graph, rk) : dagreLayout(graph);
  const depth = new Map(graph.nodes.map((n, i) => [n.id, rk.rank[i]]));
  const total = graph.totalNodes ?? graph.nodes.length;
  container.dataset.layout = plain ? 'layered' : 'dagre';
  container.dataset.nodes = String(graph.nodes.length);
  container.dataset.total = String(total);

  const note = summaryText(graph, plain, t);
  if (note) {
    const p = document.createElement('p');
    p.className = 'hint graph-summary';
    p.textContent = note;
    container.appendChild(p);
  }
  const { width, height } = lay;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width: Math.ceil(width), height: Math.ceil(height), class: 'graph-svg' });
  el('title', {}, svg).textContent = 'Computation graph: arrows run forward, from the leaves to the loss; backward() sends gradients back along them';
  const defs = el('defs', {}, svg);
  const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' }, defs);
  el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }, marker);

  for (const e of lay.edges) {
    const d = e.points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    const path = el('path', { d, class: 'edge' + (e.long ? ' long' : '') + (animate ? ' flow' : ''), 'marker-end': 'url(#arrow)' }, svg);
    if (animate) path.style.animationDelay = `${(depth.get(e.to) ?? 0) * 0.25}s`;
  }
  for (const { x, y, width: w, height: h, lines: ls, node } of lay.nodes) {
    const grp = el('g', { class: `node ${node.kind}` + (animate ? ' pulse' : ''), transform: `translate(${(x - w / 2).toFixed(1)},${(y - h / 2).toFixed(1)})` }, svg);
    if (animate) grp.style.animationDelay = `${(depth.get(node.id) ?? 0) * 0.25}s`;
    el('rect', { width: w, height: h, rx: node.kind === 'op' || node.kind === 'accumulate' ? 10 : 2 }, grp);
    ls.forEach((l, i) => { el('text', { x: 8, y: 17 + i * 15, class: i === 0 ? 'head' : '' }, grp).textContent = l; });
  }
  container.appendChild(svg);
  return { nodes: graph.nodes.length, total, layout: plain ? 'layered' : 'dagre' };
}
