// The page's copy of what the engine recorded: series that grow chunk by chunk (capacity
// doubling, so a million-epoch run copies each value O(1) times).
import { atEpochs, thin } from './thin.mjs';

class Series {
  constructor(Type = Float64Array) { this.buf = new Type(1024); this.length = 0; }
  push(chunk) {
    if (this.length + chunk.length > this.buf.length) {
      let cap = this.buf.length;
      while (cap < this.length + chunk.length) cap *= 2;
      const next = new this.buf.constructor(cap);
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    this.buf.set(chunk, this.length);
    this.length += chunk.length;
  }
  view() { return this.buf.subarray(0, this.length); }
}

export function emptyRun(data = null) {
  const run = {
    epoch: 0, lastLoss: NaN, params: [], errors: [], diagnostics: [], graph: null, predictions: null,
    data, progress: 0, gradCalls: [],
    firstNonfiniteEpoch: 0, firstNonfiniteParam: '', firstNonfiniteParamEpoch: 0,
    _loss: new Series(), _lr: new Series(), _params: [], _state: [],
  };
  Object.defineProperties(run, {
    loss: { get: () => run._loss.view() },
    lr: { get: () => run._lr.view() },
    paramHist: { get: () => run._params.map((p) => ({ name: p.name, numel: p.numel, values: p.values.view(), grads: p.grads.view() })) },
    stateHist: { get: () => run._state.map((s) => ({ param: s.param, key: s.key, numel: s.numel, values: s.values.view() })) },
  });
  return run;
}

/**
 * The .grad chart's data: per backward call while stepping by hand, else per epoch as step()
 * read it (element 0 of each parameter, on the loss's thinned epochs). `suffix` ends each label.
 */
export function gradSeries(run, suffix = '') {
  const names = (run.params ?? []).map((p) => p.name);
  if (run.gradCalls?.length) {
    const x = run.gradCalls.map((_, i) => i + 1);
    return { x, ys: names.map((_, j) => run.gradCalls.map((c) => c[j] ?? NaN)), labels: names.map((n) => `${n}.grad`), axis: 'backward call' };
  }
  const [x] = thin(run.loss);
  const hist = run.paramHist;
  return { x, ys: hist.map((p) => atEpochs(p.grads, p.numel, x)), labels: hist.map((p) => `${p.name}.grad${p.numel > 1 ? '[0]' : ''}${suffix}`), axis: 'epoch' };
}

export function appendRecords(run, recs) {
  if (!recs) return;
  run._loss.push(recs.loss);
  run._lr.push(recs.lr);
  recs.params.forEach((p, i) => {
    if (!run._params[i] || run._params[i].name !== p.name) run._params[i] = { name: p.name, numel: p.numel, values: new Series(Float32Array), grads: new Series(Float32Array) };
    run._params[i].values.push(p.values);
    run._params[i].grads.push(p.grads);
  });
  run._params.length = recs.params.length;
  recs.state.forEach((s, i) => {
    const key = `${s.param}.${s.key}`;
    let slot = run._state.find((x) => `${x.param}.${x.key}` === key);
    if (!slot) {
      // a state entry that appears later (e.g. after the first step) starts with NaN padding
      slot = { param: s.param, key: s.key, numel: s.numel, values: new Series(Float32Array) };
      run._state.push(slot);
    }
    slot.values.push(s.values);
  });
  run.firstNonfiniteEpoch = recs.firstNonfiniteEpoch;
  run.firstNonfiniteParam = recs.firstNonfiniteParam;
  run.firstNonfiniteParamEpoch = recs.firstNonfiniteParamEpoch;
}

/** Each parameter's first .grad element (NaN for None), for the per-backward-call chart. */
export function firstElements(params) {
  return params.map((p) => (p.grad && p.grad.length ? p.grad[0] : NaN));
}

/** Adds an engine snapshot to run; returns the run to keep (a new one when the snapshot is fresh). */
export function absorbSnapshot(run, snap) {
  const out = snap.fresh ? emptyRun(run.data) : run;
  appendRecords(out, snap.records);
  out.epoch = snap.epoch;
  out.lastLoss = snap.lastLoss;
  if (snap.params !== undefined) out.params = snap.params;  // (progress snapshots of big models have none)
  out.errors = snap.errors;
  out.diagnostics = snap.diagnostics;
  if (snap.predictions !== undefined) out.predictions = snap.predictions;
  if (snap.graph !== undefined) out.graph = snap.graph;
  if (snap.cost !== undefined) out.cost = snap.cost;  // what the model costs; refused: too heavy here
  return out;
}
