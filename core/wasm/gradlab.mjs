// gradlab's JavaScript API: PyTorch's names over the WebAssembly engine.
//
//   import { load } from 'gradlab';
//   const torch = await load();                 // or load({ singleFile: true })
//   const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
//
// Users never call .delete(): engine handles are released when their JS wrapper is
// garbage-collected (FinalizationRegistry), when a torch.tidy() scope ends, or on dispose().
// Every engine error is thrown as a GradlabError named after PyTorch's exception type.
import { makeFunctional } from './functional.mjs';
import { loadModule } from './loader.mjs';
import { makeOptim } from './optim.mjs';

/** An engine error, named after PyTorch's Python exception type (RuntimeError, ...). */
export class GradlabError extends Error {
  constructor(type, message) {
    super(message);
    this.name = type;
    this.pythonType = type;
  }
}

function inferShape(data) {
  const shape = [];
  let cur = data;
  while (Array.isArray(cur) || ArrayBuffer.isView(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

function number(x) {
  if (typeof x !== 'number' && typeof x !== 'boolean') {
    throw new GradlabError('TypeError', `must be real number, not ${x === null ? 'NoneType' : typeof x}`);
  }
  return Number(x);
}

/**
 * data's numbers in row-major order, checked against shape, as a Float64Array: the engine
 * copies a typed array in one step, and filling a preallocated one beats push() (tensor() of
 * a 256 x 256 list took 40 ns per value).
 */
function flatten(data, shape) {
  const out = new Float64Array(shape.reduce((a, b) => a * b, 1));
  let k = 0;
  const walk = (d, depth) => {
    if (depth === shape.length) {
      out[k++] = number(d);
      return;
    }
    if (!(Array.isArray(d) || ArrayBuffer.isView(d)) || d.length !== shape[depth]) {
      throw new GradlabError('ValueError', `expected sequence of length ${shape[depth]} at dim ${depth} (got ${d?.length ?? typeof d})`);
    }
    if (depth === shape.length - 1) {
      for (let i = 0; i < d.length; i++) out[k++] = number(d[i]);
      return;
    }
    for (const x of d) walk(x, depth + 1);
  };
  walk(data, 0);
  return out;
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

const apis = new WeakMap();  // engine module -> torch namespace

/**
 * Loads the engine and returns the `torch` namespace.
 * @param {{singleFile?: boolean}} options singleFile: the build with the .wasm embedded.
 */
export async function load(options = {}) {
  const M = await loadModule(options);
  if (!apis.has(M)) apis.set(M, makeTorch(M));
  return apis.get(M);
}

function makeTorch(M) {
  const registry = new FinalizationRegistry((handle) => {
    try { handle.delete(); } catch { /* already deleted */ }
  });
  const scopes = [];  // torch.tidy() bookkeeping: one list of disposables per open scope

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
    return new Tensor(handle);
  }
  /** Like wrap, for results that may be None (grad, grad_fn's variable): null then. */
  function wrapMaybe(handle) {
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
  function wrapVector(vec) {
    try {
      check();
      const out = [];
      for (let i = 0; i < vec.size(); i++) out.push(new Tensor(vec.get(i)));
      return out;
    } finally {
      vec.delete();
    }
  }

  const isTensor = (x) => x instanceof Tensor;
  const operand = (x, like) => {
    if (isTensor(x)) return { h: x._live(), tmp: null };
    if (typeof x === 'number' || typeof x === 'boolean') {
      const h = M.wrapScalar(Number(x), like._live());
      return { h, tmp: h };
    }
    throw new GradlabError('TypeError', `unsupported operand: expected a Tensor or a number, got ${x === null ? 'None (null)' : typeof x}`);
  };
  function binary(fn, a, b, ...rest) {
    const like = isTensor(a) ? a : b;
    if (!isTensor(like)) throw new GradlabError('TypeError', 'expected at least one Tensor operand');
    const x = operand(a, like);
    const y = operand(b, like);
    try {
      return wrap(fn(x.h, y.h, ...rest));
    } finally {
      x.tmp?.delete();
      y.tmp?.delete();
    }
  }
  const live = (t, what = 'argument') => {
    if (!isTensor(t)) throw new GradlabError('TypeError', `${what} must be a Tensor, not ${t === null ? 'None' : typeof t}`);
    return t._live();
  };
  // sum(dim, keepdim) or sum({ dim, keepdim }), as in Python's keywords.
  const dimArgs = (dim, keepdim) => (dim !== null && typeof dim === 'object'
    ? [dim.dim, dim.keepdim ?? false]
    : [dim, keepdim ?? false]);
  // A class-index target (array, nested array, or Tensor of integers) as flat numbers + shape.
  const indices = (x) => {
    if (isTensor(x)) return { flat: Array.from(x.data()), shape: x.shape };
    const shape = inferShape(x);
    return { flat: flatten(x, shape), shape };
  };

  class Tensor {
    constructor(handle) {
      this._h = handle;
      // Inside torch.tidy() the scope frees the tensor (or registers it when it escapes),
      // which spares the finalization registry two calls per temporary.
      if (scopes.length) scopes[scopes.length - 1].push(this);
      else this._register();
    }
    _register() {
      if (this._h && !this._registered) {
        this._registered = true;
        registry.register(this, this._h, this);
      }
    }
    _live() {
      if (!this._h) throw new GradlabError('RuntimeError', 'this tensor was disposed');
      return this._h;
    }
    /** Frees the engine memory now (optional: unreachable tensors are freed anyway). */
    dispose() {
      if (!this._h) return;
      if (this._registered) registry.unregister(this);
      this._h.delete();
      this._h = null;
    }
    get isDisposed() { return this._h === null; }
    get shape() { return M.tensorShape(this._live()); }
    get dtype() { return M.dtypeOf(this._live()); }
    get requiresGrad() { return this._live().requiresGrad(); }
    set requiresGrad(on) { this.requiresGrad_(on); }
    get requires_grad() { return this.requiresGrad; }
    requiresGrad_(on = true) { M.setRequiresGrad(this._live(), on); check(); return this; }
    requires_grad_(on = true) { return this.requiresGrad_(on); }
    get isLeaf() { return this._live().isLeaf(); }
    get is_leaf() { return this.isLeaf; }
    get grad() { return wrapMaybe(M.grad(this._live())); }
    set grad(g) {
      if (g === null || g === undefined) M.clearGrad(this._live());
      else M.setGrad(this._live(), live(g, 'grad'));
      check();
    }
    get gradFn() { return nodeView(M.gradFn(this._live())); }
    get grad_fn() { return this.gradFn; }
    get version() { return this._live().version(); }
    numel() { return this._live().numel(); }
    dim() { return this.shape.length; }
    get ndim() { return this.dim(); }
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
      if (gradient === null || gradient === undefined) M.backwardScalar(this._live(), retain);
      else M.backward(this._live(), live(gradient, 'gradient'), retain);
      check();
    }
    detach() { return wrap(M.detach(this._live())); }
    clone() { return wrap(M.clone(this._live())); }
    to(dtype) { return wrap(M.toDtype(this._live(), typeof dtype === 'object' ? dtype.dtype : dtype)); }
    double() { return this.to('float64'); }
    float() { return this.to('float32'); }

    // arithmetic
    add(o, { alpha = 1 } = {}) { return binary(M.add, this, o, alpha); }
    sub(o, { alpha = 1 } = {}) { return binary(M.sub, this, o, alpha); }
    mul(o) { return binary(M.mul, this, o); }
    div(o) { return binary(M.div, this, o); }
    rsub(o) { return binary(M.sub, o, this, 1); }
    rdiv(o) { return binary(M.div, o, this); }
    neg() { return wrap(M.neg(this._live())); }
    pow(e) {
      if (isTensor(e)) return wrap(M.powTensor(this._live(), e._live()));
      if (typeof e !== 'number') throw new GradlabError('TypeError', 'pow(): the exponent must be a number or a Tensor');
      return wrap(M.pow(this._live(), e));
    }
    /** base ** this (Python's `2 ** t`). */
    rpow(base) { return wrap(M.rpow(base, this._live())); }
    exp() { return wrap(M.exp(this._live())); }
    log() { return wrap(M.log(this._live())); }
    sqrt() { return wrap(M.sqrt(this._live())); }
    abs() { return wrap(M.abs(this._live())); }
    sin() { return wrap(M.sin(this._live())); }
    cos() { return wrap(M.cos(this._live())); }
    clamp(min = null, max = null) {
      if (min !== null && typeof min === 'object') ({ min = null, max = null } = min);
      return wrap(M.clamp(this._live(), min, max));
    }
    clip(min, max) { return this.clamp(min, max); }
    maximum(o) { return wrap(M.maximum(this._live(), live(o))); }

    // activations
    tanh() { return wrap(M.tanh(this._live())); }
    sigmoid() { return wrap(M.sigmoid(this._live())); }
    relu() { return wrap(M.relu(this._live())); }
    softmax(dim) { return wrap(M.softmax(this._live(), typeof dim === 'object' ? dim.dim : dim)); }
    logSoftmax(dim) { return wrap(M.logSoftmax(this._live(), typeof dim === 'object' ? dim.dim : dim)); }
    log_softmax(dim) { return this.logSoftmax(dim); }

    // linear algebra
    matmul(o) { return wrap(M.matmul(this._live(), live(o))); }
    mm(o) { return wrap(M.mm(this._live(), live(o))); }
    mv(o) { return wrap(M.mv(this._live(), live(o))); }
    dot(o) { return wrap(M.dot(this._live(), live(o))); }

    // reductions
    sum(dim = null, keepdim) {
      const [d, k] = dimArgs(dim, keepdim);
      return wrap(d === null || d === undefined ? M.sum(this._live()) : M.sumDim(this._live(), d, k));
    }
    mean(dim = null, keepdim) {
      const [d, k] = dimArgs(dim, keepdim);
      return wrap(d === null || d === undefined ? M.mean(this._live()) : M.meanDim(this._live(), d, k));
    }
    /** max() -> Tensor; max(dim, keepdim) -> [values, indices] with .values and .indices. */
    max(dim = null, keepdim) { return this._extreme(M.max, M.maxDim, dim, keepdim); }
    min(dim = null, keepdim) { return this._extreme(M.min, M.minDim, dim, keepdim); }
    _extreme(all, along, dim, keepdim) {
      if (isTensor(dim)) return this.maximum(dim);
      const [d, k] = dimArgs(dim, keepdim);
      if (d === null || d === undefined) return wrap(all(this._live()));
      const [h, idx] = along(this._live(), d, k);
      const values = wrap(h);
      const out = [values, idx];
      out.values = values;
      out.indices = idx;
      return out;
    }

    // shape
    transpose(d0, d1) { return wrap(M.transpose(this._live(), d0, d1)); }
    t() { return wrap(M.t(this._live())); }
    get T() { return this.t(); }
    reshape(...shape) { return wrap(M.reshape(this._live(), Array.isArray(shape[0]) ? shape[0] : shape)); }
    view(...shape) { return this.reshape(...shape); }
    flatten() { return this.reshape(-1); }
    unsqueeze(dim) { return wrap(M.unsqueeze(this._live(), dim)); }
    squeeze(dim) { return wrap(M.squeeze(this._live(), dim)); }

    // indexing
    select(dim, index) { return wrap(M.select(this._live(), dim, index)); }
    index(i) { return this.select(0, i); }
    unbind(dim = 0) { return wrapVector(M.unbind(this._live(), dim)); }
    [Symbol.iterator]() { return this.unbind(0)[Symbol.iterator](); }

    // in place
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
    if (M.hasError()) {
      ptr?.delete?.();
      check();
    }
    if (!ptr) return null;
    const name = M.nodeName(ptr);
    if (name === 'None') {
      ptr.delete();
      return null;
    }
    let handle = ptr;
    let registered = false;
    const alive = () => {
      if (!handle) throw new GradlabError('RuntimeError', 'this graph node view was disposed');
      return handle;
    };
    const view = {
      _isGraphView: true,
      name,
      id: M.nodeId(ptr),
      /** [[node or null, input_nr], ...], like grad_fn.next_functions. */
      get nextFunctions() {
        const h = alive();
        const out = [];
        const n = M.nodeNextCount(h);
        for (let i = 0; i < n; i++) out.push([nodeView(M.nodeNext(h, i)), M.nodeNextInput(h, i)]);
        return out;
      },
      get next_functions() { return this.nextFunctions; },
      get variable() { return name === 'AccumulateGrad' ? wrapMaybe(M.nodeVariable(alive())) : null; },
      dispose() {
        if (!handle) return;
        if (registered) registry.unregister(view);
        handle.delete();
        handle = null;
      },
      toString() { return `<${name} object>`; },
    };
    view._register = () => {
      if (handle && !registered) {
        registered = true;
        registry.register(view, handle, view);
      }
    };
    if (scopes.length) scopes[scopes.length - 1].push(view);
    else view._register();
    return view;
  }

  function tensor(data, { dtype = 'float32', requiresGrad = false, requires_grad } = {}) {
    if (requires_grad !== undefined) requiresGrad = requires_grad;
    if (isTensor(data)) return data.detach().to(dtype).requiresGrad_(requiresGrad);
    const shape = inferShape(data);
    return wrap(M.tensorFrom(flatten(data, shape), shape, dtype, requiresGrad));
  }

  function full(shape, v, { dtype = 'float32', requiresGrad = false, requires_grad } = {}) {
    const neg = shape.find((d) => d < 0);
    if (neg !== undefined) throw new GradlabError('RuntimeError', `Trying to create tensor with negative dimension ${neg}: [${shape.join(', ')}]`);
    const n = shape.reduce((a, b) => a * b, 1);
    // too large for memory: the engine's own error, before a JS array of n values is built
    if (!(n <= 2 ** 28)) return wrap(M.tensorFrom([], shape, dtype, false));
    return wrap(M.tensorFrom(new Array(n).fill(v), shape, dtype, requires_grad ?? requiresGrad));
  }

  function gradMode(on, fn) {
    const prev = M.isGradEnabled();
    M.setGradEnabled(on);
    try {
      return fn();
    } finally {
      M.setGradEnabled(prev);
    }
  }
  const noGrad = (fn) => gradMode(false, fn);
  const enableGrad = (fn) => gradMode(true, fn);

  /** Runs fn and frees every tensor (and graph view) it created except those it returns. */
  function tidy(fn) {
    const mine = [];
    scopes.push(mine);
    let result;
    try {
      result = fn();
    } finally {
      scopes.pop();
      const keep = new Set();
      const collect = (x, depth = 0) => {
        if (depth > 8 || x === null || typeof x !== 'object') return;
        if (isTensor(x) || x._isGraphView) keep.add(x);
        else if (Array.isArray(x)) x.forEach((y) => collect(y, depth + 1));
        else if (Object.getPrototypeOf(x) === Object.prototype) Object.values(x).forEach((y) => collect(y, depth + 1));
      };
      collect(result);
      for (const t of mine) if (!keep.has(t)) t.dispose();
      if (scopes.length) for (const t of keep) scopes[scopes.length - 1].push(t);
      else for (const t of keep) t._register?.();
    }
    return result;
  }

  // stack/cat take lists; embedding takes class indices.
  const list = (ts) => Array.from(ts, (t) => live(t, 'tensors'));
  const stack = (ts, dim = 0) => wrap(M.stack(list(ts), typeof dim === 'object' ? dim.dim : dim));
  const cat = (ts, dim = 0) => wrap(M.cat(list(ts), typeof dim === 'object' ? dim.dim : dim));
  function embedding(input, weight, { sparse = false } = {}) {
    const { flat, shape } = indices(input);
    return wrap(M.embedding(flat, shape, live(weight, 'weight'), sparse));
  }

  const ctx = { M, check, wrap, wrapMaybe, isTensor, live, indices, registry, GradlabError, enableGrad, noGrad };
  const functional = makeFunctional(ctx, { embedding });
  const optim = makeOptim(ctx);

  const method = (name) => (t, ...args) => {
    live(t, 'input');
    return t[name](...args);
  };
  const torch = {
    tensor,
    Tensor,
    isTensor,
    is_tensor: isTensor,
    zeros: (shape, opts) => full(shape, 0, opts),
    ones: (shape, opts) => full(shape, 1, opts),
    full,
    noGrad,
    no_grad: noGrad,
    enableGrad,
    enable_grad: enableGrad,
    isGradEnabled: () => M.isGradEnabled(),
    is_grad_enabled: () => M.isGradEnabled(),
    setGradEnabled: (on) => M.setGradEnabled(on),
    tidy,
    optim,
    nn: { functional },
    GradlabError,
    // binary ops accept a number on either side, like Python's operators
    add: (a, b, { alpha = 1 } = {}) => binary(M.add, a, b, alpha),
    sub: (a, b, { alpha = 1 } = {}) => binary(M.sub, a, b, alpha),
    mul: (a, b) => binary(M.mul, a, b),
    div: (a, b) => binary(M.div, a, b),
    pow: (a, e) => (isTensor(a) ? a.pow(e) : live(e, 'exponent') && e.rpow(a)),
    maximum: (a, b) => live(a, 'input') && a.maximum(b),
    stack,
    cat,
    addmm: (bias, m1, m2) => wrap(M.addmm(live(bias, 'input'), live(m1, 'mat1'), live(m2, 'mat2'))),
    embedding: (weight, input, opts) => embedding(input, weight, opts),
    softmax: (t, dim) => live(t, 'input') && t.softmax(dim),
    log_softmax: (t, dim) => live(t, 'input') && t.logSoftmax(dim),
    logSoftmax: (t, dim) => live(t, 'input') && t.logSoftmax(dim),
    /** The engine's WebAssembly memory in bytes (grows, never shrinks). */
    heapBytes: () => M.heapBytes(),
    /** Bytes allocated in the engine's heap right now (malloc's count). */
    heapUsedBytes: () => M.heapUsedBytes(),
    _module: M,
  };
  for (const name of ['neg', 'exp', 'log', 'sqrt', 'abs', 'sin', 'cos', 'clamp', 'clip', 'tanh', 'sigmoid', 'relu',
    'matmul', 'mm', 'mv', 'dot', 'sum', 'mean', 'max', 'min', 'transpose', 't', 'reshape', 'unsqueeze', 'squeeze',
    'select', 'unbind', 'detach', 'clone', 'flatten']) {
    torch[name] = method(name);
  }
  return torch;
}
