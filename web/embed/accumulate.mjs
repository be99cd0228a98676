// <gradlab-accumulate>: one model twice, side by side: with zero_grad() before each
// backward() and without. Press "forward + backward()" a few times: on the left .grad stays
// the same, on the right it grows by one gradient per call (backward() adds into .grad).
// run() trains both for `epochs`; done's detail: { with: getState(), without: {...} }.
import { Chart, thin } from '../src/charts.mjs';
import { Player } from '../src/engine.mjs';
import { fmtLoss, fullText } from '../src/format.mjs';
import { absorbSnapshot, emptyRun } from '../src/run.mjs';
import { GradlabElement, h } from './base.mjs';

export class GradlabAccumulate extends GradlabElement {
  #sides = [];  // [{ key, zeroGrad, engine, player, rec (getter), calls, view }]

  onTeardown() {
    for (const s of this.#sides) s.view.lossChart.destroy();
    this.#sides = [];
    this.box.replaceChildren();
  }

  build() {
    this.#sides = [];
    const run = h('button', { type: 'button', className: 'primary', textContent: this.t('run') });
    const step = h('button', { type: 'button', className: 'code', textContent: this.t('forwardBackward') });
    const reset = h('button', { type: 'button', textContent: this.t('reset') });
    run.addEventListener('click', () => this.run().catch((e) => this.showFailure(e)));
    step.addEventListener('click', () => this.backward().catch((e) => this.showFailure(e)));
    reset.addEventListener('click', () => this.reset().catch((e) => this.showFailure(e)));
    this.runButton = run;
    const sides = h('div', { className: 'sides' });
    for (const [key, zeroGrad] of [['with', true], ['without', false]]) {
      const view = {
        calls: h('p', { className: 'hint' }),
        grads: h('ul', { className: 'grads mono' }),
        readout: h('p', { className: 'readout' }),
        heavy: h('p', { className: 'error heavy', hidden: true, attrs: { role: 'status' } }),
        chart: h('div', { className: 'chart', attrs: { role: 'img', 'aria-label': `Loss ${key} zero_grad` } }),
      };
      view.root = h('section', { className: 'side' + (zeroGrad ? '' : ' bad'), attrs: { 'data-side': key } },
        h('h3', { className: 'mono', textContent: this.t(zeroGrad ? 'withZeroGrad' : 'withoutZeroGrad') }), view.calls, view.grads, view.readout, view.heavy, view.chart);
      view.lossChart = new Chart(view.chart, { log: true, height: 150, minWidth: 160 });
      sides.append(view.root);
      this.#sides.push({ key, zeroGrad, view, calls: 0 });
    }
    this.box.append(h('div', { className: 'toolbar', attrs: { role: 'group' } }, step, run, reset), sides);
  }

  async setup() {
    const [a, b] = this.#sides;
    // the left side is the element's own session; the right one a second session, same engine
    Object.assign(a, { engine: this.engine, player: this.player });
    Object.defineProperty(a, 'rec', { get: () => this.rec });
    b.engine = await this.openEngine();  // freed with the widget's own when it leaves the page
    b.player = new Player(b.engine);
    b.run = emptyRun();
    Object.defineProperty(b, 'rec', { get: () => b.run });
    b.engine.onSnapshot = (snap) => {
      b.run = absorbSnapshot(b.run, snap);
      if (b.run.firstNonfiniteEpoch > 0 && !b.diverged) {
        b.diverged = true;
        this.emit('diverged', { side: 'without', epoch: b.run.firstNonfiniteEpoch, param: b.run.firstNonfiniteParam });
      }
      this.markDirty();
    };
    await b.engine.init();
    await this.configure();
  }

  async configure() {
    const base = this.engineConfig();
    // from the start on both sides: the configuration (the engine does the least work), then
    // reset (which a configuration that changed nothing would not do)
    await Promise.all(this.#sides.map((s) => s.player.act(async () => {
      await s.engine.configure({ ...base, zeroGrad: s.zeroGrad });
      return s.engine.reset();
    })));
    for (const s of this.#sides) { s.calls = 0; s.diverged = false; }
    this.render(false);
  }

  /** One more forward + backward() on both sides (the left zeroes .grad first). */
  async backward() {
    await this.start();
    await Promise.all(this.#sides.map(async (s) => {
      const phases = s.zeroGrad ? ['forward', 'zero_grad', 'backward'] : ['forward', 'backward'];
      for (const p of phases) await s.player.act(() => s.engine.phase(p));
      s.calls++;
    }));
    this.render(false);
    const out = this.getState();
    this.emit('done', out);
    return out;
  }

  /** Trains both sides from the start for `epochs`. */
  async run(epochs) {
    await this.start();
    const n = Math.max(1, Math.min(1_000_000, Math.floor(epochs ?? this.state.get('epochs'))));
    this.runButton.disabled = true;
    try {
      await this.configure();
      const done = await Promise.all(this.#sides.map((s) => s.player.run(n, () => {})));
      if (done.some((d) => !d)) return null;
    } finally {
      this.runButton.disabled = false;
    }
    this.render(false);
    const out = this.getState();
    this.emit('done', out);
    return out;
  }

  async reset() {
    await this.start();
    await this.configure();
    return this.getState();
  }

  getState() {
    const base = super.getState();
    const of = (s) => ({
      epoch: s.rec.epoch, loss: s.rec.loss.length ? s.rec.loss[s.rec.loss.length - 1] : s.rec.lastLoss, backwardCalls: s.calls,
      params: (s.rec.params ?? []).map((p) => ({ name: p.name, value: Array.from(p.value), grad: p.grad ? Array.from(p.grad) : null })),
      firstNonfiniteEpoch: s.rec.firstNonfiniteEpoch,
    });
    return { state: base.state, with: of(this.#sides[0]), without: of(this.#sides[1]) };
  }

  render() {
    for (const s of this.#sides) {
      if (!s.rec) continue;
      const { view } = s;
      const run = s.rec;
      view.calls.textContent = this.t('backwardCalls', { n: s.calls });
      view.grads.replaceChildren(...(run.params ?? []).map((p) => h('li', {},
        h('code', { textContent: `${p.name}.grad = ${this.repr(p.grad, p.shape)}`, attrs: { 'data-param': p.name, 'data-full': fullText(p.grad) } }))));
      const loss = run.loss.length ? run.loss[run.loss.length - 1] : run.lastLoss;
      view.readout.textContent = `${this.t('epoch')} ${run.epoch} · ${this.t('loss')} ${Number.isFinite(loss) || run.loss.length ? fmtLoss(loss) : '–'}`;
      view.readout.dataset.loss = String(loss);
      const heavy = this.heavyText(run.cost?.refused);
      view.heavy.hidden = !heavy;
      if (heavy) view.heavy.textContent = heavy;
      const [x, y] = thin(run.loss);
      view.lossChart.setData(x, [y], ['loss']);
    }
  }
}
