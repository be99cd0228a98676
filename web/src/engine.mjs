// The page's only door to the engine: a host (web/src/host.mjs) that owns the training
// session, in a Web Worker (web/worker.mjs, the playground page) or on the page's own thread
// behind a port with the same postMessage/onmessage shape (web/embed/local-engine.mjs, the
// embed widgets). Requests are messages with ids; replies resolve promises. The page never
// calls Embind.
export class Engine {
  #worker;
  #next = 1;
  #pending = new Map();  // id -> { resolve, reject, onProgress }
  /**
   * Every snapshot the worker sends, in the order it sent them, stale or not: each carries
   * the records since the previous one, so the page's copy stays complete.
   */
  onSnapshot = null;

  /** target: the worker script's URL, or a port ({ postMessage, onmessage, onerror }). */
  constructor(target) {
    this.#worker = typeof target === 'string' || target instanceof URL ? new Worker(target, { type: 'module' }) : target;
    this.#worker.onmessage = (ev) => this.#receive(ev.data);
    this.#worker.onerror = (ev) => {
      for (const p of this.#pending.values()) p.reject(new Error(ev.message || 'engine worker failed'));
      this.#pending.clear();
    };
  }

  #receive(msg) {
    if (msg.snapshot) this.onSnapshot?.(msg.snapshot);
    const p = this.#pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') return p.onProgress?.(msg);
    this.#pending.delete(msg.id);
    if (msg.type === 'error') {
      const e = new Error(msg.error.message);
      e.name = msg.error.type;
      p.reject(e);
    } else {
      p.resolve(msg);
    }
  }

  request(type, payload = {}, onProgress = null) {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
      this.#worker.postMessage({ id, type, ...payload });
    });
  }

  init() { return this.request('init'); }
  configure(config) { return this.request('configure', { config }); }
  checkModel(text) { return this.request('checkModel', { text }); }
  phase(name) { return this.request('phase', { name }); }
  reset() { return this.request('reset'); }
  cancel() { return this.request('cancel'); }
  run(epochs, onProgress) { return this.request('run', { epochs }, onProgress); }
  race(configs, epochs) { return this.request('race', { configs, epochs }); }
  /** The loss over an n x n grid, computed in slices within budgetMs (web/src/host.mjs):
   *  { landscape } or { skipped } or { cancelled }. */
  landscape(x, y, n, budgetMs) { return this.request('landscape', { x, y, n, budgetMs }); }
  exportPytorch(epochs) { return this.request('exportPytorch', { epochs }); }
  /** Frees the session (the engine instance itself stays for other sessions); an engine in a
   *  Worker of its own ends the worker at once, mid-epoch or not. */
  dispose() {
    if (typeof this.#worker.terminate === 'function') {
      this.#worker.terminate();
      for (const p of this.#pending.values()) p.reject(new Error('the engine was disposed'));
      this.#pending.clear();
      return Promise.resolve({});
    }
    return this.request('dispose');
  }
}

/**
 * Runs one thing at a time: starting a new run (or any action) makes the previous run
 * stale; its late progress messages are ignored and the worker is told to stop it.
 */
export class Player {
  #engine;
  #token = 0;
  #current = null;  // the running job's promise (settles when the worker says done)
  running = false;

  constructor(engine) { this.#engine = engine; }

  /**
   * Stops the run and resolves once the worker has sent its last records: at its next slice,
   * or, when one epoch takes longer than a slice, at the end of that epoch (which no one can
   * interrupt). The page acknowledges Pause at once and offers Run again from here.
   */
  async pause() {
    const job = this.#current;
    this.stop();
    if (job) await job.catch(() => {});
  }

  /** Invalidates the current run. */
  stop() {
    this.#token++;
    if (this.running) this.#engine.cancel();
    this.running = false;
  }

  async run(epochs, onProgress) {
    this.stop();
    const token = ++this.#token;
    this.running = true;
    const job = this.#engine.run(epochs, (msg) => {
      if (token === this.#token) onProgress(msg);
    });
    this.#current = job;
    try {
      const done = await job;
      return token === this.#token ? done : null;
    } finally {
      if (token === this.#token) this.running = false;
    }
  }

  /** The latest action's number (see stopIf()). */
  get token() { return this.#token; }
  /** Stops the run only if no action came since `token` (a Run pressed meanwhile is kept). */
  stopIf(token) {
    if (token === this.#token) this.stop();
  }

  /** Runs an action after stopping any run; returns null when a newer action overtook it. */
  async act(f) {
    this.stop();
    const token = this.#token;
    const out = await f();
    return token === this.#token ? out : null;
  }
}
