// gradlab's JavaScript API: PyTorch's names over the WebAssembly engine.
//
//   import { load } from 'gradlab';
//   const torch = await load();
//   const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
//
// Users never call .delete(): engine handles are released when their JS wrapper is
// garbage-collected (FinalizationRegistry), when a torch.tidy() scope ends, or on dispose().
import { loadModule } from './loader.mjs';

/** An engine error, named after PyTorch's Python exception type (RuntimeError, ...). */
export class GradlabError extends Error {
  constructor(type, message) {
    super(message);
    this.name = type;
    this.pythonType = type;
  }
}

const toSnake = (k) => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
const toCamel = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

function inferShape(data) {
  const shape = [];
  let cur = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

function flatten(data, shape, out, depth = 0) {
  if (depth === shape.length) {
    if (typeof data !== 'number' && typeof data !== 'boolean') {
      throw new TypeError(`tensor(): expected a number, got ${data === null ? 'null' : typeof data}`);
    }
    out.push(Number(data));
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    throw new GradlabError('ValueError', `expected sequence of length ${shape[depth]} at dim ${depth} (got ${Array.isArray(data) ? data.length : typeof data})`);
  }
  for (const d of data) flatten(d, shape, out, depth + 1);
}

function nest(flat, shape) {
  if (shape.length === 0) return flat[0];
  const build = (offset, dim) => {
    const n = shape[dim];
    if (dim === shape.length - 1) return Array.from(flat.subarray(offset, offset + n));
    const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    const out = [];
    for (let i = 0; i < n; i++) out.push(build(offset + i * inner, dim + 1));
    return out;
  };
  return build(0, 0);
}

/** Loads the engine and returns the `torch` namespace. */
export async function load(options = {}) {
  const M = await loadModule(options);

  const registry = new FinalizationRegistry((handle) => {
    try { handle.delete(); } catch { /* already deleted */ }
  });
  let scopes = [];  // torch.tidy() bookkeeping

  function check() {
    if (M.hasError()) {
      const [type, message] = M.takeError();
      throw new GradlabError(type, message);
    }
  }

  /** Wraps a returned engine handle, or throws the engine's error (freeing the dud handle). */
  function wrap(handle) {
    if (M.hasError()) {
      handle?.delete?.();
      check();
    }
    if (!handle.defined()) {
      handle.delete();
      return null;
    }
    return new Tensor(handle);
  }

  const isTensor = (x) => x instanceof Tensor;
  const operand = (x, like) => {
    if (isTensor(x)) return { h: x._h, tmp: null };
    if (typeof x === 'number') {
      const h = M.wrapScalar(x, like._h);
      return { h, tmp: h };
    }
    throw new TypeError(`unsupported operand: expected a Tensor or a number, got ${x === null ? 'None (null)' : typeof x}`);
  };
  function binary(fn, a, b, ...rest) {
    const x = operand(a, isTensor(a) ? a : b);
    const y = operand(b, isTensor(a) ? a : b);
    try {
      return wrap(fn(x.h, y.h, ...rest));
    } finally {
      x.tmp?.delete();
      y.tmp?.delete();
    }
  }

  class Tensor {
    constructor(handle) {
      this._h = handle;
      registry.register(this, handle, this);
      if (scopes.length) scopes[scopes.length - 1].push(this);
    }
    _live() {
      if (!this._h) throw new GradlabError('RuntimeError', 'this tensor was disposed');
      return this._h;
    }
    /** Frees the engine memory now (optional: unreachable tensors are freed anyway). */
    dispose() {
      if (!this._h) return;
      registry.unregister(this);
      this._h.delete();
      this._h = null;
    }
    get shape() { return M.tensorShape(this._live()); }
    get dtype() { return M.dtypeOf(this._live()); }
    get requiresGrad() { return this._live().requiresGrad(); }
    set requiresGrad(on) { this.requiresGrad_(on); }
    requiresGrad_(on = true) { M.setRequiresGrad(this._live(), on); check(); return this; }
    get isLeaf() { return this._live().isLeaf(); }
    get grad() { return wrap(M.grad(this._live())); }
    set grad(g) {
      if (g === null) M.clearGrad(this._live());
      else M.setGrad(this._live(), g._live());
      check();
    }
    get gradFn() { return nodeView(M.gradFn(this._live())); }
    get version() { return this._live().version(); }
    numel() { return this._live().numel(); }
    dim() { return this.shape.length; }
    size(d) { const s = this.shape; return d === undefined ? s : s[d < 0 ? d + s.length : d]; }
    item() { const v = M.item(this._live()); check(); return v; }
    /** A copy of the values as a flat Float32Array/Float64Array. */
    data() { return M.tensorData(this._live()).slice(); }
    /** Nested arrays, like tensor.tolist(). */
    toArray() { return nest(this.data(), this.shape); }
    tolist() { return this.toArray(); }
    toString() { const s = M.repr(this._live()); check(); return s; }
    [Symbol.for('nodejs.util.inspect.custom')]() { return this.toString(); }
    backward(gradient = null, { retainGraph = false, retain_graph } = {}) {
      const retain = retain_graph ?? retainGraph;
      if (gradient === null) M.backwardScalar(this._live(), retain);
      else M.backward(this._live(), gradient._live(), retain);
      check();
    }
    detach() { return wrap(M.detach(this._live())); }
    to(dtype) { return wrap(M.toDtype(this._live(), dtype)); }
    double() { return this.to('float64'); }
    float() { return this.to('float32'); }

    add(o, { alpha = 1 } = {}) { return binary(M.add, this, o, alpha); }
    sub(o, { alpha = 1 } = {}) { return binary(M.sub, this, o, alpha); }
    mul(o) { return binary(M.mul, this, o); }
    div(o) { return binary(M.div, this, o); }
    rsub(o) { return binary(M.sub, o, this, 1); }
    rdiv(o) { return binary(M.div, o, this); }
    neg() { return wrap(M.neg(this._live())); }
    pow(e) {
      if (typeof e !== 'number') throw new TypeError('pow: the exponent must be a number');
      return wrap(M.pow(this._live(), e));
    }
    exp() { return wrap(M.exp(this._live())); }
    log() { return wrap(M.log(this._live())); }
    sum() { return wrap(M.sum(this._live())); }
    mean() { return wrap(M.mean(this._live())); }
    select(dim, index) { return wrap(M.select(this._live(), dim, index)); }
    index(i) { return this.select(0, i); }
    unbind(dim = 0) {
      const vec = M.unbind(this._live(), dim);
      try {
        check();
        const out = [];
        for (let i = 0; i < vec.size(); i++) out.push(new Tensor(vec.get(i)));
        return out;
      } finally {
        vec.delete();
      }
    }
    [Symbol.iterator]() { return this.unbind(0)[Symbol.iterator](); }

    add_(o, { alpha = 1 } = {}) { return this._inplace(M.add_, o, alpha); }
    sub_(o, { alpha = 1 } = {}) { return this._inplace(M.add_, o, -alpha); }
    mul_(o) { return this._inplace(M.mul_, o); }
    div_(o) { return this._inplace(M.div_, o); }
    copy_(o) { return this._inplace(M.copy_, o); }
    zero_() { M.zero_(this._live()); check(); return this; }
    _inplace(fn, o, ...rest) {
      const y = operand(o, this);
      try {
        fn(this._live(), y.h, ...rest);
      } finally {
        y.tmp?.delete();
      }
      check();
      return this;
    }
  }

  /** A read-only view of a grad_fn node: name, edges, and (for AccumulateGrad) its variable. */
  function nodeView(ptr) {
    if (M.hasError()) check();
    if (!ptr) return null;
    const name = M.nodeName(ptr);
    if (name === 'None') {
      ptr.delete();
      return null;
    }
    const id = M.nodeId(ptr);
    const view = {
      name,
      id,
      get nextFunctions() {
        const out = [];
        const n = M.nodeNextCount(ptr);
        for (let i = 0; i < n; i++) out.push([nodeView(M.nodeNext(ptr, i)), M.nodeNextInput(ptr, i)]);
        return out;
      },
      get variable() { return name === 'AccumulateGrad' ? wrap(M.nodeVariable(ptr)) : null; },
      toString() { return `<${name} object>`; },
    };
    registry.register(view, ptr);
    return view;
  }

  function tensor(data, { dtype = 'float32', requiresGrad = false, requires_grad } = {}) {
    if (requires_grad !== undefined) requiresGrad = requires_grad;
    let flat;
    let shape;
    if (ArrayBuffer.isView(data)) {
      flat = Array.from(data);
      shape = [data.length];
    } else {
      shape = inferShape(data);
      flat = [];
      flatten(data, shape, flat);
    }
    return wrap(M.tensorFrom(flat, shape, dtype, requiresGrad));
  }

  function full(shape, v, { dtype = 'float32', requiresGrad = false, requires_grad } = {}) {
    const n = shape.reduce((a, b) => a * b, 1);
    return wrap(M.tensorFrom(new Array(n).fill(v), shape, dtype, requires_grad ?? requiresGrad));
  }

  function noGrad(fn) {
    const prev = M.isGradEnabled();
    M.setGradEnabled(false);
    try {
      return fn();
    } finally {
      M.setGradEnabled(prev);
    }
  }

  /** Runs fn and frees every tensor it created except those it returns. */
  function tidy(fn) {
    const mine = [];
    scopes.push(mine);
    let result;
    try {
      result = fn();
    } finally {
      scopes.pop();
    }
    const keep = new Set();
    const collect = (x) => {
      if (isTensor(x)) keep.add(x);
      else if (Array.isArray(x)) x.forEach(collect);
      else if (x && typeof x === 'object') Object.values(x).forEach(collect);
    };
    collect(result);
    for (const t of mine) if (!keep.has(t)) t.dispose();
    if (scopes.length) for (const t of keep) scopes[scopes.length - 1].push(t);
    return result;
  }

  // ---- optimizers: one JS class per engine algorithm, generated from the registry
  const optimizerInfo = M.optimizerRegistry();

  function convertOptions(opts) {
    const out = {};
    for (const [k, v] of Object.entries(opts ?? {})) out[toSnake(k)] = v;
    return out;
  }

  class Optimizer {
    constructor(name, params, options = {}) {
      const list = isTensor(params) ? [params] : Array.from(params);
      const groups = (list.length && !isTensor(list[0]))
        ? list.map((g) => {
          const { params: ps, ...rest } = g;
          return { params: (isTensor(ps) ? [ps] : Array.from(ps)).map((p) => p._live()), options: convertOptions(rest) };
        })
        : [{ params: list.map((p) => { if (!isTensor(p)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${p === null ? 'None' : typeof p}`); return p._live(); }), options: {} }];
      const h = M.makeOptimizer(name, groups, convertOptions(options));
      if (M.hasError()) { h?.delete?.(); check(); }
      this._h = h;
      this._params = list;
      registry.register(this, h, this);
    }
    get name() { return M.optimizerName(this._h); }
    zeroGrad({ setToNone = true, set_to_none } = {}) {
      M.optimizerZeroGrad(this._h, set_to_none ?? setToNone);
      check();
    }
    zero_grad(opts) { return this.zeroGrad(opts); }
    step(closure) {
      if (closure) {
        // the closure (LBFGS) is re-evaluated by the JS side: the engine calls no JS
        const loss = noGradOff(closure);
        const r = M.optimizerStep(this._h);
        if (r) r.delete();
        check();
        return loss;
      }
      const r = M.optimizerStep(this._h);
      if (r) r.delete();
      check();
      return null;
    }
    /** Live views of the groups: setting group.lr changes the optimizer, as in PyTorch. */
    get paramGroups() {
      const n = M.optimizerGroupCount(this._h);
      const out = [];
      for (let i = 0; i < n; i++) {
        const opts = M.optimizerGroupOptions(this._h, i);
        const vec = M.optimizerGroupParams(this._h, i);
        const params = [];
        for (let j = 0; j < vec.size(); j++) params.push(new Tensor(vec.get(j)));
        vec.delete();
        const group = { params };
        for (const key of Object.keys(opts)) {
          const set = (v) => { M.optimizerSetOption(this._h, i, key, v); check(); };
          const get = () => M.optimizerGroupOptions(this._h, i)[key];
          Object.defineProperty(group, key, { get, set, enumerable: true });
          const camel = toCamel(key);
          if (camel !== key) Object.defineProperty(group, camel, { get, set, enumerable: false });
        }
        out.push(group);
      }
      return out;
    }
    get param_groups() { return this.paramGroups; }
    /** The per-parameter state (step, momentum_buffer, exp_avg, ...), as in optimizer.state[p]. */
    state(p) {
      const s = M.optimizerState(this._h, p._live());
      const out = { ...s.scalars };
      for (const [k, h] of Object.entries(s.buffers)) out[k] = new Tensor(h);
      return out;
    }
  }
  function noGradOff(fn) {
    const prev = M.isGradEnabled();
    M.setGradEnabled(true);
    try { return fn(); } finally { M.setGradEnabled(prev); }
  }

  const optim = {};
  for (const { name, defaults } of optimizerInfo) {
    const cls = class extends Optimizer {
      constructor(params, options) { super(name, params, options); }
      static get defaults() { return { ...defaults }; }
    };
    Object.defineProperty(cls, 'name', { value: name });
    optim[name] = cls;
  }

  const torch = {
    tensor,
    Tensor,
    zeros: (shape, opts) => full(shape, 0, opts),
    ones: (shape, opts) => full(shape, 1, opts),
    full,
    noGrad,
    no_grad: noGrad,
    isGradEnabled: () => M.isGradEnabled(),
    tidy,
    optim,
    GradlabError,
    add: (a, b) => binary(M.add, a, b, 1),
    sub: (a, b) => binary(M.sub, a, b, 1),
    mul: (a, b) => binary(M.mul, a, b),
    div: (a, b) => binary(M.div, a, b),
    exp: (a) => a.exp(),
    log: (a) => a.log(),
    sum: (a) => a.sum(),
    mean: (a) => a.mean(),
    pow: (a, e) => a.pow(e),
    /** The engine's heap size in bytes (for memory checks). */
    heapBytes: () => M.heapBytes(),
    _module: M,
  };
  return torch;
}
