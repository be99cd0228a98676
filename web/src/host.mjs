// The engine side of the page: one training session (plus throw-away ones for races and
// comparisons) answering the requests of web/src/engine.mjs. The playground page runs it in
// a Web Worker (web/worker.mjs); the embed bundle runs one per widget on the page's own
// thread (web/embed/local-engine.mjs), all over one shared WebAssembly instance. Long runs
// go in chunks of ~chunkMs; between chunks it yields, so a 'cancel' (or a newer request)
// stops a run at once and, on the main thread, the page keeps painting.
// No npm imports: web/worker.mjs serves this file unbundled.

const yieldNow = () => new Promise((r) => setTimeout(r, 0));

export function errorOf(e) {
  return { type: e?.name ?? 'Error', message: e?.message ?? String(e), line: e?.line, col: e?.col, endCol: e?.endCol };
}

function safe(f) {
  try { return f(); } catch { return null; }
}

/** Applies a whole configuration (see web/src/state.mjs, engineConfig()) to a session. */
export function configure(s, c) {
  const out = { modelError: null, dataError: null, optimizerError: null };
  s.loadPreset(c.preset, c.seed ?? 0);
  if (c.csv) {
    // new data is checked against the current model: swap in one that reads no columns first
    s.setModel('param c = 0.0\nloss = c * c');
    try { s.setCsv(c.csv, c.target || 'last'); } catch (e) { out.dataError = errorOf(e); }
  }
  s.setNormalize(c.normalize);
  try {
    s.setModel(c.model);
  } catch (e) {
    out.modelError = errorOf(e);
  }
  try {
    s.setOptimizer(c.optimizer, c.options ?? {});
  } catch (e) {
    out.optimizerError = errorOf(e);
  }
  if (c.scheduler && c.optimizer !== 'manual') {
    try { s.setScheduler(c.scheduler, c.schedulerOptions ?? {}); } catch (e) { out.optimizerError = errorOf(e); }
  }
  s.setZeroGrad(c.zeroGrad);
  if (c.setToNone !== undefined) s.setSetToNone(c.setToNone);  // zero_grad(): None (default) or zero_()
  s.setManualNoGrad(c.manualNoGrad);
  s.setOptimizerGetsCopy(c.copyParams);
  s.setBatchSize(c.batchSize ?? 0, c.seed ?? 0);
  s.reset();
  return out;
}

/**
 * A request handler over one session. api: what core/wasm/session.mjs's loadSession()
 * returns; post(msg): where replies and progress go; chunkMs: the time slice of a run.
 * handle(msg) answers { id, type, ... } messages as web/worker.mjs always has.
 */
export function createHost(api, post, { chunkMs = 25 } = {}) {
  let session = null;
  let config = null;
  let running = null;  // { id, cancelled }
  let sent = 0;        // records sent so far (epochs)

  function snapshot(withGraph, fresh = false) {
    const recs = session.records(sent);
    sent = recs.epochs;
    const snap = {
      fresh,  // the session was rebuilt or reset: the page starts its records over
      epoch: session.epoch,
      lastLoss: session.lastLoss,
      params: session.parameters(),
      records: recs,
      errors: session.errors(),
      diagnostics: session.diagnostics(),
      predictions: safe(() => session.predictions()),
    };
    if (withGraph) snap.graph = safe(() => session.graph());
    return snap;
  }

  // One job at a time (a run or a race): a new one, or any request that changes the session,
  // stops the one before it at its next slice.
  function stopJob() {
    if (running) running.cancelled = true;
  }
  function startJob(id) {
    stopJob();
    running = { id, cancelled: false };
    return running;
  }
  function endJob(job) {
    if (running === job) running = null;
  }

  /**
   * Runs s up to `target` epochs in slices of about chunkMs (the epochs per slice tuned as it
   * goes), yielding between them; stops on the job's cancel or a failed epoch. afterSlice()
   * runs after each slice.
   */
  async function sliced(s, target, job, afterSlice = () => {}) {
    let per = 16;
    while (s.epoch < target && !job.cancelled) {
      const t0 = performance.now();
      const ok = s.run(Math.min(per, target - s.epoch));
      const dt = performance.now() - t0;
      per = Math.max(1, Math.min(1 << 20, Math.round(per * (dt > 0 ? chunkMs / dt : 4))));
      afterSlice();
      if (!ok) return;
      await yieldNow();
    }
  }

  async function runEpochs(id, epochs, withGraph) {
    const job = startJob(id);
    const target = session.epoch + epochs;
    await sliced(session, target, job, () => post({ id, type: 'progress', target, snapshot: snapshot(false) }));
    endJob(job);
    post({ id, type: 'done', cancelled: job.cancelled, snapshot: snapshot(withGraph) });
  }

  /**
   * Each config in a session of its own, run to the end: { results: [{ label, loss, error }] }.
   * A race is a job like a run: Run, Pause, Reset or a newer race stops it, and what it
   * reached so far is sent back with cancelled: true (the configs not yet started are left out).
   */
  async function race(id, configs, epochs) {
    const job = startJob(id);
    const out = [];
    for (const c of configs) {
      if (job.cancelled) break;
      const s = new api.Session();
      try {
        const r = configure(s, c);
        if (!r.modelError && !r.optimizerError) await sliced(s, epochs, job);
        out.push({ label: c.label, loss: s.records().loss, error: r.modelError ?? r.optimizerError });
      } catch (e) {
        out.push({ label: c.label, loss: new Float64Array(0), error: errorOf(e) });
      } finally {
        s.dispose();
      }
      await yieldNow();
    }
    endJob(job);
    post({ id, type: 'done', cancelled: job.cancelled, results: out });
  }

  const handlers = {
    init() {
      session = new api.Session();
      const presets = api.presetNames().map((n) => api.presetInfo(n));
      return { presets, optimizers: api.optimizerSpecs(), schedulers: api.schedulerSpecs() };
    },
    configure({ config: c }) {
      stopJob();
      config = c;
      const r = configure(session, c);
      sent = 0;
      return { ...r, data: session.data(), modelText: session.modelText, snapshot: snapshot(true, true) };
    },
    checkModel({ text }) {
      // compile against the current data without touching the run: a scratch session
      const s = new api.Session();
      try {
        configure(s, { ...config, model: text });
        s.setModel(text);
        return { ok: true };
      } catch (e) {
        return { ok: false, error: errorOf(e) };
      } finally {
        s.dispose();
      }
    },
    phase({ name }) {
      stopJob();
      const f = { forward: 'forward', zero_grad: 'zeroGrad', backward: 'backward', step: 'step' }[name];
      const ok = session[f]();
      return { ok, snapshot: snapshot(true) };
    },
    reset() {
      stopJob();
      session.reset();
      sent = 0;
      return { snapshot: snapshot(true, true) };
    },
    cancel() {
      stopJob();
      return {};
    },
    graph() { return { graph: safe(() => session.graph()) }; },
    landscape({ x, y, n }) { return { landscape: session.landscape(x, y, n) }; },
    exportPytorch({ epochs }) { return { text: session.exportPytorch(epochs) }; },
    dispose() {
      stopJob();
      session?.dispose();
      session = null;
      return {};
    },
  };

  return {
    async handle(msg) {
      const { id, type } = msg;
      try {
        if (type === 'run') return await runEpochs(id, msg.epochs, true);
        if (type === 'race') return await race(id, msg.configs, msg.epochs);
        const result = await handlers[type](msg);
        post({ id, type: 'done', ...result });
      } catch (e) {
        post({ id, type: 'error', error: errorOf(e) });
      }
    },
  };
}
