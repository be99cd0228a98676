// gradlab's JavaScript API: PyTorch's names over the WebAssembly engine.
//
//   import { load } from 'gradlab';
//   const torch = await load();                 // or load({ singleFile: true })
//   const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
//
// Users never call .delete() or dispose(): the engine keeps a bounded set of recent tensors
// and moves older ones into JavaScript memory, where V8 collects them (tensor_store.mjs);
// torch.tidy() frees at once. Tensors cross into the engine as slot numbers, through plain
// WebAssembly exports (bindings_tensor.cpp, bindings_ops.cpp); the Tensor class is in
// tensor.mjs. Every method converts all its arguments before it touches a tensor (args.mjs),
// and every engine error is thrown as a GradlabError named after PyTorch's exception type.
import {
  int64, invalidArguments, isBool, isInt, isNumber, pyType, sizesOf, wrongArgument,
} from './args.mjs';
import { GradlabError } from './errors.mjs';
import { makeFunctional } from './functional.mjs';
import { loadModule } from './loader.mjs';
import { makeOptim } from './optim.mjs';
import { DTYPES, makeTensorApi } from './tensor.mjs';
import { makeStore } from './tensor_store.mjs';

export { GradlabError };

function inferShape(data) {
  const shape = [];
  let cur = data;
  while (Array.isArray(cur) || ArrayBuffer.isView(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

// torch.tensor's errors for what is not a number (checked with Debian's PyTorch 1.13)
function notNumber(x) {
  const t = pyType(x);
  return t === 'str'
    ? new GradlabError('TypeError', "new(): invalid data type 'str'")
    : new GradlabError('RuntimeError', `Could not infer dtype of ${t}`);
}

function number(x) {
  if (typeof x !== 'number' && typeof x !== 'boolean') throw notNumber(x);
  return Number(x);
}

/** data's numbers in row-major order, checked against shape, into out (a typed array). */
function flattenInto(out, data, shape) {
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
    for (let i = 0; i < d.length; i++) walk(d[i], depth + 1);
  };
  walk(data, 0);
  return out;
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
  const E = M.asm;  // the plain exports: gl_* (slot numbers and doubles in, slots out)
  const registry = new FinalizationRegistry((handle) => {
    try { handle.delete(); } catch { /* already deleted */ }
  });

  function check() {
    if (E.gl_has_error()) {
      const [type, message] = M.takeError();
      throw new GradlabError(type, message);
    }
  }
  const store = makeStore(M, E, { check });

  const api = makeTensorApi(M, E, store, check, registry);
  const {
    Tensor, wrap, wrapMaybe, isTensor, live, toScratch, dtypeCode, binary, alphaOf, singleDim, viewScopes, unaryOps,
  } = api;

  // A tensor creation that found no room in the heap retires every young tensor and tries once
  // more (the newest ones stay in the engine while they fit; see tensor_store.mjs).
  function creating(call) {
    let id = call();
    if (!id && E.gl_has_error()) {
      const [type, message] = M.takeError();
      if (!message.startsWith('out of memory')) throw new GradlabError(type, message);
      store.spillAll();
      id = call();
    }
    return id;
  }


  // A class-index target (array, nested array, or Tensor of integers) as flat numbers + shape.
  const indices = (x) => {
    let flat;
    let shape;
    if (isTensor(x)) {
      flat = x.data();
      shape = x.shape;
    } else {
      shape = inferShape(x);
      flat = flattenInto(new Float64Array(shape.reduce((a, b) => a * b, 1)), x, shape);
    }
    for (const v of flat) {
      if (!Number.isInteger(v)) throw new GradlabError('TypeError', `expected an integer, got ${v}`);
    }
    return { flat, shape };
  };


  function tensor(data, opts = {}) {
    const { dtype = 'float32' } = opts ?? {};
    const requiresGrad = opts?.requires_grad ?? opts?.requiresGrad ?? false;
    if (!isBool(requiresGrad)) throw wrongArgument('tensor', 'requires_grad', 0, 'bool', requiresGrad);
    const code = dtypeCode(dtype);
    if (isTensor(data)) return data.detach().to(DTYPES[code]).requiresGrad_(requiresGrad);
    if (isNumber(data)) return full([], Number(data), { dtype: DTYPES[code], requiresGrad });
    if (!Array.isArray(data) && !ArrayBuffer.isView(data)) throw notNumber(data);
    const shape = inferShape(data);
    // the size check before anything of that size exists, here or in the engine
    toScratch(shape);
    E.gl_check_shape(shape.length);
    check();
    const n = shape.reduce((a, b) => a * b, 1);
    let flat;
    try {
      flat = code ? new Float64Array(n) : new Float32Array(n);
    } catch {
      throw new GradlabError('RuntimeError', `out of memory: no room for the ${n} values of a tensor of shape [${shape.join(', ')}]`);
    }
    flattenInto(flat, data, shape);  // may run user code (getters): no slot is held yet
    const id = creating(() => {
      toScratch(shape);
      return E.gl_full(code, shape.length, 0, requiresGrad ? 1 : 0);
    });
    if (!id) check();
    const p = E.gl_data(id);
    if (code) M.HEAPF64.set(flat, p >> 3);
    else M.HEAPF32.set(flat, p >> 2);
    return wrap(id);
  }

  function full(shape, v, opts = {}, fn = 'full') {
    const sizes = sizesOf(fn, 'size', shape);
    const neg = sizes.find((d) => d < 0);
    if (neg !== undefined) throw new GradlabError('RuntimeError', `Trying to create tensor with negative dimension ${neg}: [${sizes.join(', ')}]`);
    if (!isNumber(v)) throw wrongArgument(fn, 'fill_value', 2, 'Number', v);
    const { dtype = 'float32' } = opts ?? {};
    const requiresGrad = opts?.requires_grad ?? opts?.requiresGrad ?? false;
    if (!isBool(requiresGrad)) throw wrongArgument(fn, 'requires_grad', 0, 'bool', requiresGrad);
    const code = dtypeCode(dtype);
    // the engine checks the size before it allocates
    return wrap(creating(() => {
      toScratch(sizes);
      return E.gl_full(code, sizes.length, Number(v), requiresGrad ? 1 : 0);
    }));
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
    const mine = store.openScope();
    const views = [];
    viewScopes.push(views);
    let result;
    let done = false;
    try {
      result = fn();
      done = true;
    } finally {
      viewScopes.pop();
      const keep = new Set();
      const collect = (x, depth = 0) => {
        if (depth > 8 || x === null || typeof x !== 'object') return;
        if (isTensor(x) || x._isGraphView) keep.add(x);
        else if (Array.isArray(x)) x.forEach((y) => collect(y, depth + 1));
        else if (Object.getPrototypeOf(x) === Object.prototype) Object.values(x).forEach((y) => collect(y, depth + 1));
      };
      if (done) collect(result);
      store.closeScope(mine, keep);
      for (const v of views) {
        if (keep.has(v)) {
          if (viewScopes.length) viewScopes[viewScopes.length - 1].push(v);
          else v._register();
        } else v.dispose();
      }
    }
    return result;
  }

  // stack/cat take lists; embedding takes class indices.
  function tensorList(ts, fn) {
    const list = ts === null || ts === undefined || typeof ts[Symbol.iterator] !== 'function' ? null : Array.from(ts);
    if (!list) throw new GradlabError('TypeError', `${fn}(): argument 'tensors' (position 1) must be tuple of Tensors, not ${pyType(ts)}`);
    list.forEach((t, i) => {
      if (!isTensor(t)) throw new GradlabError('TypeError', `${fn}(): argument 'tensors' (position 1) must be tuple of Tensors, but found element of type ${pyType(t)} at pos ${i}`);
    });
    return list;
  }
  function joined(fn, list, dim) {
    const ids = list.map((t) => store.slot(t));  // slots first: reviving one writes the scratch buffer
    toScratch(ids);
    return wrap(fn(ids.length, dim));
  }
  function stack(ts, dim = 0) {
    const list = tensorList(ts, 'stack');
    const kw = dim !== null && typeof dim === 'object';
    const d = kw ? dim.dim ?? 0 : dim;
    if (!isInt(d)) throw wrongArgument('stack', 'dim', kw ? 0 : 2, 'int', d);
    return joined(E.gl_stack, list, int64(d));
  }
  function cat(ts, dim = 0) {
    const list = tensorList(ts, 'cat');
    const kw = dim !== null && typeof dim === 'object';
    const d = kw ? dim.dim ?? 0 : dim;
    if (!isInt(d)) throw invalidArguments('cat', kw ? [list] : [list, d], kw ? { dim: d } : {});
    return joined(E.gl_cat, list, int64(d));
  }
  function embedding(input, weight, opts = {}) {
    const sparse = opts?.sparse ?? false;
    if (!isBool(sparse)) throw wrongArgument('embedding', 'sparse', 0, 'bool', sparse);
    const { flat, shape } = indices(input);
    const w = live(weight, 'weight');
    toScratch([...flat, ...shape]);
    return wrap(E.gl_embedding(flat.length, shape.length, w, sparse ? 1 : 0));
  }

  const ctx = {
    M, E, check, wrap, wrapMaybe, isTensor, live, indices, toScratch, registry, GradlabError, enableGrad, noGrad,
    singleDim, store,
  };
  const functional = makeFunctional(ctx, { embedding, unaryOps });
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
    zeros: (shape, opts) => full(shape, 0, opts, 'zeros'),
    ones: (shape, opts) => full(shape, 1, opts, 'ones'),
    full: (shape, v, opts) => full(shape, v, opts, 'full'),
    noGrad,
    no_grad: noGrad,
    enableGrad,
    enable_grad: enableGrad,
    isGradEnabled: () => M.isGradEnabled(),
    is_grad_enabled: () => M.isGradEnabled(),
    setGradEnabled: (on) => M.setGradEnabled(!!on),
    tidy,
    optim,
    nn: { functional },
    GradlabError,
    // binary ops accept a number on either side, like Python's operators
    add: (a, b, opts) => binary(E.gl_add, a, b, alphaOf('add', opts)),
    sub: (a, b, opts) => binary(E.gl_sub, a, b, alphaOf('sub', opts)),
    mul: (a, b) => binary(E.gl_mul, a, b),
    div: (a, b) => binary(E.gl_div, a, b),
    pow: (a, e) => (isTensor(a) ? a.pow(e) : live(e, 'exponent') && e.rpow(a)),
    maximum: (a, b) => live(a, 'input') && a.maximum(b),
    stack,
    cat,
    addmm: (bias, m1, m2) => {
      for (const [x, w] of [[bias, 'input'], [m1, 'mat1'], [m2, 'mat2']]) live(x, w);
      return wrap(E.gl_addmm(store.slot(bias), store.slot(m1), store.slot(m2)));
    },
    embedding: (weight, input, opts) => embedding(input, weight, opts),
    softmax: (t, dim) => live(t, 'input') && t.softmax(dim),
    log_softmax: (t, dim) => live(t, 'input') && t.logSoftmax(dim),
    logSoftmax: (t, dim) => live(t, 'input') && t.logSoftmax(dim),
    /**
     * Runs a Python script (PyTorch code) on the engine: resolves to what `python3` prints.
     * The script runs to its end in one call: onPrint receives its standard output after it
     * ends (not line by line yet), a signal is checked before it starts, timeoutMs stops it as
     * Ctrl-C would. events is empty until the engine records backward/step/zero_grad events.
     */
    runPython: async (source, { filename = '<string>', onPrint, signal, timeoutMs = 0 } = {}) => {
      if (typeof source !== 'string') throw new TypeError('runPython: source must be a string');
      signal?.throwIfAborted?.();
      const r = M.runPython(source, filename, Number(timeoutMs) || 0);
      if (onPrint && r.stdout) onPrint(r.stdout);
      const error = r.errorType === null ? null : { type: r.errorType, message: r.errorMessage, exitCode: r.exitCode };
      return { stdout: r.stdout, stderr: r.stderr, error, events: [] };
    },
    /** The engine's WebAssembly memory in bytes (grows, never shrinks). */
    heapBytes: () => M.heapBytes(),
    /** Bytes allocated in the engine's heap right now (malloc's count). */
    heapUsedBytes: () => M.heapUsedBytes(),
    /** Where tensors are: recent ones in the engine, older ones spilled (tensor_store.mjs). */
    memoryStats: () => store.stats(),
    _module: M,
  };
  // The op table's rows: the Tensor -> Tensor ones over gl_unary; the others that are both
  // torch.X and Tensor.X forward to the method, unless written above (a number first:
  // torch.add(2, t), torch.pow(2, t)); and the methods that are no rows (unbind returns a tuple).
  for (const { js, torch: inTorch, fn } of unaryOps) if (inTorch) torch[js] = fn;
  for (const { js, unary, torch: inTorch, tensor } of M.opTable()) {
    if (!unary && inTorch && tensor && !(js in torch)) torch[js] = method(js);
  }
  for (const name of ['unbind', 'detach', 'clone', 'flatten']) torch[name] = method(name);
  return torch;
}
