// <gradlab-race>: optimizers racing on one model. `configs`: one racer per line (or per '|'),
// as in the playground's race box: "Adam lr=0.1 normalize=False". Each racer trains a session
// of its own for `epochs`; the curves are then drawn as a race, epoch by epoch.
// Attribute `menu`: list torch.optim's classes (from the engine) and let the reader add any.
import { Chart } from '../src/charts.mjs';
import { fmtLoss } from '../src/format.mjs';
import { parseRaceLine, raceSeries } from '../src/race.mjs';
import { GradlabElement, h } from './base.mjs';

const REVEAL_FRAMES = 45;
const racers = (text) => (text ?? '').split(/\n|\|/).map((l) => l.trim()).filter(Boolean);

export class GradlabRace extends GradlabElement {
  #v = {};
  #chart = null;
  results = [];

  lines() { return racers(this.#v.configs?.value ?? this.getAttribute('configs')); }

  build() {
    const v = this.#v;
    v.run = h('button', { type: 'button', className: 'primary', textContent: this.t('race') });
    v.run.addEventListener('click', () => this.run().catch((e) => this.showFailure(e)));
    v.configs = h('textarea', { rows: 3, spellcheck: false, value: racers(this.getAttribute('configs')).join('\n'), attrs: { 'aria-label': 'Racers, one per line' } });
    v.results = h('table', { className: 'results' });
    v.chartEl = h('div', { className: 'chart', attrs: { role: 'img', 'aria-label': 'Loss per optimizer' } });
    this.#chart = new Chart(v.chartEl, { log: true, height: 220, minWidth: 200 });
    const parts = [v.configs];
    if (this.hasAttribute('menu')) {
      const names = this.meta.optimizers.map((o) => o.name);
      v.pick = h('select', { attrs: { 'aria-label': 'Optimizer' } }, names.map((n) => h('option', { value: n, textContent: n })));
      const add = h('button', { type: 'button', textContent: this.t('addOptimizer') });
      add.addEventListener('click', () => {
        const spec = this.meta.optimizers.find((o) => o.name === v.pick.value);
        // the book's lr=1e-2 for every class that takes an lr; the others keep PyTorch's defaults
        const lr = spec?.defaults && 'lr' in spec.defaults ? ` lr=${this.meta.manual.defaults.lr}` : '';
        v.configs.value = `${v.configs.value.trim()}\n${v.pick.value}${lr}`.trim();
      });
      parts.unshift(h('p', { className: 'hint', textContent: this.t('optimizers', { n: names.length }) }),
        h('ul', { className: 'menu', attrs: { 'aria-label': 'torch.optim' } }, names.map((n) => h('li', { textContent: n }))),
        h('div', { className: 'toolbar' }, v.pick, add));
    }
    this.box.append(...parts, h('div', { className: 'toolbar' }, v.run), v.chartEl, v.results);
  }

  async setup() {
    this.#chart.setData([], [[]], ['…']);
  }

  onTeardown() {
    this.#chart?.destroy();
    this.#chart = null;
    this.#v = {};
    this.box.replaceChildren();
  }

  onAttributes(changed) {
    if (changed.has('configs')) this.#v.configs.value = racers(this.getAttribute('configs')).join('\n');
  }

  /** Races the configs; resolves with [{ label, finalLoss, firstNonfiniteEpoch, error }]. */
  async run(epochs) {
    await this.start();
    const n = Math.max(1, Math.min(100_000, Math.floor(epochs ?? this.state.get('epochs'))));
    const base = this.engineConfig();
    const configs = this.lines().map((l) => ({ ...base, ...parseRaceLine(l), label: l }));
    this.#v.run.disabled = true;
    try {
      const r = await this.engine.race(configs, n);
      this.results = r.results;
      await this.#reveal(n);
    } finally {
      this.#v.run.disabled = false;
    }
    const out = this.getState();
    this.emit('done', out);
    return out;
  }

  // the curves grow from epoch 1 to the end over ~REVEAL_FRAMES frames
  #reveal(n) {
    const full = raceSeries(this.results);
    const announced = new Set();
    return new Promise((resolve) => {
      let frame = 0;
      const tick = () => {
        if (!this.#chart) return resolve();  // removed from the page meanwhile
        frame++;
        const upTo = Math.ceil((full.x.length * frame) / REVEAL_FRAMES);
        const epoch = full.x[Math.min(upTo, full.x.length) - 1] ?? 0;
        this.#chart.setData(full.x.slice(0, upTo), full.ys.map((y) => y.slice(0, upTo)), full.labels);
        this.emit('epoch', { epoch: Math.min(epoch, n) });
        this.results.forEach((res, i) => {
          const k = res.loss.findIndex((v) => !Number.isFinite(v));
          if (k >= 0 && k < epoch && !announced.has(i)) {
            announced.add(i);
            this.emit('diverged', { label: res.label, epoch: k + 1 });
          }
        });
        if (upTo < full.x.length) requestAnimationFrame(tick);
        else { this.#table(); resolve(); }
      };
      requestAnimationFrame(tick);
    });
  }

  #table() {
    const rows = this.getState().racers.map((r) => h('tr', { attrs: { 'data-label': r.label } },
      h('td', { className: 'mono', textContent: r.label }),
      h('td', { className: 'num', textContent: r.error ? `${r.error.type}: ${r.error.message}` : r.firstNonfiniteEpoch ? `inf/nan from epoch ${r.firstNonfiniteEpoch}` : `${this.t('loss')} ${fmtLoss(r.finalLoss)}`, attrs: { 'data-loss': String(r.finalLoss) } })));
    this.#v.results.replaceChildren(h('tbody', {}, rows));
  }

  getState() {
    return {
      state: this.state.toHash().slice(1),
      racers: this.results.map((r) => {
        const k = r.loss.findIndex((v) => !Number.isFinite(v));
        return { label: r.label, epochs: r.loss.length, finalLoss: r.loss.length ? r.loss[r.loss.length - 1] : NaN, firstNonfiniteEpoch: k >= 0 ? k + 1 : 0, error: r.error ?? null };
      }),
    };
  }

  async reset() {
    await this.start();
    this.results = [];
    this.#chart.setData([], [[]], ['…']);
    this.#v.results.replaceChildren();
    return this.getState();
  }
}
