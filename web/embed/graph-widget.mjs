// <gradlab-graph>: the computation graph of one forward pass, and a backward() button that
// sends the gradient back through it. Below the graph, each parameter's .grad as PyTorch
// prints it (None before the first backward). run() = forward, then backward().
// Attribute `accumulate`: backward() without zero_grad, so repeated presses add up.
import { fullText } from '../src/format.mjs';
import { drawGraph } from '../src/graph.mjs';
import { GradlabElement, h } from './base.mjs';

export class GradlabGraph extends GradlabElement {
  #v = {};
  #animate = false;
  #drawn = null;
  calls = 0;  // backward() calls since the last forward + zero_grad

  onTeardown() {
    this.#v = {};
    this.#drawn = null;
    this.box.replaceChildren();
  }

  build() {
    const v = this.#v;
    v.forward = h('button', { type: 'button', className: 'code', textContent: 'loss = model(...)' });
    v.backward = h('button', { type: 'button', className: 'code primary', textContent: 'loss.backward()' });
    v.zero = h('button', { type: 'button', className: 'code', textContent: 'params.grad.zero_()' });
    v.forward.addEventListener('click', () => this.#phases(['forward']).catch((e) => this.showFailure(e)));
    v.backward.addEventListener('click', () => this.backward().catch((e) => this.showFailure(e)));
    v.zero.addEventListener('click', () => this.#phases(['zero_grad']).catch((e) => this.showFailure(e)));
    v.params = h('ul', { className: 'grads mono', attrs: { 'aria-label': 'Parameters and their gradients' } });
    v.graph = h('div', { className: 'graph', attrs: { role: 'img', 'aria-label': 'Computation graph' } });
    v.error = h('pre', { className: 'error', hidden: true, attrs: { role: 'alert' } });
    v.heavy = h('p', { className: 'error heavy', hidden: true, attrs: { role: 'status' } });
    this.box.append(h('div', { className: 'toolbar', attrs: { role: 'group', 'aria-label': 'Autograd' } }, v.forward, v.backward, v.zero), v.params, v.error, v.heavy, v.graph);
  }

  // the book's manual loop: zero_grad() is `params.grad.zero_()` (zeros, not None)
  engineConfig() {
    const manual = this.meta.manual;
    return { ...super.engineConfig(), optimizer: manual.name, options: { lr: this.state.get('options').lr ?? manual.defaults.lr }, setToNone: false };
  }

  async setup() {
    await this.configure();
    await this.#phases(['forward']);  // the graph exists after the forward pass; .grad is still None
  }

  // (no start() here: setup() runs it while the widget is still starting)
  async #phases(names) {
    let r = null;
    for (const name of names) {
      r = await this.player.act(() => this.engine.phase(name));
      if (!r) return null;
      if (name === 'backward' && r.ok) this.calls++;
      if (name === 'zero_grad') this.calls = 0;
    }
    this.#animate = names.includes('backward') && r.ok;
    this.render(false);
    return r;
  }

  /** backward() once more (after a forward); with `accumulate` the gradients add up. */
  async backward() {
    await this.start();
    await this.#phases(this.hasAttribute('accumulate') ? ['forward', 'backward'] : ['forward', 'zero_grad', 'backward']);
    const out = this.getState();
    this.emit('done', out);
    return out;
  }

  async run() { return this.backward(); }

  async reset() {
    await this.start();
    await this.player.act(() => this.engine.reset());
    this.calls = 0;
    await this.#phases(['forward']);
    return this.getState();
  }

  getState() { return { ...super.getState(), backwardCalls: this.calls }; }

  render() {
    const v = this.#v;
    if (!v.graph) return;
    const run = this.rec;
    v.params.replaceChildren(...(run.params ?? []).map((p) => h('li', {},
      h('code', { textContent: `${p.name} = ${this.repr(p.value, p.shape, true)}` }), h('br'),
      h('code', { textContent: `${p.name}.grad = ${this.repr(p.grad, p.shape)}`, attrs: { 'data-param': p.name, 'data-role': 'grad', 'data-full': fullText(p.grad) } }))));
    const errs = run.errors ?? [];
    const err = errs[errs.length - 1] ?? this.configError;
    v.error.hidden = !err;
    if (err) v.error.textContent = `${err.type}: ${err.message}`;
    const heavy = this.heavyText();
    v.heavy.hidden = !heavy;
    if (heavy) v.heavy.textContent = heavy;
    // redrawn only for a new graph (or an animation): a later redraw would cut the animation short
    if (this.#animate || run.graph !== this.#drawn || !run.graph) {
      drawGraph(v.graph, run.graph, { animate: this.#animate, lang: this.state.get('lang') });
      this.#drawn = run.graph;
      this.#animate = false;
    }
  }
}
