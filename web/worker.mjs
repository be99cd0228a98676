// The engine's thread: one training session (plus throw-away ones for races), driven by
// messages from web/src/engine.mjs. Long runs go in chunks of ~25 ms; between chunks the
// worker yields to its message queue, so a 'cancel' (or a newer request) stops a run at once.
// Not bundled: the engine modules are served as they are from /core/wasm/.
import { loadSession } from '../core/wasm/session.mjs';

const CHUNK_MS = 25;
let api = null;
let session = null;
let config = null;
let running = null;  // { id, cancelled }
let sent = 0;        // records sent so far (epochs)

const post = (msg, transfer) => postMessage(msg, transfer ?? []);
const yieldNow = () => new Promise((r) => setTimeout(r, 0));

function errorOf(e) {
  return { type: e?.name ?? 'Error', message: e?.message ?? String(e), line: e?.line, col: e?.col, endCol: e?.endCol };
}

/** Applies a whole configuration (see web/src/state.mjs, engineConfig()) to a session. */
function configure(s, c) {
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
  s.setManualNoGrad(c.manualNoGrad);
  s.setOptimizerGetsCopy(c.copyParams);
  s.setBatchSize(c.batchSize ?? 0, c.seed ?? 0);
  s.reset();
  return out;
}

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

function safe(f) {
  try { return f(); } catch { return null; }
}

async function runEpochs(id, epochs, withGraph) {
  const job = { id, cancelled: false };
  if (running) running.cancelled = true;
  running = job;
  const target = session.epoch + epochs;
  let per = 16;  // epochs per call, tuned to CHUNK_MS
  let ok = true;
  while (session.epoch < target && !job.cancelled) {
    const n = Math.min(per, target - session.epoch);
    const t0 = performance.now();
    ok = session.run(n);
    const dt = performance.now() - t0;
    per = Math.max(1, Math.min(1 << 20, Math.round(per * (dt > 0 ? CHUNK_MS / dt : 4))));
    post({ id, type: 'progress', target, snapshot: snapshot(false) });
    if (!ok) break;
    await yieldNow();
  }
  if (running === job) running = null;
  post({ id, type: 'done', cancelled: job.cancelled, snapshot: snapshot(withGraph) });
}

async function race(id, configs, epochs) {
  const out = [];
  for (const c of configs) {
    const s = new api.Session();
    try {
      const r = configure(s, c);
      if (!r.modelError && !r.optimizerError) s.run(epochs);
      out.push({ label: c.label, loss: s.records().loss, error: r.modelError ?? r.optimizerError });
    } catch (e) {
      out.push({ label: c.label, loss: new Float64Array(0), error: errorOf(e) });
    } finally {
      s.dispose();
    }
    await yieldNow();
  }
  post({ id, type: 'done', results: out });
}

const handlers = {
  async init() {
    api = await loadSession({ locateFile: (p) => new URL(`../core/wasm/dist/${p}`, import.meta.url).href });
    session = new api.Session();
    const presets = api.presetNames().map((n) => api.presetInfo(n));
    return { presets, optimizers: api.optimizerSpecs(), schedulers: api.schedulerSpecs() };
  },
  configure({ config: c }) {
    if (running) running.cancelled = true;
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
    if (running) running.cancelled = true;
    const f = { forward: 'forward', zero_grad: 'zeroGrad', backward: 'backward', step: 'step' }[name];
    const ok = session[f]();
    return { ok, snapshot: snapshot(true) };
  },
  reset() {
    if (running) running.cancelled = true;
    session.reset();
    sent = 0;
    return { snapshot: snapshot(true, true) };
  },
  cancel() {
    if (running) running.cancelled = true;
    return {};
  },
  graph() { return { graph: safe(() => session.graph()) }; },
  landscape({ x, y, n }) { return { landscape: session.landscape(x, y, n) }; },
  exportPytorch({ epochs }) { return { text: session.exportPytorch(epochs) }; },
};

onmessage = async (ev) => {
  const { id, type } = ev.data;
  try {
    if (type === 'run') return await runEpochs(id, ev.data.epochs, true);
    if (type === 'race') return await race(id, ev.data.configs, ev.data.epochs);
    const result = await handlers[type](ev.data);
    post({ id, type: 'done', ...result });
  } catch (e) {
    post({ id, type: 'error', error: errorOf(e) });
  }
};
