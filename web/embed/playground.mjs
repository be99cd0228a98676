// <gradlab-playground>: the playground in a post. Attributes configure it (see attributes.mjs);
// `panels` picks the views: loss, grads, graph, landscape, steps (the four steps by hand, with
// the loop's code), log (the book's "Epoch 500, Loss ..." lines), params.
import { Chart, thin } from '../src/charts.mjs';
import { epochLine, fmtLoss, fullText } from '../src/format.mjs';
import { drawGraph } from '../src/graph.mjs';
import { drawLandscape, landscapeGridSize, landscapeQuery, paramElements } from '../src/landscape.mjs';
import { loopLines } from '../src/loop.mjs';
import { firstElements, gradSeries } from '../src/run.mjs';
import { GradlabElement, h } from './base.mjs';

const PANELS = ['loss', 'grads', 'graph', 'landscape', 'steps', 'log', 'params'];
// The landscape runs on the page's thread (in the engine's slices of 12 ms): a grid that would
// take longer than this in all is made coarser, or skipped with a note.
const LANDSCAPE_BUDGET_MS = 1000;

export class GradlabPlayground extends GradlabElement {
  #v = {};           // the views' elements
  #charts = {};
  #lastPhase = '';
  #animate = false;
  #drawn = null;
  #landTimer = 0;
  #landKey = '';
  #snapshots = 0;

  panels() {
    const want = (this.getAttribute('panels') ?? 'loss,grads,graph,landscape').split(/[\s,]+/).filter((p) => PANELS.includes(p));
    return want.length ? want : ['loss'];
  }

  build() {
    // a landscape asked for the views being replaced is dropped with them, and so are charts
    clearTimeout(this.#landTimer);
    this.#landKey = '';
    for (const c of Object.values(this.#charts)) c.destroy();
    this.#v = {};
    this.#charts = {};
    this.#drawn = null;
    const v = this.#v;
    v.run = h('button', { type: 'button', className: 'primary', textContent: this.t('run') });
    v.pause = h('button', { type: 'button', textContent: this.t('pause') });
    v.reset = h('button', { type: 'button', textContent: this.t('reset') });
    v.title = h('span', { className: 'title' });
    v.epoch = h('output', { textContent: '0' });
    v.loss = h('output', { textContent: '–' });
    v.zeroGrad = h('input', { type: 'checkbox' });
    v.noGrad = h('input', { type: 'checkbox' });
    v.noGradLabel = h('label', { className: 'check' }, v.noGrad, this.t('noGradToggle'));
    v.banner = h('p', { className: 'banner', hidden: true, attrs: { role: 'alert' } });
    v.error = h('pre', { className: 'error', hidden: true, attrs: { role: 'alert' } });
    v.heavy = h('p', { className: 'error heavy', hidden: true, attrs: { role: 'status' } });
    v.run.addEventListener('click', () => this.run().catch((e) => this.showFailure(e)));
    v.pause.addEventListener('click', () => this.pause());
    v.reset.addEventListener('click', () => this.reset());
    v.zeroGrad.addEventListener('change', () => { this.state.set({ zeroGrad: v.zeroGrad.checked }); this.configure(); });
    v.noGrad.addEventListener('change', () => { this.state.set({ manualNoGrad: v.noGrad.checked }); this.configure(); });
    this.box.append(
      h('div', { className: 'toolbar' }, v.title),
      h('div', { className: 'toolbar', attrs: { role: 'group', 'aria-label': 'Run controls' } }, v.run, v.pause, v.reset,
        h('span', { className: 'readout' }, `${this.t('epoch')} `, v.epoch, ` · ${this.t('loss')} `, v.loss)),
      h('div', { className: 'toolbar' }, h('label', { className: 'check' }, v.zeroGrad, this.t('zeroGradToggle')), v.noGradLabel),
      v.banner, v.error, v.heavy,
    );
    const grid = h('div', { className: 'panels' });
    for (const p of this.panels()) grid.append(this.#panel(p));
    this.box.append(grid);
  }

  #panel(name) {
    const v = this.#v;
    const titles = { loss: 'lossCurve', grads: 'grads', graph: 'graph', landscape: 'landscape', steps: 'steps', log: 'log', params: 'params' };
    const sec = h('section', { className: 'panel', attrs: { 'data-panel': name } }, h('h3', { textContent: name === 'grads' ? '.grad' : this.t(titles[name]) }));
    if (name === 'loss') {
      v.lossChart = h('div', { className: 'chart', attrs: { role: 'img', 'aria-label': 'Loss curve' } });
      sec.append(v.lossChart);
      this.#charts.loss = new Chart(v.lossChart, { log: true, height: 180, minWidth: 200 });
    } else if (name === 'grads') {
      v.grads = h('ul', { className: 'grads mono' });
      v.gradChart = h('div', { className: 'chart', attrs: { role: 'img', 'aria-label': 'Gradient history' } });
      sec.append(v.grads, v.gradChart);
      this.#charts.grad = new Chart(v.gradChart, { height: 160, minWidth: 200 });
    } else if (name === 'graph') {
      v.graph = h('div', { className: 'graph', attrs: { role: 'img', 'aria-label': 'Computation graph' } });
      sec.append(v.graph);
    } else if (name === 'landscape') {
      v.landNote = h('p', { className: 'hint', hidden: true, attrs: { role: 'status' } });
      v.landscape = h('div', { className: 'landscape', attrs: { role: 'img', 'aria-label': 'Loss landscape' } });
      sec.append(v.landNote, v.landscape);
    } else if (name === 'steps') {
      v.steps = {};
      const row = h('div', { className: 'toolbar', attrs: { role: 'group', 'aria-label': 'Step by step' } });
      for (const [phase, label] of [['forward', 'forward'], ['zero_grad', 'zero_grad()'], ['backward', 'backward()'], ['step', 'step()']]) {
        const b = h('button', { type: 'button', className: 'code', textContent: label });
        b.addEventListener('click', () => this.phase(phase).catch((e) => this.showFailure(e)));
        v.steps[phase] = b;
        row.append(b);
      }
      v.loop = h('pre', { className: 'loop-code', attrs: { 'aria-label': 'Current epoch as Python' } });
      sec.append(row, v.loop);
    } else if (name === 'log') {
      v.log = h('pre', { className: 'log', attrs: { 'aria-label': 'Training log' } });
      sec.append(v.log);
    } else if (name === 'params') {
      v.params = h('tbody');
      sec.append(h('table', {}, h('thead', {}, h('tr', {}, h('th', { textContent: 'name' }), h('th', { textContent: 'value' }), h('th', { textContent: '.grad' }))), v.params));
    }
    return sec;
  }

  onRunStart() { this.rec.gradCalls = []; this.#lastPhase = ''; clearTimeout(this.#landTimer); }
  onReset() { this.#lastPhase = ''; }
  onTeardown() {
    clearTimeout(this.#landTimer);
    this.#landKey = '';
    for (const c of Object.values(this.#charts)) c.destroy();
    this.#charts = {};
    this.#v = {};
    this.box.replaceChildren();
  }
  absorb(snap) { this.#snapshots++; super.absorb(snap); }

  /** One of the four phases by hand: 'forward', 'zero_grad', 'backward' or 'step'. */
  async phase(name) {
    await this.start();
    const r = await this.player.act(() => this.engine.phase(name));
    if (!r) return null;
    this.#lastPhase = name;
    if (name === 'backward' && r.ok) this.rec.gradCalls.push(firstElements(r.snapshot.params));
    this.#animate = name === 'backward' && r.ok;
    this.render(false);
    this.emit('epoch', { epoch: this.rec.epoch, loss: this.lossNow(), phase: name });
    return this.getState();
  }

  render(running) {
    const v = this.#v;
    if (!v.run) return;
    const s = this.state.all();
    const manual = s.optimizer === this.meta.manual.name;
    const lr = s.options?.lr;
    const rule = manual ? `params -= ${lr ?? 'lr'} * params.grad` : `${s.optimizer}${lr !== undefined ? ` lr=${lr}` : ''}`;
    v.title.textContent = `${rule}${s.preset === 'thermometer' ? ` · ${s.normalize ? 't_un' : 't_u'}` : ''}`;
    v.run.disabled = !!running;
    const heavy = this.heavyText();
    v.heavy.hidden = !heavy;
    if (heavy) v.heavy.textContent = heavy;
    v.zeroGrad.checked = s.zeroGrad;
    v.noGrad.checked = s.manualNoGrad;
    v.noGradLabel.hidden = !manual;
    const run = this.rec;
    v.epoch.textContent = String(run.epoch);
    const loss = this.lossNow();
    v.loss.textContent = Number.isFinite(loss) || run.loss.length ? fmtLoss(loss) : '–';
    v.loss.dataset.full = String(loss);
    const errs = run.errors ?? [];
    const err = errs[errs.length - 1] ?? this.configError;
    v.error.hidden = !err;
    if (err) v.error.textContent = `${err.line ? `line ${err.line}, column ${err.col}: ` : ''}${err.type}: ${err.message}`;
    if (run.firstNonfiniteEpoch > 0) {
      const x = run.loss[run.firstNonfiniteEpoch - 1];
      v.banner.textContent = this.t(s.normalize || s.preset !== 'thermometer' ? 'divergedLr' : 'diverged', {
        epoch: run.firstNonfiniteEpoch, value: Number.isNaN(x) ? 'nan' : 'inf',
        param: run.firstNonfiniteParam || '?', pepoch: run.firstNonfiniteParamEpoch || run.firstNonfiniteEpoch,
      });
      v.banner.dataset.epoch = String(run.firstNonfiniteEpoch);
      v.banner.hidden = false;
    } else {
      v.banner.hidden = true;
    }
    if (this.#charts.loss) {
      const [x, y] = thin(run.loss);
      this.#charts.loss.setData(x, [y], ['loss']);
    }
    if (v.grads) this.#renderGrads();
    if (v.log) this.#renderLog();
    if (running) return;
    if (v.graph && (this.#animate || run.graph !== this.#drawn || !run.graph)) {
      // redrawn only for a new graph (or an animation): a later redraw would cut the animation short
      drawGraph(v.graph, run.graph, { animate: this.#animate, lang: s.lang });
      this.#drawn = run.graph;
      this.#animate = false;
    }
    if (v.loop) this.#renderSteps();
    if (v.params) this.#renderParams();
    if (v.landscape) this.#scheduleLandscape();
  }

  #renderGrads() {
    const run = this.rec;
    this.#v.grads.replaceChildren(...(run.params ?? []).map((p) => h('li', {},
      h('code', { textContent: `${p.name}.grad = ${this.repr(p.grad, p.shape)}`, attrs: { 'data-param': p.name, 'data-full': fullText(p.grad) } }))));
    const g = gradSeries(run);
    this.#charts.grad.setData(g.x, g.ys, g.labels, g.axis);
  }

  #renderLog() {
    // as the book's loop prints: every `log-every` epochs (default: a tenth of the run)
    const run = this.rec;
    const every = Number(this.getAttribute('log-every')) || Math.max(1, Math.round(this.state.get('epochs') / 10));
    const lines = [];
    for (let e = every; e <= run.loss.length; e += every) lines.push(epochLine(e, run.loss[e - 1]));
    const text = lines.join('\n');
    if (this.#v.log.textContent !== text) this.#v.log.textContent = text;
  }

  #renderSteps() {
    const s = this.state.all();
    const lines = loopLines({ manual: s.optimizer === this.meta.manual.name, zeroGrad: s.zeroGrad, noGrad: s.manualNoGrad, epoch: this.rec.epoch + 1 });
    this.#v.loop.replaceChildren(...lines.map(([phase, text]) => h('span', { className: 'line' + (phase && phase === this.#lastPhase ? ' active' : ''), textContent: text + '\n' })));
    for (const [phase, b] of Object.entries(this.#v.steps)) b.classList.toggle('active', phase === this.#lastPhase);
  }

  #renderParams() {
    this.#v.params.replaceChildren(...(this.rec.params ?? []).map((p) => h('tr', {},
      h('th', { textContent: p.name }),
      h('td', { className: 'num', textContent: this.repr(p.value, p.shape, true) }),
      h('td', { className: 'num', textContent: this.repr(p.grad, p.shape) }))));
  }

  #scheduleLandscape() {
    clearTimeout(this.#landTimer);
    if (this.player?.running) return;
    this.#landTimer = setTimeout(() => this.#drawLandscape().catch(() => {}), 30);
  }

  // Drawn into the views that asked for it: a rebuild (new `panels`) or a removal meanwhile
  // leaves the answer unused. The engine computes it in slices after runs, within a budget.
  async #drawLandscape() {
    const v = this.#v;
    const box = v.landscape;
    const note = (text) => { v.landNote.textContent = text; v.landNote.hidden = !text; };
    const els = paramElements(this.rec.params);
    const q = landscapeQuery(this.rec, els[0]?.value, els[1]?.value);
    if (!q || this.rec.cost?.refused) { box.replaceChildren(); note(''); return; }
    const n = Math.min(40, landscapeGridSize(this.rec));
    const key = JSON.stringify([q.x, q.y, n, this.#snapshots]);
    if (key === this.#landKey) return;
    this.#landKey = key;
    let r;
    try {
      r = await this.engine.landscape(q.x, q.y, n, LANDSCAPE_BUDGET_MS);
    } catch {
      r = { failed: true };
    }
    if (this.#v !== v || !box.isConnected || this.#landKey !== key) return;
    const budget = LANDSCAPE_BUDGET_MS / 1000;
    if (r.cancelled) {
      this.#landKey = '';  // asked again after the run
    } else if (r.skipped || r.failed) {
      box.replaceChildren();
      box.dataset.state = r.skipped ? 'skipped' : 'failed';
      const ms = r.skipped?.pointMs ?? 0;
      note(r.skipped ? this.t('landscapeSkipped', { ms: ms.toFixed(ms < 10 ? 1 : 0), n, total: Math.round((ms * n * n) / 1000), budget }) : '');
    } else {
      drawLandscape(box, r.landscape, q.path);
      const coarse = r.landscape.n < n;
      box.dataset.state = coarse ? 'coarse' : 'drawn';
      box.dataset.n = String(r.landscape.n);
      note(coarse ? this.t('landscapeCoarse', { ms: r.pointMs.toFixed(r.pointMs < 10 ? 1 : 0), n: r.landscape.n, budget }) : '');
    }
  }
}
