// What every gradlab element shares: a shadow root with the adopted style sheet, start-up
// when first scrolled into view (IntersectionObserver), a session of its own over the shared
// engine, the playground's state (attributes -> web/src/state.mjs) and run store
// (web/src/run.mjs), redraws at most once per animation frame, and the public API:
// events `epoch`, `diverged`, `done` (plus `ready`); methods run(), reset(), getState().
// Removed from the page, a widget stops and frees its session at once (a move within the
// page, disconnected and connected again in the same task, keeps it); connected again later,
// it starts over from its attributes.
import { Player } from '../src/engine.mjs';
import { PRINT_THRESHOLD, tensorText } from '../src/format.mjs';
import { translate } from '../src/i18n.mjs';
import { absorbSnapshot, emptyRun } from '../src/run.mjs';
import { State } from '../src/state.mjs';
import { applyAttributes, ATTRIBUTES } from './attributes.mjs';
import { engineStats, localEngine, sharedEngine } from './local-engine.mjs';
import { sheets } from './styles.mjs';

/** document.createElement with properties, attributes (attrs) and children. */
export function h(tag, props = {}, ...children) {
  const { attrs, ...rest } = props;
  const e = Object.assign(document.createElement(tag), rest);
  for (const [k, v] of Object.entries(attrs ?? {})) if (v != null) e.setAttribute(k, v);
  e.append(...children.flat().filter((c) => c != null));
  return e;
}

// (the bundle is also the page's engine worker, where there is no HTMLElement: the classes
// are defined there, never used)
export class GradlabElement extends (globalThis.HTMLElement ?? Object) {
  static get observedAttributes() { return [...ATTRIBUTES, 'panels', 'height', 'configs']; }
  /** What the widgets of this page hold in the shared engine (see local-engine.mjs). */
  static engineStats() { return engineStats(); }

  state = new State();
  rec = emptyRun();
  engine = null;
  player = null;
  meta = null;
  torch = null;
  /** ms from the page's navigation start to the first frame drawn from engine numbers. */
  firstFrameMs = null;
  #start = null;
  #observer = null;
  #raf = 0;
  #dirty = false;
  #diverged = false;
  #reconfigure = 0;
  #changed = new Set();
  #lastEpochEvent = -1;
  #engines = [];  // every engine this widget opened (the accumulate widget has two)
  #gen = 0;       // bumped when the widget leaves the page: a boot in flight then stops

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = sheets();
    this.box = h('div', { className: 'box', attrs: { part: 'box' } });
    root.append(this.box);
    this.#newReady();
  }

  #newReady() {
    this.ready = new Promise((resolve, reject) => { this.resolveReady = resolve; this.rejectReady = reject; });
    this.ready.catch(() => {});
  }

  connectedCallback() {
    if (this.#start) return this.#loop();
    this.box.replaceChildren(h('p', { className: 'placeholder', textContent: this.t('visible') }));
    if (!('IntersectionObserver' in window)) return this.start();
    this.#observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this.start();
    }, { rootMargin: '200px 0px' });
    this.#observer.observe(this);
  }

  disconnectedCallback() {
    cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    // (a microtask later: an element moved within the page is connected again by then)
    queueMicrotask(() => { if (!this.isConnected) this.#teardown(); });
  }

  /** Stops every job and frees the widget's sessions now; the next connection starts over. */
  #teardown() {
    this.#observer?.disconnect();
    this.#observer = null;
    clearTimeout(this.#reconfigure);
    this.#changed.clear();
    const engines = this.#engines.splice(0);
    const started = this.#start;
    this.#start = null;
    this.#gen++;
    this.player?.stop();
    this.onTeardown?.();
    this.engine = this.player = this.meta = null;
    delete this.dataset.ready;
    this.rec = emptyRun();
    this.state = new State();
    this.#newReady();
    // a boot still in flight frees what it opens when it finishes (see #boot)
    const free = () => { for (const e of engines) e.dispose().catch(() => {}); };
    if (started) started.then(free, free); else free();
  }

  /** A new engine (a session of its own) for this widget, freed when it leaves the page: in
   *  the page's engine worker, or on the page's thread with engine="page" (local-engine.mjs). */
  async openEngine() {
    const gen = this.#gen;
    const e = await localEngine(this.getAttribute('engine') === 'page' ? 'page' : 'worker');
    if (gen !== this.#gen) { e.dispose().catch(() => {}); throw new Error('removed from the page'); }
    this.#engines.push(e);
    return e;
  }

  attributeChangedCallback(name, old, value) {
    if (!this.meta || old === value) return;
    // several attributes set in a row reconfigure once
    this.#changed.add(name);
    clearTimeout(this.#reconfigure);
    this.#reconfigure = setTimeout(() => {
      const changed = new Set(this.#changed);
      this.#changed.clear();
      if (!this.meta) return;  // removed meanwhile
      this.state = new State();
      this.linkRejected = applyAttributes(this, this.state, this.meta.presets);
      if (changed.has('panels') && typeof this.panels === 'function') {  // the playground family
        this.box.replaceChildren();
        this.build();
      }
      this.showLinkNote();
      this.onAttributes(changed);
    }, 0);
  }

  /** Starts the widget now (it starts by itself when scrolled into view); only on the page: a
   *  removed widget would hold a session nothing frees. */
  start() {
    if (!this.isConnected && !this.#start) return Promise.reject(new Error('the widget is not on the page'));
    this.#observer?.disconnect();
    if (!this.#start) {
      const ready = { resolve: this.resolveReady, reject: this.rejectReady };
      const boot = this.#boot();
      this.#start = boot;
      boot.then(() => { if (this.#start === boot) ready.resolve(); }, (e) => { if (this.#start === boot) { this.showFailure(e); ready.reject(e); } });
    }
    return this.ready;
  }

  async #boot() {
    const gen = this.#gen;
    // each await may outlast the widget's stay on the page: stop there if it left
    const still = (v) => { if (gen !== this.#gen) throw new Error('removed from the page'); return v; };
    this.box.replaceChildren(h('p', { className: 'placeholder', textContent: this.t('loadingEngine') }));
    this.torch = still(await sharedEngine()).torch;
    const engine = still(await this.openEngine());
    this.engine = engine;
    this.engine.onSnapshot = (snap) => this.absorb(snap);
    this.player = new Player(this.engine);
    const meta = still(await engine.init());
    this.meta = meta;
    performance.mark('gradlab:engine-ready');  // (the tests of issue 17 time the first frame from here)
    if (!this.hasAttribute('lang')) {
      const l = this.closest('[lang]')?.getAttribute('lang');
      if (l) this.state.set({ lang: /^zh/i.test(l) ? 'zh-TW' : 'en' });
    }
    this.linkRejected = applyAttributes(this, this.state, this.meta.presets);
    this.box.replaceChildren();
    this.build();
    const height = this.getAttribute('height');
    if (height) this.box.style.maxHeight = /^\d+$/.test(height) ? `${height}px` : height;  // CSSOM: allowed under CSP
    this.showLinkNote();
    still(await this.setup());
    this.#loop();
    requestAnimationFrame(() => {
      this.firstFrameMs = performance.now();
      performance.mark('gradlab:first-frame');
      this.dataset.ready = '1';
      this.emit('ready', { firstFrameMs: this.firstFrameMs });
    });
  }

  // ---------------------------------------------------------------- for subclasses
  /** Creates the widget's DOM (in this.box). */
  build() {}
  /** First engine work after build (configure, a first forward, ...). */
  async setup() { await this.configure(); }
  /** Redraws from this.rec; `running`: only the cheap views. */
  render(running) {}
  /** Attributes (a Set of names) changed after start-up; the state is re-read, `panels` rebuilt. */
  onAttributes() { return this.configure().catch((e) => this.showFailure(e)); }

  t(key, vars) { return translate(this.state.get('lang'), key, vars); }

  emit(type, detail) { this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true })); }

  markDirty() { this.#dirty = true; }

  /** What the engine builds the session from (web/src/host.mjs, configure()). */
  engineConfig() { return this.state.engineConfig(this.meta.presets); }

  /** Applies the state to the session (the engine does the least work: an lr change keeps
   *  the run, web/src/host.mjs); resolves with the engine's reply (or null). */
  async configure() {
    const cfg = this.engineConfig();
    const r = await this.player.act(() => this.engine.configure(cfg));
    if (!r) return null;
    if (r.restarted) {  // (an lr change keeps the run: same data, same divergence)
      this.rec.data = r.data;
      this.#diverged = false;
    }
    this.configError = r.modelError ?? r.dataError ?? r.optimizerError;
    this.render(false);
    return r;
  }

  /** Every snapshot from the engine, in order. */
  absorb(snap) {
    if (!snap) return;
    if (snap.fresh) {
      this.#diverged = false;
      this.#lastEpochEvent = -1;
    }
    const run = this.rec = absorbSnapshot(this.rec, snap);
    if (run.firstNonfiniteEpoch > 0 && !this.#diverged) {
      this.#diverged = true;
      this.emit('diverged', { epoch: run.firstNonfiniteEpoch, param: run.firstNonfiniteParam, paramEpoch: run.firstNonfiniteParamEpoch });
    }
    this.#dirty = true;
  }

  #loop() {
    if (this.#raf || !this.isConnected || !this.meta) return;
    const frame = () => {
      if (this.#dirty) {
        this.#dirty = false;
        this.render(!!this.player?.running);
        this.#epochEvent();
      }
      this.#raf = requestAnimationFrame(frame);
    };
    this.#raf = requestAnimationFrame(frame);
  }

  #epochEvent() {
    if (this.rec.epoch === this.#lastEpochEvent) return;
    this.#lastEpochEvent = this.rec.epoch;
    this.emit('epoch', { epoch: this.rec.epoch, loss: this.lossNow() });
  }

  lossNow() {
    const l = this.rec.loss;
    return l.length ? l[l.length - 1] : this.rec.lastLoss;
  }

  /**
   * The engine's own repr of a tensor (PyTorch's print format). Over PyTorch's print threshold
   * (1,000 elements) PyTorch prints a summary; the engine's repr prints every element (a second
   * for 600 x 600, on this thread), so those are summarised here: first and last values, shape.
   */
  repr(values, shape, requiresGrad = false) {
    if (values == null) return 'None';
    if (values.length > PRINT_THRESHOLD) return `tensor(${tensorText(values)}, size=(${Array.from(shape ?? [values.length]).join(', ')})${requiresGrad ? ', requires_grad=True' : ''})`;
    const t = this.torch.tensor(shape?.length ? Array.from(values) : values[0], { requires_grad: requiresGrad });
    const r = shape?.length > 1 ? t.reshape(shape) : t;
    try { return r.toString(); } finally { if (r !== t) r.dispose(); t.dispose(); }
  }

  /** The settings a `state` link held that could not be read (named; their defaults used). */
  showLinkNote() {
    let p = this.box.querySelector(':scope > p.link-note');
    const names = this.linkRejected ?? [];
    if (!names.length) { p?.remove(); return; }
    if (!p) {
      p = h('p', { className: 'hint link-note', attrs: { role: 'status' } });
      this.box.prepend(p);
    }
    p.textContent = this.t('badLink', { names: names.join(', ') });
  }

  /** Why the engine will not train this model on the page's thread (null when it will). */
  heavyText(refused = this.rec.cost?.refused) {
    if (!refused) return null;
    const epoch = refused.epochMs !== null && refused.epochMs !== undefined;
    return this.t(epoch ? 'tooHeavyEpoch' : 'tooHeavyCompile', { ms: epoch ? refused.epochMs : refused.compileMs, limit: refused.limitMs });
  }

  showFailure(e) {
    const p = h('pre', { className: 'error', textContent: `${e?.name ?? 'Error'}: ${e?.message ?? e}` });
    p.setAttribute('role', 'alert');
    this.box.append(p);
    if (this.player) this.player.running = false;
  }

  // ---------------------------------------------------------------- public API
  /** Trains for `epochs` (default: the `epochs` attribute); resolves with getState() when done. */
  async run(epochs) {
    await this.start();
    const n = Math.max(1, Math.min(1_000_000, Math.floor(epochs ?? this.state.get('epochs'))));
    this.onRunStart?.();
    const done = await this.player.run(n, () => {});
    this.render(false);
    if (!done) return null;  // overtaken by a newer action
    this.#epochEvent();  // the last epoch's event comes before done, not on the next frame
    const out = this.getState();
    this.emit('done', out);
    return out;
  }

  /** Pauses a run (the records so far stay). */
  async pause() {
    if (!this.player) return;
    await this.player.pause();
    this.render(false);
  }

  /** Back to the initial parameters (the model and settings stay). */
  async reset() {
    await this.start();
    const r = await this.player.act(() => this.engine.reset());
    this.onReset?.();
    this.render(false);
    return r ? this.getState() : null;
  }

  /**
   * Where the widget stands: { state (a share-link hash, without '#'), epoch, loss,
   * params: [{ name, shape, value: [...], grad: [...] | null }], firstNonfiniteEpoch,
   * errors: [{ epoch, phase, type, message }] (what the engine refused, as PyTorch would) }.
   */
  getState() {
    return {
      state: this.state.toHash().slice(1),
      epoch: this.rec.epoch,
      loss: this.lossNow(),
      params: (this.rec.params ?? []).map((p) => ({ name: p.name, shape: Array.from(p.shape ?? []), value: Array.from(p.value), grad: p.grad ? Array.from(p.grad) : null })),
      firstNonfiniteEpoch: this.rec.firstNonfiniteEpoch,
      errors: (this.rec.errors ?? []).map((e) => ({ ...e })),
      // the model is too heavy for this page's thread: { epochMs, compileMs, limitMs } (null: it trains)
      refused: this.rec.cost?.refused ?? null,
    };
  }
}
