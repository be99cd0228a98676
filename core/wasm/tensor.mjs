// gradlab's Tensor over the engine's slots: the class users get, its methods (PyTorch's names),
// the binary-op and argument helpers they share, and the read-only views of grad_fn nodes.
// Each method converts all its arguments (args.mjs) before it takes any tensor's slot, and
// wraps a result only after the engine call: no user code runs while a slot is in hand.
// gradlab.mjs builds the torch namespace around it; tensor_store.mjs decides where each
// tensor's state lives.
import {
  dimOf, int64, invalidArguments, isBool, isInt, isNumber, pyType, sizesOf, wrongArgument,
} from './args.mjs';
import { GradlabError } from './errors.mjs';
import { makeGraphViews } from './graph_view.mjs';

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

export const PRIVATE = Symbol('gradlab tensor');
export const DTYPES = ['float32', 'float64'];

/**
 * The Tensor class and its helpers for one engine module: M (Embind functions), E (its plain
 * gl_* exports), the tensor store, check() (throws the engine's pending error) and the
 * registry that finalizes graph views.
 */
export function makeTensorApi(M, E, store, check, registry) {
  /** The tensor in a new slot (from an engine call), or the engine's error when it is 0. */
  function wrap(id) {
    if (!id) {
      check();
      throw new GradlabError('RuntimeError', 'internal error: an op returned no tensor');
    }
    const t = new Tensor(PRIVATE, id);
    store.settle();
    return t;
  }
  /** Like wrap, for results that may be None (grad): null then. */
  function wrapMaybe(id) {
    if (!id) {
      check();
      return null;
    }
    return wrap(id);
  }
  // Slots an engine call left in the scratch buffer (unbind): read before anything else runs.
  function scratchInts(n) {
    const s = E.gl_scratch(0) >> 3;
    const f = M.HEAPF64;
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = f[s + i];
    return out;
  }
  function toScratch(values) {
    const s = E.gl_scratch(values.length) >> 3;
    M.HEAPF64.set(values, s);
  }

  function dtypeCode(d) {
    const name = d !== null && typeof d === 'object' ? d.dtype : d;
    const i = DTYPES.indexOf(name);
    if (i >= 0) return i;
    if (typeof name !== 'string') throw new GradlabError('TypeError', `dtype must be torch.dtype, not ${pyType(name)}`);
    const code = M.dtypeCode(name);
    check();
    return code;
  }

  const isTensor = (x) => x instanceof Tensor;
  /** The slot of a tensor argument; call only after every other argument is converted. */
  const live = (t, what = 'argument') => {
    if (!isTensor(t)) throw new GradlabError('TypeError', `${what} must be a Tensor, not ${t === null ? 'None' : pyType(t)}`);
    return store.slot(t);
  };

  // a Python number or a Tensor, for the binary ops; a number becomes a wrapped scalar
  const checkOperand = (x) => {
    if (!isTensor(x) && !isNumber(x)) {
      throw new GradlabError('TypeError', `unsupported operand: expected a Tensor or a number, got ${x === null ? 'None (null)' : pyType(x)}`);
    }
  };
  function binary(fn, a, b, alpha) {
    checkOperand(a);
    checkOperand(b);
    if (!isTensor(a) && !isTensor(b)) throw new GradlabError('TypeError', 'expected at least one Tensor operand');
    const like = store.slot(isTensor(a) ? a : b);
    const ia = isTensor(a) ? store.slot(a) : E.gl_wrap_scalar(Number(a), like);
    const ib = isTensor(b) ? store.slot(b) : E.gl_wrap_scalar(Number(b), like);
    const id = alpha === undefined ? fn(ia, ib) : fn(ia, ib, alpha);
    if (!isTensor(a)) E.gl_release(ia);
    if (!isTensor(b)) E.gl_release(ib);
    return wrap(id);
  }
  const alphaOf = (fn, opts) => {
    const alpha = opts?.alpha ?? 1;
    if (!isNumber(alpha)) throw wrongArgument(fn, 'alpha', 0, 'Number', alpha);
    return Number(alpha);
  };

  // sum(dim, keepdim), sum({ dim, keepdim }) (Python's keywords): [dim or null, keepdim]
  function dimArgs(name, dim, keepdim) {
    let args = [dim, keepdim];
    let kwargs = {};
    if (dim !== null && typeof dim === 'object' && !Array.isArray(dim)) {
      kwargs = Object.fromEntries(Object.entries(dim).filter(([, v]) => v !== undefined));
      args = [];
      ({ dim = null, keepdim } = kwargs);
    }
    while (args.length && args[args.length - 1] === undefined) args.pop();
    if (keepdim !== undefined && !isBool(keepdim)) throw invalidArguments(name, args, kwargs);
    if (dim === null || dim === undefined) return [null, keepdim ?? false];
    if (Array.isArray(dim) && dim.length === 1 && isInt(dim[0])) dim = dim[0];
    if (!isInt(dim)) {
      if (Array.isArray(dim) && dim.every(isInt)) {
        throw new GradlabError('NotImplementedError', `${name}(): gradlab reduces over one dim at a time (got ${dim.length})`);
      }
      throw invalidArguments(name, args, kwargs);
    }
    return [int64(dim), keepdim ?? false];
  }
  // a single dim of softmax-like methods: softmax(1) or softmax({ dim: 1 })
  function singleDim(name, dim) {
    if (dim !== null && typeof dim === 'object' && !Array.isArray(dim)) {
      const kwargs = Object.fromEntries(Object.entries(dim).filter(([, v]) => v !== undefined));
      return dimOf(name, kwargs.dim, [], kwargs);
    }
    return dimOf(name, dim, [dim]);
  }
  // reshape(2, 3) or reshape([2, 3]): a single list, or the positional ints as one (PyTorch's
  // var-args int list); view, with two overloads, lists them when the first size is no int
  function shapeArgs(name, args) {
    const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
    if (name === 'view' && list.length && !isInt(list[0])) throw invalidArguments('view', args);
    return sizesOf(name, name === 'view' ? 'size' : 'shape', list);
  }

  class Tensor {
    constructor(token, id) {
      if (token !== PRIVATE) throw new GradlabError('TypeError', 'use torch.tensor(data), torch.zeros(shape), ...: Tensor is not constructed directly');
      store.adopt(this, id);
    }
    get _isTensor() { return true; }
    _live() { return store.slot(this); }
    _disposedError() { return new GradlabError('RuntimeError', 'this tensor was disposed'); }
    /** Frees the engine memory now (optional). */
    dispose() { store.dispose(this); }
    get isDisposed() { return store.isDisposed(this); }

    get shape() {
      if (!this._shape) {
        const rec = store.record(this);
        if (rec) this._shape = rec.shape;
        else {
          const n = E.gl_shape(this._live());
          check();
          this._shape = scratchInts(n);
        }
      }
      return this._shape.slice();
    }
    get dtype() {
      if (this._dtype === undefined) {
        const rec = store.record(this);
        this._dtype = DTYPES[rec ? rec.dtype : (E.gl_meta(this._live()) & 8) ? 1 : 0];
      }
      return this._dtype;
    }
    _flags() {
      const rec = store.record(this);
      return rec ? rec.flags : E.gl_meta(this._live());
    }
    get requiresGrad() { return (this._flags() & 1) !== 0; }
    set requiresGrad(on) { this.requiresGrad_(on); }
    get requires_grad() { return this.requiresGrad; }
    set requires_grad(on) { this.requiresGrad_(on); }
    requiresGrad_(on = true) {
      if (!isBool(on)) throw wrongArgument('requires_grad_', 'requires_grad', 1, 'bool', on);
      E.gl_set_requires_grad(this._live(), on ? 1 : 0);
      check();
      return this;
    }
    requires_grad_(on = true) { return this.requiresGrad_(on); }
    get isLeaf() { return (this._flags() & 2) !== 0; }
    get is_leaf() { return this.isLeaf; }
    /** The same Tensor each time while the grad is the same (PyTorch's p.grad is p.grad). */
    get grad() {
      const rec = store.record(this);
      if (rec && !(rec.flags & 4)) return null;
      const id = this._live();
      const g = this._gradView;
      if (g && g._id && E.gl_is_grad_of(g._id, id)) return g;
      this._gradView = wrapMaybe(E.gl_grad(id));
      return this._gradView;
    }
    set grad(g) {
      const gid = g === null || g === undefined ? 0 : live(g, 'grad');
      E.gl_set_grad(this._live(), gid);
      check();
    }
    get gradFn() {
      const rec = store.record(this);
      if (rec && (rec.flags & 2)) return null;
      return nodeView(M.nodeOf(this._live()));
    }
    get grad_fn() { return this.gradFn; }
    get version() {
      const rec = store.record(this);
      return rec ? rec.version : E.gl_version(this._live());
    }
    get _version() { return this.version; }
    numel() { return this.shape.reduce((a, b) => a * b, 1); }
    dim() { return this.shape.length; }
    get ndim() { return this.dim(); }
    size(d) {
      const s = this.shape;
      if (d === undefined) return s;
      if (!isInt(d)) throw wrongArgument('size', 'dim', 1, 'int', d);
      return s[d < 0 ? d + s.length : d];
    }
    item() {
      const rec = store.record(this);
      if (rec && rec.data.length === 1) return rec.data[0];
      const v = rec ? store.withCopy(this, (id) => E.gl_item(id)) : E.gl_item(this._live());
      check();
      return v;
    }
    /** A copy of the values as a flat Float32Array/Float64Array. */
    data() {
      const rec = store.record(this);
      if (rec) return rec.data.slice();
      const id = this._live();
      const n = E.gl_numel(id);
      const p = E.gl_data(id);
      return this.dtype === 'float64' ? M.HEAPF64.slice(p >> 3, (p >> 3) + n) : M.HEAPF32.slice(p >> 2, (p >> 2) + n);
    }
    /** Nested arrays, like tensor.tolist(). */
    toArray() { return nest(this.data(), this.shape); }
    tolist() { return this.toArray(); }
    toString() {
      const s = store.record(this) ? store.withCopy(this, (id) => M.repr(id)) : M.repr(this._live());
      check();
      return s;
    }
    [Symbol.for('nodejs.util.inspect.custom')]() { return this.toString(); }
    backward(gradient = null, opts = {}) {
      const retain = opts?.retain_graph ?? opts?.retainGraph ?? false;
      if (!isBool(retain)) throw new GradlabError('TypeError', `backward(): argument 'retain_graph' must be bool, not ${pyType(retain)}`);
      const gid = gradient === null || gradient === undefined ? 0 : live(gradient, 'gradient');
      E.gl_backward(this._live(), gid, retain ? 1 : 0);
      check();
    }
    detach() { return wrap(E.gl_detach(this._live())); }
    clone() { return wrap(E.gl_clone(this._live())); }
    to(dtype) {
      const code = dtypeCode(dtype);
      return wrap(E.gl_to(this._live(), code));
    }
    double() { return this.to('float64'); }
    float() { return this.to('float32'); }

    // arithmetic (Tensor -> Tensor ops such as neg, exp and tanh come from the op table: below)
    add(o, opts) { return binary(E.gl_add, this, o, alphaOf('add', opts)); }
    sub(o, opts) { return binary(E.gl_sub, this, o, alphaOf('sub', opts)); }
    mul(o) { return binary(E.gl_mul, this, o); }
    div(o) { return binary(E.gl_div, this, o); }
    rsub(o) { return binary(E.gl_sub, o, this, 1); }
    rdiv(o) { return binary(E.gl_div, o, this); }
    pow(e) {
      if (isTensor(e)) return wrap(E.gl_pow_tensor(this._live(), store.slot(e)));
      if (!isNumber(e)) throw new GradlabError('TypeError', 'pow(): the exponent must be a number or a Tensor');
      return wrap(E.gl_pow(this._live(), Number(e)));
    }
    /** base ** this (Python's `2 ** t`). */
    rpow(base) {
      if (!isNumber(base)) throw new GradlabError('TypeError', 'pow(): the base must be a number or a Tensor');
      return wrap(E.gl_rpow(Number(base), this._live()));
    }
    clamp(min = null, max = null) {
      if (min !== null && typeof min === 'object') ({ min = null, max = null } = min);
      for (const [k, v] of [['min', min], ['max', max]]) {
        if (v !== null && v !== undefined && !isNumber(v)) throw wrongArgument('clamp', k, 0, 'Number', v);
      }
      const has = (v) => (v === null || v === undefined ? 0 : 1);
      return wrap(E.gl_clamp(this._live(), has(min), Number(min ?? 0), has(max), Number(max ?? 0)));
    }
    clip(min, max) { return this.clamp(min, max); }
    maximum(o) { return wrap(E.gl_maximum(this._live(), live(o))); }

    // activations
    softmax(dim) {
      const d = singleDim('softmax', dim);
      return wrap(E.gl_softmax(this._live(), d));
    }
    logSoftmax(dim) {
      const d = singleDim('log_softmax', dim);
      return wrap(E.gl_log_softmax(this._live(), d));
    }
    log_softmax(dim) { return this.logSoftmax(dim); }

    // linear algebra
    matmul(o) { return wrap(E.gl_matmul(this._live(), live(o))); }
    mm(o) { return wrap(E.gl_mm(this._live(), live(o))); }
    mv(o) { return wrap(E.gl_mv(this._live(), live(o))); }
    dot(o) { return wrap(E.gl_dot(this._live(), live(o))); }

    // reductions
    sum(dim = null, keepdim) {
      const [d, k] = dimArgs('sum', dim, keepdim);
      return wrap(d === null ? E.gl_sum(this._live()) : E.gl_sum_dim(this._live(), d, k ? 1 : 0));
    }
    mean(dim = null, keepdim) {
      const [d, k] = dimArgs('mean', dim, keepdim);
      return wrap(d === null ? E.gl_mean(this._live()) : E.gl_mean_dim(this._live(), d, k ? 1 : 0));
    }
    /** max() -> Tensor; max(dim, keepdim) -> [values, indices] with .values and .indices. */
    max(dim = null, keepdim) { return this._extreme('max', dim, keepdim); }
    min(dim = null, keepdim) { return this._extreme('min', dim, keepdim); }
    _extreme(name, dim, keepdim) {
      if (isTensor(dim)) {
        if (name === 'max') return this.maximum(dim);
        throw new GradlabError('NotImplementedError', 'min(other): gradlab has torch.maximum only');
      }
      const [d, k] = dimArgs(name, dim, keepdim);
      if (d === null) return wrap(name === 'max' ? E.gl_max(this._live()) : E.gl_min(this._live()));
      const id = (name === 'max' ? E.gl_max_dim : E.gl_min_dim)(this._live(), d, k ? 1 : 0);
      if (!id) check();
      const idx = scratchInts(E.gl_numel(id));
      const values = wrap(id);
      const out = [values, idx];
      out.values = values;
      out.indices = idx;
      return out;
    }

    // shape
    transpose(d0, d1) {
      const args = [d0, d1];
      if (!isInt(d0) || !isInt(d1)) {
        if (d0 === null && d1 === null) dimOf('transpose', null, args);  // the Dimname overload
        throw invalidArguments('transpose', args);
      }
      return wrap(E.gl_transpose(this._live(), int64(d0), int64(d1)));
    }
    t() { return wrap(E.gl_t(this._live())); }
    get T() { return this.t(); }
    reshape(...shape) { return this._reshape('reshape', shape); }
    view(...shape) { return this._reshape('view', shape); }
    _reshape(name, args) {
      const dims = shapeArgs(name, args);
      const id = this._live();
      toScratch(dims);
      return wrap(E.gl_reshape(id, dims.length));
    }
    flatten() { return this.reshape(-1); }
    unsqueeze(dim) {
      if (!isInt(dim)) throw wrongArgument('unsqueeze', 'dim', 1, 'int', dim);
      return wrap(E.gl_unsqueeze(this._live(), int64(dim)));
    }
    squeeze(dim) {
      if (dim === undefined) throw new GradlabError('NotImplementedError', 'squeeze(): gradlab squeezes one dim at a time: give the dim');
      const d = dimOf('squeeze', dim, [dim]);
      return wrap(E.gl_squeeze(this._live(), d));
    }

    // indexing
    select(dim, index) {
      const args = [dim, index];
      while (args.length && args[args.length - 1] === undefined) args.pop();
      if (args.length !== 2) throw invalidArguments('select', args);
      if (dim === null) dimOf('select', null, args);  // binds to the Dimname overload
      if (!isInt(dim) || !isInt(index)) throw invalidArguments('select', args);
      return wrap(E.gl_select(this._live(), int64(dim), int64(index), 0));
    }
    /** a[i] */
    index(i) {
      if (!isInt(i)) throw new GradlabError('IndexError', `only integers, slices (\`:\`), ellipsis (\`...\`), None and long or byte Variables are valid indices (got ${pyType(i)})`);
      return wrap(E.gl_select(this._live(), 0, int64(i), 1));
    }
    unbind(dim = 0) {
      const d = dimOf('unbind', dim, [dim]);
      const n = E.gl_unbind(this._live(), d);
      check();
      const ids = scratchInts(n);
      const out = ids.map((id) => new Tensor(PRIVATE, id));
      store.settle();
      return out;
    }
    [Symbol.iterator]() { return this.unbind(0)[Symbol.iterator](); }

    // in place
    add_(o, opts) { return this._inplace(E.gl_add_, o, alphaOf('add_', opts)); }
    sub_(o, opts) { return this._inplace(E.gl_add_, o, -alphaOf('sub_', opts)); }
    mul_(o) { return this._inplace(E.gl_mul_, o); }
    div_(o) { return this._inplace(E.gl_div_, o); }
    copy_(o) { return this._inplace(E.gl_copy_, o); }
    zero_() {
      E.gl_zero_(this._live());
      check();
      return this;
    }
    _inplace(fn, o, alpha) {
      checkOperand(o);
      const self = this._live();
      const other = isTensor(o) ? store.slot(o) : E.gl_wrap_scalar(Number(o), self);
      if (alpha === undefined) fn(self, other);
      else fn(self, other, alpha);
      if (!isTensor(o)) E.gl_release(other);
      check();
      return this;
    }
  }

  // The op table's Tensor -> Tensor rows (core/include/gradlab/ops/op_table.def), read from
  // the engine: each row's function over gl_unary, and t.NAME() where PyTorch has Tensor.NAME.
  // gradlab.mjs and functional.mjs put the same functions under torch.NAME and F.NAME.
  const unaryOps = M.opTable().map((row, op) => ({
    ...row,
    fn: (x) => wrap(E.gl_unary(op, live(x, 'input'))),
  })).filter((row) => row.unary);
  for (const { js, tensor, fn } of unaryOps) {
    if (!tensor) continue;
    Object.defineProperty(Tensor.prototype, js, {
      value: { [js]() { return fn(this); } }[js],  // named like a class method
      writable: true,
      configurable: true,
    });
  }

  const { nodeView, viewScopes } = makeGraphViews({ M, check, wrapMaybe, registry });


  return {
    Tensor, wrap, wrapMaybe, isTensor, live, check, toScratch, scratchInts, dtypeCode, binary, alphaOf,
    singleDim, viewScopes, unaryOps,
  };
}
