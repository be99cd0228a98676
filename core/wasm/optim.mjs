// torch.optim and torch.optim.lr_scheduler: one JS class per engine algorithm or schedule,
// generated from the engine's registries, so the JS API offers exactly what the engine has.
// Options are camelCase (stepSize, weightDecay, tMax) or PyTorch's own names (step_size, T_max).
// Options are copied into plain values (numbers, bools, strings, None, tuples of numbers)
// before any parameter's slot is taken, so no user code (a getter, a valueOf) runs while the
// engine reads them.
import { pyType } from './args.mjs';

const normalize = (k) => k.replace(/_/g, '').toLowerCase();
const toSnake = (k) => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
const toCamel = (k) => k.replace(/_([a-zA-Z0-9])/g, (_, c) => c.toUpperCase());

/** Maps user keys onto the engine's names; unknown keys pass through (snake_case) so the engine raises PyTorch's TypeError. */
function keyResolver(names) {
  const map = new Map(names.map((n) => [normalize(n), n]));
  return (k) => map.get(normalize(k)) ?? toSnake(k);
}
/** An option's value as a plain value the engine takes; PyTorch-like TypeError otherwise. */
function plainOption(v, GradlabError) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) {
    return Array.from(v, (x) => {
      if (x === null || x === undefined) return null;
      if (typeof x === 'number' || typeof x === 'boolean') return Number(x);
      throw new GradlabError('TypeError', `unsupported option value of type ${pyType(x)} in a tuple`);
    });
  }
  throw new GradlabError('TypeError', `unsupported option value of type ${pyType(v)}`);
}
function convertOptions(resolve, opts, GradlabError) {
  const out = {};
  for (const [k, v] of Object.entries(opts ?? {})) out[resolve(k)] = plainOption(v, GradlabError);
  return out;
}

export function makeOptim({ M, check, wrapMaybe, isTensor, live, registry, GradlabError, enableGrad }) {
  const options = (resolve, opts) => convertOptions(resolve, opts, GradlabError);
  const handleOf = new WeakMap();  // JS optimizer -> engine handle
  const paramsOf = new WeakMap();  // JS optimizer -> the Tensors given for each group

  class Optimizer {
    constructor(name, params, opts = {}, resolve = toSnake) {
      if (params === null || params === undefined) {
        throw new GradlabError('TypeError', `params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${params}`);
      }
      const list = isTensor(params) ? [params] : Array.from(params);
      const paramList = (ps) => {
        const arr = isTensor(ps) ? [ps] : Array.from(ps ?? []);
        for (const p of arr) {
          if (!isTensor(p)) throw new GradlabError('TypeError', `optimizer can only optimize Tensors, but one of the params is ${p === null ? 'None' : pyType(p)}`);
        }
        return arr;
      };
      // every value converted first (user iterables and getters run here), slots last
      const groups = (list.length && !isTensor(list[0]))
        ? list.map((g) => {
          const { params: ps, ...rest } = g;
          return { params: paramList(ps), options: options(resolve, rest) };
        })
        : [{ params: paramList(list), options: {} }];
      const defaults = options(resolve, opts);
      const wrappers = groups.map((g) => g.params);
      for (const g of groups) g.params = g.params.map((p) => p._live());
      const h = M.makeOptimizer(name, groups, defaults);
      if (M.hasError()) {
        h?.delete?.();
        check();
      }
      handleOf.set(this, h);
      paramsOf.set(this, wrappers);
      registry.register(this, h, this);
    }
    get _h() { return handleOf.get(this); }
    get name() { return M.optimizerName(this._h); }
    /** PyTorch 2.x default: grads become null; { setToNone: false } zeroes them in place. */
    zeroGrad({ setToNone = true, set_to_none } = {}) {
      M.optimizerZeroGrad(this._h, set_to_none ?? setToNone);
      check();
    }
    zero_grad(opts) { return this.zeroGrad(opts); }
    /**
     * One step. closure (required by LBFGS) re-evaluates the loss with grad enabled and
     * returns it; the engine calls it through a wrapper that never lets a JS exception
     * unwind through WebAssembly frames: the exception is kept and re-thrown here.
     */
    step(closure = null) {
      if (closure === null || closure === undefined) {
        M.optimizerStepVoid(this._h);
        check();
        return null;
      }
      if (typeof closure !== 'function') throw new GradlabError('TypeError', "'closure' must be a callable");
      let failure = null;
      const safe = () => {
        try {
          const loss = enableGrad(closure);
          if (!isTensor(loss)) throw new GradlabError('TypeError', `the closure must return the loss Tensor, got ${loss === null ? 'None' : pyType(loss)}`);
          return loss._live();  // the engine copies the loss out of its slot at once
        } catch (e) {
          failure ??= { error: e };
          return 0;
        }
      };
      const h = M.optimizerStepClosure(this._h, safe);
      if (failure) {
        h?.delete?.();
        if (M.hasError()) M.takeError();
        throw failure.error;
      }
      return wrapMaybe(h);
    }
    /** Live views of the groups: setting group.lr changes the optimizer, as in PyTorch. */
    get paramGroups() {
      const n = M.optimizerGroupCount(this._h);
      const out = [];
      for (let i = 0; i < n; i++) {
        const opts = M.optimizerGroupOptions(this._h, i);
        // the Tensors the optimizer was given (PyTorch's param_groups hold the same objects),
        // or new ones for the engine's tensors when the given ones were disposed
        const given = paramsOf.get(this)?.[i] ?? [];
        const params = given.length && given.every((p) => !p.isDisposed)
          ? given.slice()
          : M.optimizerGroupParams(this._h, i).map((id) => wrapMaybe(id));
        const group = { params };
        for (const key of Object.keys(opts)) {
          const set = (v) => { M.optimizerSetOption(this._h, i, key, plainOption(v, GradlabError)); check(); };
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
      const s = M.optimizerState(this._h, live(p, 'param'));
      if (s === null) check();
      const out = { ...s.scalars };
      for (const [k, h] of Object.entries(s.buffers)) out[k] = wrapMaybe(h);
      return out;
    }
    toString() { return `${this.name} (${this.paramGroups.length} param group(s))`; }
  }

  const optim = { Optimizer };
  for (const { name, defaults } of M.optimizerRegistry()) {
    const resolve = keyResolver(Object.keys(defaults));
    const cls = class extends Optimizer {
      constructor(params, options) { super(name, params, options, resolve); }
      static get defaults() { return { ...defaults }; }
    };
    Object.defineProperty(cls, 'name', { value: name });
    optim[name] = cls;
  }

  class LRScheduler {
    constructor(name, optimizer, opts = {}, resolve = toSnake) {
      if (!(optimizer instanceof Optimizer)) throw new GradlabError('TypeError', `${optimizer?.constructor?.name ?? typeof optimizer} is not an Optimizer`);
      const h = M.makeScheduler(name, optimizer._h, options(resolve, opts));
      if (M.hasError()) {
        h?.delete?.();
        check();
      }
      this._h = h;
      this.optimizer = optimizer;
      registry.register(this, h, this);
    }
    get name() { return M.schedulerName(this._h); }
    /** One epoch on; ReduceLROnPlateau takes the metric: step(valLoss). */
    step(metric) {
      if (metric === undefined || metric === null) M.schedulerStep(this._h);
      else if (typeof metric === 'number' || typeof metric === 'boolean') M.schedulerStepMetric(this._h, Number(metric));
      else if (isTensor(metric)) M.schedulerStepMetric(this._h, metric.item());
      else throw new GradlabError('TypeError', 'step(metric): the metric must be a number');
      check();
    }
    getLastLr() { return M.schedulerLastLr(this._h); }
    get_last_lr() { return this.getLastLr(); }
    get lastEpoch() { return M.schedulerLastEpoch(this._h); }
    get last_epoch() { return this.lastEpoch; }
    get baseLrs() { return M.schedulerBaseLrs(this._h); }
    get base_lrs() { return this.baseLrs; }
  }

  const lrScheduler = { LRScheduler };
  for (const { name, defaults, required } of M.schedulerRegistry()) {
    const resolve = keyResolver([...Object.keys(defaults), ...required]);
    const cls = class extends LRScheduler {
      constructor(optimizer, options) { super(name, optimizer, options, resolve); }
      static get defaults() { return { ...defaults }; }
      static get required() { return [...required]; }
    };
    Object.defineProperty(cls, 'name', { value: name });
    lrScheduler[name] = cls;
  }
  optim.lr_scheduler = lrScheduler;
  optim.lrScheduler = lrScheduler;
  return optim;
}
