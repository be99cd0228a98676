// Where each JS Tensor's state lives: in the engine's WebAssembly heap (a slot), or spilled
// into JavaScript memory (typed arrays that V8 accounts for and collects like any object).
//
// Why: a program that never calls dispose() relies on garbage collection, but V8 does not see
// the WebAssembly heap, and FinalizationRegistry callbacks run only between tasks: during a
// synchronous training loop nothing the engine holds for an unreachable tensor can be freed
// by GC. So the engine keeps only a bounded set of recent tensors ("young", by count and by
// bytes). When it is full, the oldest are spilled when nothing can tell: nothing in the
// engine holds them (no graph saved them, no optimizer owns them, no other JS tensor shares
// them) and their graph, if any, was released by backward(). Their values, flags, versions
// and grad move into the JS object, the slot is freed, and a later use rebuilds them
// (revive). What a learner's step leaves behind then costs the heap nothing, and V8 collects
// the JS objects as they become unreachable.
//
// The young set is also emptied when the current job ends (a microtask), so that an idle
// program keeps nothing in the engine that it no longer reaches.
//
// Tensors that cannot be spilled when they leave the young set wait in "held" (a weakly
// referenced list that is scanned again as it grows, since a later backward() may release
// their graph) under a FinalizationRegistry, which frees them once the program lets go of
// them and returns to the event loop. A tensor that was revived is evidently still in use:
// it is never spilled again ("kept", FinalizationRegistry only), so that a big live tensor is
// copied out at most once (but for giants, above 256 MB: a few of those would fill the heap). tidy() scopes bypass all this: they free at once.
//
// What a spilled tensor loses is only its graph: it is rebuilt with a grad_fn of the same
// name that raises PyTorch's "backward through the graph a second time" error (see README,
// "Memory").

const NONE = 0;   // not in the engine: spilled (rec set) or disposed
const YOUNG = 1;
const HELD = 2;
const KEPT = 3;
const SCOPE = 4;  // made inside torch.tidy(): the scope frees it

// The young set's limits; a drain brings it back to half of each, so that drains are rare.
const YOUNG_COUNT = 2048;
const YOUNG_BYTES = 16 * 1024 * 1024;
// The newest tensor, which the program is most likely to use next, stays when the bytes
// overflow (when a new tensor then finds no room, creation retires everything and tries once
// more: spillAll); a giant that came back is not kept for good (a few would fill the heap).
const GIANT_BYTES = 256 * 1024 * 1024;
const HELD_MIN = 256;

export function makeStore(M, E, { check }) {
  let young = [];
  let head = 0;
  let youngBytes = 0;
  let held = [];
  let heldLimit = HELD_MIN;
  const scopes = [];
  const stats = { spilled: 0, revived: 0, heldScans: 0 };

  const registry = new FinalizationRegistry((cell) => {
    if (!cell.id) return;
    E.gl_release(cell.id);
    cell.id = 0;
    if (E.gl_has_error()) M.takeError();  // never: the cell is zeroed whenever the slot goes
  });

  // The scratch buffer as doubles from index 0, after the calls that may have moved it.
  const scratchAt = (n) => E.gl_scratch(n) >> 3;

  let flushQueued = false;
  function enqueue(t) {
    t._where = YOUNG;
    t._bytes = E.gl_nbytes(t._id);
    young.push(t);
    youngBytes += t._bytes;
    if (!flushQueued) {
      flushQueued = true;
      queueMicrotask(flush);
    }
  }
  // When the current job ends (a synchronous loop returns, an async function awaits), the
  // young set is retired: what can be spilled is, the rest is left to the registry, so that
  // nothing stays in the engine only because no newer tensor came to push it out.
  function flush() {
    flushQueued = false;
    retireAll();
  }
  function retireAll() {
    while (head < young.length) {
      const t = young[head];
      young[head++] = undefined;
      youngBytes -= t._bytes;
      retire(t);
    }
    young = [];
    head = 0;
    youngBytes = 0;
    if (held.length) scanHeld();  // a backward() of this job may have released their graphs
  }

  /** A new tensor in slot id: in the open tidy() scope, or in the young set. */
  function adopt(t, id) {
    t._id = id;
    t._rec = null;
    t._revived = false;
    t._cell = null;
    if (scopes.length) {
      t._where = SCOPE;
      scopes[scopes.length - 1].push(t);
    } else {
      enqueue(t);
    }
  }

  /**
   * Moves t's state into JS memory and frees its slot, if nothing can tell (else false). The
   * Tensor that t.grad handed out (t._gradView) goes with it: it becomes an alias that is
   * bound again to t's grad when t comes back.
   */
  function spill(t) {
    const id = t._id;
    const view = t._gradView;
    const viewId = view && view._id && view._where !== SCOPE ? view._id : 0;
    const ndim = E.gl_spill(id, viewId);
    if (ndim <= 0) {
      if (ndim < 0) return false;
      check();
    }
    let s = scratchAt(0);
    const f = M.HEAPF64;
    const dtype = f[s];
    const flags = f[s + 1];
    const shape = new Array(ndim);
    for (let i = 0; i < ndim; i++) shape[i] = f[s + 6 + i];
    const rec = { dtype, flags, version: f[s + 2], gradVersion: f[s + 3], name: f[s + 4], shape, data: null, grad: null };
    const n = f[s + 5];
    s = E.gl_data(id);
    rec.data = dtype ? M.HEAPF64.slice(s >> 3, (s >> 3) + n) : M.HEAPF32.slice(s >> 2, (s >> 2) + n);
    if (flags & 4) {
      s = E.gl_grad_data(id);
      rec.grad = dtype ? M.HEAPF64.slice(s >> 3, (s >> 3) + n) : M.HEAPF32.slice(s >> 2, (s >> 2) + n);
    }
    if (viewId && E.gl_is_grad_of(viewId, id)) {
      unregister(view);
      E.gl_release(viewId);
      view._id = 0;
      view._rec = { aliasOf: t };
      view._where = NONE;
    }
    E.gl_release(id);
    t._id = 0;
    t._rec = rec;
    t._where = NONE;
    t._shape ??= shape;
    stats.spilled++;
    return true;
  }

  /** A fresh slot holding a spilled record's state. */
  function restore(rec) {
    const s = scratchAt(rec.shape.length);
    M.HEAPF64.set(rec.shape, s);
    const id = E.gl_restore(rec.dtype, rec.shape.length, rec.flags, rec.version, rec.gradVersion, rec.name);
    if (!id) check();
    let p = E.gl_data(id);
    if (rec.dtype) M.HEAPF64.set(rec.data, p >> 3);
    else M.HEAPF32.set(rec.data, p >> 2);
    if (rec.grad) {
      p = E.gl_grad_data(id);
      if (rec.dtype) M.HEAPF64.set(rec.grad, p >> 3);
      else M.HEAPF32.set(rec.grad, p >> 2);
    }
    return id;
  }

  function revive(t) {
    if (t._rec.aliasOf) {  // a grad view: its owner brings it back
      revive(t._rec.aliasOf);
      return t._id;
    }
    const id = restore(t._rec);
    t._id = id;
    t._rec = null;
    t._revived = true;
    stats.revived++;
    enqueue(t);  // no drain here: the caller may hold other slots until its engine call
    const view = t._gradView;
    if (view && view._rec?.aliasOf === t) {  // t.grad is the grad spilled with t: bind it now
      view._id = E.gl_grad(id);
      view._rec = null;
      enqueue(view);
    }
    return id;
  }

  function register(t) {
    const cell = { id: t._id };
    t._cell = cell;
    registry.register(t, cell, cell);
    return cell;
  }
  function unregister(t) {
    if (!t._cell) return;
    registry.unregister(t._cell);
    t._cell.id = 0;
    t._cell = null;
  }

  // A spill that fails (no JS memory for the copy) leaves t in the engine: retiring, which
  // also runs in a microtask, must never throw.
  function trySpill(t) {
    try {
      return spill(t);
    } catch {
      if (E.gl_has_error()) M.takeError();
      return false;
    }
  }

  function scanHeld() {
    stats.heldScans++;
    const keep = [];
    for (const e of held) {
      const t = e.ref.deref();
      if (!t || t._where !== HELD) continue;  // collected (the registry frees it) or disposed
      if (t._cell === e.cell && trySpill(t)) {
        registry.unregister(e.cell);
        e.cell.id = 0;
        t._cell = null;
        continue;
      }
      keep.push(e);
    }
    held = keep;
    heldLimit = Math.max(HELD_MIN, 2 * keep.length);
  }

  // The oldest young tensor leaves the young set.
  function retire(t) {
    if (t._where !== YOUNG) return;  // disposed meanwhile
    if ((!t._revived || t._bytes > GIANT_BYTES) && trySpill(t)) return;
    const cell = register(t);
    if (t._revived && t._bytes <= GIANT_BYTES) {
      t._where = KEPT;
      return;
    }
    t._where = HELD;
    held.push({ ref: new WeakRef(t), cell });
    if (held.length >= heldLimit) scanHeld();
  }

  /**
   * Call when no slot is in hand (after an op's results are wrapped): brings the young set
   * back within its limits.
   */
  function settle() {
    const count = young.length - head;
    if (count <= YOUNG_COUNT && youngBytes <= YOUNG_BYTES) return;
    while (young.length - head > YOUNG_COUNT / 2 || (youngBytes > YOUNG_BYTES / 2 && head < young.length)) {
      if (young.length - head === 1) break;
      const t = young[head];
      young[head++] = undefined;
      youngBytes -= t._bytes;
      retire(t);
    }
    if (head > 1024 && head * 2 > young.length) {
      young = young.slice(head);
      head = 0;
    }
  }

  return {
    adopt,
    settle,
    /** Retires every young tensor: a tensor creation that found no room tries once more. */
    spillAll: retireAll,
    stats: () => ({ ...stats, young: young.length - head, youngBytes, held: held.length, slots: E.gl_live_slots() }),
    /** The slot of t, rebuilt if t was spilled; PyTorch-like error if it was disposed. */
    slot(t) {
      if (t._id) return t._id;
      if (t._rec) return revive(t);
      throw t._disposedError();
    },
    /** t's spilled record, or null when it is in the engine (or disposed, or a grad alias). */
    record: (t) => (t._rec && !t._rec.aliasOf ? t._rec : null),
    /** Runs fn(slot) on a temporary copy of a spilled t's state (record(t)), leaving t spilled. */
    withCopy(t, fn) {
      const id = restore(t._rec);
      try {
        return fn(id);
      } finally {
        E.gl_release(id);
      }
    },
    dispose(t) {
      const view = t._gradView;
      if (view && view._rec?.aliasOf === t) {
        // the grad outlives its tensor: it keeps its own copy of the values
        const r = t._rec;
        view._rec = { dtype: r.dtype, flags: 2, version: r.gradVersion, gradVersion: 0, name: -1, shape: r.shape, data: r.grad, grad: null };
      }
      if (t._where === HELD || t._where === KEPT) unregister(t);
      if (t._id) E.gl_release(t._id);
      t._id = 0;
      t._rec = null;
      t._where = NONE;
    },
    isDisposed: (t) => t._id === 0 && t._rec === null,
    /** torch.tidy's bookkeeping: tensors made while a scope is open belong to it. */
    openScope() {
      const list = [];
      scopes.push(list);
      return list;
    },
    closeScope(list, keep) {
      scopes.pop();
      for (const t of list) {
        if (keep.has(t)) continue;
        if (t._where === SCOPE) this.dispose(t);
      }
      for (const t of keep) {
        if (t._where !== SCOPE) continue;
        if (scopes.length) scopes[scopes.length - 1].push(t);
        else enqueue(t);
      }
      settle();
    },
    registry,
  };
}
