// The engine side of the page: one training session (plus throw-away ones for races and
// comparisons) answering the requests of web/src/engine.mjs. The playground page runs it in
// a Web Worker (web/worker.mjs); the embed bundle runs one per widget on the page's own
// thread (web/embed/local-engine.mjs), all over one shared WebAssembly instance.
//
// Nothing here may hold its thread for long: on the page's thread that freezes the reader's
// tab, and in the worker it keeps Pause, Run and a new configuration waiting. So
// - runs, races and landscapes go in slices of ~chunkMs and yield between them: any newer
//   request stops the job at its next slice; a run starts with ONE epoch per slice and grows
//   the count from what the slices measure, so a slow model never gets a slice of 16 epochs;
// - the host measures what the model costs (its compile, which is one forward, and its
//   epochs) and, where maxEpochMs is set (the page's own thread), refuses to train or step a
//   model whose epoch would take longer than that, saying so (`refused`), instead of freezing;
// - the landscape is a job of its own, computed in slices after a run, within budgetMs: a grid
//   that would take longer is made coarser, or skipped with the reason (`skipped`);
// - graphs are cut to graphNodes nodes nearest the loss (the whole graph's size comes along);
// - a pool (the widgets': one per page) shares one budget for the parameter history among
//   every session on one WebAssembly heap.
// No npm imports: web/worker.mjs serves this file unbundled.

const yieldNow = () => new Promise((r) => setTimeout(r, 0));
const now = () => performance.now();

export function errorOf(e) {
  return { type: e?.name ?? 'Error', message: e?.message ?? String(e), line: e?.line, col: e?.col, endCol: e?.endCol };
}

function safe(f) {
  try { return f(); } catch { return null; }
}

/** Applies a whole configuration (see web/src/state.mjs, engineConfig()) to a session, which
 *  compares it with what it holds and does the least work (gradlab/session.hpp, apply()).
 *  Never throws for a bad entry: each one's error is returned, the rest is applied. */
export const configure = (s, c) => s.apply(c);

/** Elements per parameter and state entry the page gets for each epoch of history: the
 *  views draw the first few (the landscape's axes offer the first 16 of each). */
export const RECORD_HEAD = 16;
/** Parameters sent with each progress snapshot while a run goes, if they hold no more numbers
 *  than this in all (the final snapshot always has them). */
const PROGRESS_PARAMS = 4096;
/** An epoch costs at least this many times the compile's one forward (see refusal()). */
const COMPILE_TO_EPOCH = 4;

/** Numbers of parameter/.grad/state history the session holds for a records object's epochs
 *  (see session.records(): numelFull per epoch, though only the head was sent). */
function historyNumbers(recs) {
  let n = 0;
  const rows = (x, len) => (x.numel ? len / x.numel : 0) * (x.numelFull ?? x.numel);
  for (const p of recs?.params ?? []) n += 2 * rows(p, p.values.length);
  for (const s of recs?.state ?? []) n += rows(s, s.values.length);
  return n;
}

/**
 * One budget of parameter-history numbers shared by every host on one WebAssembly heap (the
 * widgets of a page): a session may record what the others have not. budget: numbers.
 */
export function historyPool(budget) {
  const used = new Map();  // host -> numbers its session holds
  return {
    budget,
    used,
    /** What `who` may hold in all: its own plus what nobody holds. */
    allowance(who) {
      let others = 0;
      for (const [k, n] of used) if (k !== who) others += n;
      return Math.max(0, budget - others);
    },
    total() { let t = 0; for (const n of used.values()) t += n; return t; },
  };
}

/**
 * A request handler over one session. api: what core/wasm/session.mjs's loadSession()
 * returns; post(msg): where replies and progress go. Options:
 *   chunkMs     the time slice of a job (runs, races, landscapes)
 *   maxEpochMs  the longest epoch (or forward) this thread may run in one go; a model over it
 *               is refused with a reason (Infinity in the worker)
 *   graphNodes  the most graph nodes a snapshot carries (the nearest the loss)
 *   pool        a historyPool() shared with other hosts on the same heap
 * handle(msg) answers { id, type, ... } messages as web/worker.mjs always has.
 */
export function createHost(api, post, { chunkMs = 25, maxEpochMs = Infinity, graphNodes = 100, pool = null } = {}) {
  let session = null;
  let running = null;  // { id, cancelled, kind }
  let sent = 0;        // records sent so far (epochs)
  const me = {};       // this host's key in the pool
  // what the current model costs: its compile (one forward at least) and its epochs, measured
  let cost = { compileMs: 0, epochMs: null, predictMs: 0 };
  let lastPredictAt = -Infinity;

  // Too heavy for this thread: a measured epoch took longer than maxEpochMs, or, before any,
  // its compile (one forward) took over a quarter of it. (An epoch is a forward, a backward of
  // about two, a step, and code that runs for the first time: it was seen to take 3 to 14
  // times the compile.)
  function refusal() {
    if (!Number.isFinite(maxEpochMs)) return null;
    const ms = cost.epochMs ?? cost.compileMs * COMPILE_TO_EPOCH;
    if (ms <= maxEpochMs) return null;
    return { epochMs: cost.epochMs === null ? null : Math.round(cost.epochMs), compileMs: Math.round(cost.compileMs), limitMs: maxEpochMs };
  }

  function track(recs, fresh) {
    if (!pool) return;
    pool.used.set(me, (fresh ? 0 : pool.used.get(me) ?? 0) + historyNumbers(recs));
  }

  let paramNumel = 0;  // numbers in the parameters (from the last snapshot that had them)
  function snapshot(withGraph, fresh = false, final = true) {
    const recs = session.records(sent, RECORD_HEAD);
    sent = recs.epochs;
    track(recs, fresh);
    const snap = {
      fresh,  // the session was rebuilt or reset: the page starts its records over
      epoch: session.epoch,
      lastLoss: session.lastLoss,
      records: recs,
      errors: session.errors(),
      diagnostics: session.diagnostics(),
      cost: { compileMs: cost.compileMs, epochMs: cost.epochMs, refused: refusal() },
    };
    // big parameters (a 600 x 600 matrix: 2.9 MB) only in the final snapshot of a run
    if (final || paramNumel <= PROGRESS_PARAMS) {
      snap.params = session.parameters();
      paramNumel = snap.params.reduce((n, p) => n + p.value.length, 0);
    }
    // The predictions cost a forward over every row: in progress snapshots only now and then,
    // and never on a thread that cannot afford a forward.
    const t = now();
    if (!refusal() && (final || (t - lastPredictAt > 250 && cost.predictMs < chunkMs))) {
      snap.predictions = safe(() => session.predictions());
      cost.predictMs = now() - t;
      lastPredictAt = now();
    }
    if (withGraph) snap.graph = safe(() => session.graph(graphNodes));
    return snap;
  }

  // One job at a time (a run, a race or a landscape): a new one, or any request that changes
  // the session, stops the one before it at its next slice.
  function stopJob() {
    if (running) running.cancelled = true;
  }
  function startJob(id, kind) {
    stopJob();
    running = { id, cancelled: false, kind };
    return running;
  }
  function endJob(job) {
    if (running === job) running = null;
  }

  /**
   * Runs s up to `target` epochs in slices of about chunkMs: the first slice is one epoch, and
   * each next one holds as many as the last slice's time per epoch says fit. Stops on the job's
   * cancel, a failed epoch, or (with maxEpochMs) an epoch found to take longer than that.
   * afterSlice() runs after each slice, beforeSlice() before. Returns the measured time per
   * epoch (null if none ran).
   */
  async function sliced(s, target, job, afterSlice = () => {}, beforeSlice = () => {}) {
    let per = 1;
    let epochMs = null;
    while (s.epoch < target && !job.cancelled) {
      beforeSlice();
      const n = Math.min(per, target - s.epoch);
      const t0 = now();
      const ok = s.run(n);
      const dt = now() - t0;
      epochMs = dt / n;
      per = Math.max(1, Math.min(1 << 20, Math.floor(chunkMs / Math.max(epochMs, 1e-3)), per * 8));
      afterSlice(epochMs);
      if (!ok || epochMs > maxEpochMs) return epochMs;
      await yieldNow();
    }
    return epochMs;
  }

  async function runEpochs(id, epochs, withGraph) {
    const refused = refusal();
    if (refused) return post({ id, type: 'done', cancelled: false, refused, snapshot: snapshot(false) });
    const job = startJob(id, 'run');
    const target = session.epoch + epochs;
    await sliced(session, target, job, (ms) => {
      cost.epochMs = ms;
      post({ id, type: 'progress', target, snapshot: snapshot(false, false, false) });
    }, () => {
      // what the other sessions on this heap have not taken, now (they run in turn with this one)
      if (pool) session.setParamHistoryBudget(pool.allowance(me));
    });
    endJob(job);
    post({ id, type: 'done', cancelled: job.cancelled, refused: refusal(), snapshot: snapshot(withGraph) });
  }

  /**
   * Each config in a session of its own, run to the end: { results: [{ label, loss, error }] }.
   * A race is a job like a run: Run, Pause, Reset or a newer race stops it, and what it
   * reached so far is sent back with cancelled: true (the configs not yet started are left out).
   * Racers keep no parameter history (only their losses are drawn).
   */
  async function race(id, configs, epochs) {
    const job = startJob(id, 'race');
    const out = [];
    for (const c of configs) {
      if (job.cancelled) break;
      const s = new api.Session();
      try {
        s.setParamHistoryBudget(0);
        const r = configure(s, c);
        let error = r.modelError ?? r.optimizerError ?? r.presetError;
        if (!error && r.compileMs * COMPILE_TO_EPOCH > maxEpochMs) error = heavyError(r.compileMs * COMPILE_TO_EPOCH);
        if (!error) {
          const ms = await sliced(s, epochs, job);
          if (ms > maxEpochMs) error = heavyError(ms);
        }
        out.push({ label: c.label, loss: s.records().loss, error });
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
  const heavyError = (ms) => ({ type: 'TooHeavy', message: `one epoch takes over ${Math.round(ms)} ms: more than the ${maxEpochMs} ms this page's thread can give it at a time` });

  /**
   * The loss over an n x n grid, in slices, as a background job: it never stops a run or a
   * race (it answers cancelled at once while one is going), and any other request stops it.
   * After the first point it knows the cost of one: a grid over budgetMs is made coarser
   * (down to 8 x 8), or skipped with { skipped: { pointMs, n, budgetMs } }.
   */
  async function landscape(id, { x, y, n, budgetMs = 5000 }) {
    if (running && running.kind !== 'landscape' && !running.cancelled) return post({ id, type: 'done', cancelled: true });
    const refused = refusal();
    if (refused) return post({ id, type: 'done', skipped: { pointMs: refused.compileMs, n, budgetMs, refused } });
    const job = startJob(id, 'landscape');
    try {
      return await landscapeSlices(id, job, x, y, n, budgetMs);
    } finally {
      endJob(job);
    }
  }
  async function landscapeSlices(id, job, x, y, n, budgetMs) {
    const t0 = now();
    let grid = null;
    let loss = null;
    let done = 0;
    let per = 1;
    let pointMs = 0;
    while (!job.cancelled && (!grid || done < n * n)) {
      const s0 = now();
      const part = session.landscape(x, y, n, done, per);
      const dt = now() - s0;
      if (!grid) {
        grid = part;
        loss = new Float32Array(n * n);
        pointMs = dt;
        const fits = Math.floor(Math.sqrt(budgetMs / Math.max(pointMs, 1e-3)));
        if (pointMs > maxEpochMs || fits < Math.min(8, n)) {
          return post({ id, type: 'done', skipped: { pointMs, n, budgetMs } });
        }
        if (fits < n) {  // coarser: start over at the size that fits (one point was spent)
          n = fits;
          grid = null;
          continue;
        }
      }
      loss.set(part.loss, done);
      done += part.loss.length;
      pointMs = dt / Math.max(1, part.loss.length);
      per = Math.max(1, Math.min(n * n, Math.floor(chunkMs / Math.max(pointMs, 1e-3))));
      await yieldNow();
    }
    if (job.cancelled) return post({ id, type: 'done', cancelled: true });
    post({ id, type: 'done', landscape: { ...grid, n, first: 0, loss }, ms: now() - t0, pointMs });
  }

  const handlers = {
    init() {
      session = new api.Session();
      const presets = api.presetNames().map((n) => api.presetInfo(n));
      // manual: the book's update among the optimizers, its name and lr (the engine's own)
      return { presets, optimizers: api.optimizerSpecs(), schedulers: api.schedulerSpecs(), manual: api.manualUpdate() };
    },
    configure({ config: c }) {
      const r = configure(session, c);
      // An lr change keeps the run, and a run in progress goes on with it (the session changed
      // between two slices); anything else started the run over.
      if (!r.restarted) return { ...r, snapshot: snapshot(true) };
      stopJob();
      if (r.compiled) cost = { compileMs: r.compileMs, epochMs: null, predictMs: 0 };
      else cost = { ...cost, epochMs: null };  // the same model: its compile's cost stands
      lastPredictAt = -Infinity;
      sent = 0;
      return { ...r, data: session.data(), modelText: session.modelText, snapshot: snapshot(true, true) };
    },
    checkModel({ text }) {
      // compiled against the current data without touching the run, and kept: the
      // configuration that follows with this text compiles nothing
      return session.checkModel(text);
    },
    phase({ name }) {
      stopJob();
      const refused = name === 'zero_grad' ? null : refusal();
      if (refused) return { ok: false, refused, snapshot: snapshot(false) };
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
    graph() { return { graph: safe(() => session.graph(graphNodes)) }; },
    exportPytorch({ epochs }) { return { text: session.exportPytorch(epochs) }; },
    dispose() {
      stopJob();
      session?.dispose();
      session = null;
      pool?.used.delete(me);
      return {};
    },
  };

  return {
    async handle(msg) {
      const { id, type } = msg;
      try {
        if (type === 'run') return await runEpochs(id, msg.epochs, true);
        if (type === 'race') return await race(id, msg.configs, msg.epochs);
        if (type === 'landscape') return await landscape(id, msg);
        const result = await handlers[type](msg);
        post({ id, type: 'done', ...result });
      } catch (e) {
        post({ id, type: 'error', error: errorOf(e) });
      }
    },
  };
}
