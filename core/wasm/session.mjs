// A training session (gradlab/session.hpp) from JavaScript: a model in gradlab's model
// language, its data and parameters, one optimizer, the four phases of a step, and records
// of everything that happened, as typed arrays.
//
//   import { loadSession } from 'gradlab/core/wasm/session.mjs';
//   const { Session } = await loadSession();
//   const s = new Session();
//   s.loadPreset('thermometer');
//   s.run(5000);
//   s.records().loss;      // Float64Array, one loss per epoch
//   s.dispose();
//
// Engine errors arrive as thrown GradlabError (name = PyTorch's exception type); a model that
// does not compile throws a ModelError that carries the line and column to underline.
import { GradlabError } from './gradlab.mjs';
import { loadModule } from './loader.mjs';

/** A model text that does not compile: where (1-based line, col, exclusive endCol) and why. */
export class ModelError extends GradlabError {
  constructor(type, message, where) {
    super(type, message);
    this.line = where?.line ?? 0;
    this.col = where?.col ?? 0;
    this.endCol = where?.endCol ?? 0;
    this.text = where?.text ?? `${type}: ${message}`;
  }
}

/** Loads the engine and returns { Session, presetNames, presetInfo, optimizerSpecs,
 *  schedulerSpecs, manualUpdate }. */
export async function loadSession(options = {}) {
  const M = await loadModule(options);

  function check() {
    if (M.hasError()) {
      const [type, message] = M.takeError();
      throw new GradlabError(type, message);
    }
  }
  const call = (f) => {
    const out = f();
    check();
    return out;
  };

  const registry = new FinalizationRegistry((h) => {
    try { h.delete(); } catch { /* already gone */ }
  });

  class Session {
    #h;
    constructor() {
      this.#h = new M.Session();
      registry.register(this, this.#h, this);
    }
    /** Frees the engine object now (otherwise when this wrapper is garbage-collected). */
    dispose() {
      if (!this.#h) return;
      registry.unregister(this);
      this.#h.delete();
      this.#h = null;
    }
    get #s() {
      if (!this.#h) throw new GradlabError('RuntimeError', 'the session was disposed');
      return this.#h;
    }

    // ---- setup
    /**
     * Takes a whole configuration ({ preset, seed, csv, target, model, optimizer, options,
     * scheduler, schedulerOptions, normalize, batchSize, zeroGrad, setToNone, manualNoGrad,
     * copyParams }; what is missing takes the preset's or the session's default) and does the
     * least work (gradlab/session.hpp, apply()): an lr change keeps the run, a new model is
     * compiled once. Never throws for a bad entry: { presetError, dataError, modelError,
     * optimizerError, restarted, compiled, compileMs }.
     */
    apply(config) { return call(() => this.#s.apply(config)); }
    /** Compiles text against the current data without changing the run: { ok } or { ok:
     *  false, error: { type, message, line, col, endCol } }. apply() with the same text then
     *  compiles nothing. */
    checkModel(text) { return call(() => this.#s.checkModel(text)); }
    /** Work done so far: { compiles, fusedCompiles, restarts }. */
    counters() { return this.#s.counters(); }
    // each of these starts the run over
    loadPreset(name, seed = 0) { call(() => this.#s.loadPreset(name, seed)); }
    /** CSV text with a header row; target: a column name, 'last' (default) or '' for none. */
    setCsv(text, target = 'last') { call(() => this.#s.setCsv(text, target)); }
    /** Compiles the model text; throws ModelError (and keeps the previous model) on error. */
    setModel(text) {
      if (this.#s.setModel(text)) return;
      const where = M.takeModelDiagnostic();
      const [type, message] = M.takeError();
      throw new ModelError(type, message, where);
    }
    setOptimizer(name, options = {}) { call(() => this.#s.setOptimizer(name, options)); }
    setScheduler(name, options = {}) { call(() => this.#s.setScheduler(name ?? '', options)); }
    reset() { call(() => this.#s.reset()); }

    // ---- teaching switches
    setZeroGrad(on) { this.#s.setZeroGrad(!!on); }
    setSetToNone(on) { this.#s.setSetToNone(!!on); }
    setManualNoGrad(on) { this.#s.setManualNoGrad(!!on); }
    setNormalize(on) { call(() => this.#s.setNormalize(!!on)); }
    setOptimizerGetsCopy(on) { call(() => this.#s.setOptimizerGetsCopy(!!on)); }
    /** 0 = full batch; k = seeded, shuffled mini-batches of k rows. */
    setBatchSize(k, seed = 0) { call(() => this.#s.setBatchSize(k, seed)); }
    /** The most parameter/.grad/optimizer-state numbers the history keeps (16 M by default):
     *  what was recorded stays, recording stops once the budget is spent. */
    setParamHistoryBudget(n) { this.#s.setParamHistoryBudget(n); }

    // ---- the four phases: false when the phase recorded an error (see errors())
    forward() { return call(() => this.#s.forward()); }
    zeroGrad() { return call(() => this.#s.zeroGrad()); }
    backward() { return call(() => this.#s.backward()); }
    step() { return call(() => this.#s.step()); }
    run(epochs) { return call(() => this.#s.run(epochs)); }

    // ---- what views read
    get epoch() { return this.#s.epoch(); }
    get lastLoss() { return this.#s.lastLoss(); }
    get modelText() { return this.#s.modelText(); }
    get optimizerName() { return this.#s.optimizerName(); }
    get optimizerOptions() { return this.#s.optimizerOptions(); }
    get normalize() { return this.#s.normalize(); }
    /** [{ name, shape, value: Float64Array, grad: Float64Array | null }] now. */
    parameters() { return this.#s.parameters(); }
    /**
     * Records from epoch `from` (0-based) on: { from, epochs, paramEpochs, loss, lr, params:
     * [{ name, shape, numel, values, grads, hasGrad }], state: [{ param, key, numel, values }],
     * firstNonfiniteEpoch, firstNonfiniteParam, firstNonfiniteParamEpoch }. loss and lr cover
     * every epoch; params and state the first paramEpochs (a budget of 16 M numbers). With
     * head, each parameter and state entry gives only its first `head` elements per epoch
     * (numel: how many it gives; numelFull: how many it has).
     */
    records(from = 0, head = Infinity) { return this.#s.records(from, head); }
    /** [{ epoch, phase, type, message }] */
    errors() { return this.#s.errors(); }
    diagnostics() { return this.#s.diagnostics(); }
    /** { name, target, columns: [{ name, values: Float32Array }] } */
    data() { return this.#s.data(); }
    /** The model's output on every data row, or null when there is no target. */
    predictions() { return call(() => this.#s.predictions()); }
    /**
     * The latest forward's graph: { nodes: [...], edges: [{ from, to, inputNr }], totalNodes,
     * totalEdges, counts: [{ kind, name, count }] }. With maxNodes, only the first maxNodes
     * nodes met from the loss (and the edges between them) are listed; the totals and counts
     * still cover the whole graph.
     */
    graph(maxNodes = Infinity) { return call(() => this.#s.graph(maxNodes)); }
    /**
     * Loss over an n x n grid: x = [param, element, min, max], y likewise. first and count
     * pick a slice of the grid's points (point k is ix = k % n, iy = floor(k / n)); the
     * result's loss then holds those points only, from result.first on.
     */
    landscape(x, y, n, first = 0, count = Infinity) {
      return call(() => this.#s.landscape(x[0], x[1], x[2], x[3], y[0], y[1], y[2], y[3], n, first, count));
    }
    exportPytorch(epochs) { return call(() => this.#s.exportPytorch(epochs)); }
  }

  return {
    Session,
    presetNames: () => M.presetNames(),
    presetInfo: (name, seed = 0) => call(() => M.presetInfo(name, seed)),
    optimizerSpecs: () => M.optimizerSpecs(),
    schedulerSpecs: () => M.schedulerSpecs(),
    /** The book's manual update among the optimizers: { name: 'manual', defaults: { lr } }. */
    manualUpdate: () => M.manualUpdateSpec(),
  };
}
