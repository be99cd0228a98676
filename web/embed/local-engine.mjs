// The widgets' engine: every widget on a page gets a session of its own, all over ONE
// WebAssembly instance, inlined in gradlab-embed.js so that a blog copies one file (or, in
// gradlab-embed-split.js, streamed from gradlab-embed.wasm beside it: two files, 20% less).
// web/src/engine.mjs drives each session through a port shaped like a Worker's.
//
// Where the sessions run: in ONE Worker per page started from the bundle's own file
// (`new Worker(import.meta.url)`: a blog's `script-src 'self'` allows it, since the bundle is a
// same-origin file, and nothing else needs copying), so that no model, however heavy, holds
// the page's thread: the page only draws. Where no worker can start (the bundle loaded from
// another origin, a CSP that refuses workers) or the element says engine="page", they run on
// the page's own thread, guarded by the host (web/src/host.mjs): slices of PAGE_CHUNK_MS, a
// model whose compile (one forward) or first epoch takes over MAX_EPOCH_MS is refused with its
// cost said rather than trained, graphs cut to GRAPH_NODES nodes. Either way every session of
// the page shares ONE parameter-history budget (HISTORY_BUDGET numbers), so fifty widgets cost
// what one may.
//
// Why the .wasm bytes are inlined by esbuild (binary loader) rather than through Emscripten's
// single-file build: that glue (3.1.6) first fetch()es its own data: URI, which a blog's
// `default-src 'self'` (no connect-src data:) blocks and reports as a CSP violation before the
// glue falls back to decoding it. Handing the bytes over as wasmBinary never fetches.
import wasmBinary from '../../core/wasm/dist/gradlab_wasm_split.wasm';

import { load } from '../../core/wasm/gradlab.mjs';
import { loadSession } from '../../core/wasm/session.mjs';
import { Engine } from '../src/engine.mjs';
import { createHost, historyPool } from '../src/host.mjs';

const PAGE_CHUNK_MS = 12;
const WORKER_CHUNK_MS = 25;
export const MAX_EPOCH_MS = 40;
const GRAPH_NODES = 80;
/** Parameter-history numbers for all the widgets of a page together (32 MB of the heap). */
export const HISTORY_BUDGET = 8 << 20;
/** How long the page waits for its engine worker to say it is up before using its own thread. */
const WORKER_START_MS = 15000;
const pool = historyPool(HISTORY_BUDGET);
let live = 0;  // sessions alive on this realm's instance
let shared = null;

/** This realm's engine instance: { api (sessions), torch (tensors, for PyTorch's repr) }. */
export function sharedEngine() {
  // The two-file variant (gradlab-embed-split.js) is built with the bytes left out: the glue
  // then streams gradlab-embed.wasm from beside the script (same origin: default-src 'self')
  const options = wasmBinary
    ? { wasmBinary }
    : { locateFile: () => new URL('gradlab-embed.wasm', import.meta.url).href };
  shared ??= Promise.all([loadSession(options), load(options)]).then(([api, torch]) => ({ api: counted(api), torch }));
  return shared;
}

// The session API with a count of the sessions alive (see engineStats()).
function counted(api) {
  class Session extends api.Session {
    #live = true;
    constructor() { super(); live++; }
    dispose() {
      if (this.#live) { this.#live = false; live--; }
      super.dispose();
    }
  }
  return { ...api, Session };
}

async function localStats() {
  const { torch } = await sharedEngine();
  return { sessions: live, historyNumbers: pool.total(), historyBudget: pool.budget, heapUsedBytes: torch.heapUsedBytes(), heapBytes: torch.heapBytes() };
}

/** A Worker-shaped port to a host on this thread; messages stay asynchronous and in order. */
class LocalPort {
  onmessage = null;
  onerror = null;
  #host;
  constructor(api) {
    this.#host = createHost(api, (msg) => setTimeout(() => this.onmessage?.({ data: msg }), 0),
      { chunkMs: PAGE_CHUNK_MS, maxEpochMs: MAX_EPOCH_MS, graphNodes: GRAPH_NODES, pool });
  }
  postMessage(msg) { setTimeout(() => this.#host.handle(msg), 0); }
}

// ---------------------------------------------------------------- the page's engine worker
// Messages: page -> worker { sid, msg } (a session's request) or { call, what } (engineStats);
// worker -> page { hello }, { sid, msg } (a session's reply or progress), { call, result }.
let hub = null;

function startHub() {
  let worker;
  try {
    worker = new Worker(import.meta.url, { type: 'module', name: 'gradlab-engine' });
  } catch {
    return { ok: Promise.resolve(false) };  // another origin's bundle: a worker may not start from it
  }
  const h = { worker, ports: new Map(), calls: new Map(), next: 1 };
  h.ok = new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), WORKER_START_MS);
    worker.onmessage = (ev) => {
      const d = ev.data;
      if (d.hello) { clearTimeout(timer); resolve(true); return; }
      if (d.call) { h.calls.get(d.call)?.(d.result); h.calls.delete(d.call); return; }
      h.ports.get(d.sid)?.receive(d.msg);
    };
    worker.onerror = (e) => {
      clearTimeout(timer);
      resolve(false);
      for (const p of h.ports.values()) p.onerror?.(e);
    };
  });
  return h;
}

/** A Worker-shaped port to one session in the page's engine worker. */
class HubPort {
  onmessage = null;
  onerror = null;
  #hub; #sid; #closing = -1;
  constructor(h) {
    this.#hub = h;
    this.#sid = h.next++;
    h.ports.set(this.#sid, this);
  }
  postMessage(msg) {
    if (msg.type === 'dispose') this.#closing = msg.id;
    this.#hub.worker.postMessage({ sid: this.#sid, msg });
  }
  receive(msg) {
    // the session is gone once its dispose is answered: nothing here may keep the widget
    if (msg.id === this.#closing && msg.type !== 'progress') this.#hub.ports.delete(this.#sid);
    this.onmessage?.({ data: msg });
  }
}

/**
 * A new Engine (web/src/engine.mjs) over a session of its own: in the page's engine worker,
 * or on this thread when mode is 'page' or no worker could start.
 */
export async function localEngine(mode = 'worker') {
  if (mode !== 'page') {
    hub ??= startHub();
    if (await hub.ok) return new Engine(new HubPort(hub));
  }
  const { api } = await sharedEngine();
  return new Engine(new LocalPort(api));
}

/**
 * What the widgets of this page hold in the engine (its worker's and this thread's together):
 * { sessions (alive), historyNumbers, historyBudget, heapUsedBytes, heapBytes, worker (whether
 * one runs) } (also customElements.get('gradlab-playground').engineStats()).
 */
export async function engineStats() {
  const here = await localStats();
  if (!hub || !(await hub.ok)) return { ...here, worker: false };
  const call = hub.next++;
  const there = await new Promise((resolve) => {
    hub.calls.set(call, resolve);
    hub.worker.postMessage({ call, what: 'stats' });
  });
  return {
    sessions: here.sessions + there.sessions,
    historyNumbers: here.historyNumbers + there.historyNumbers,
    historyBudget: there.historyBudget,
    heapUsedBytes: there.heapUsedBytes,
    heapBytes: there.heapBytes,
    pageHeapUsedBytes: here.heapUsedBytes,
    worker: true,
  };
}

/** The worker's side (the bundle, loaded as the page's engine worker): a host per session. */
export function serveEngine(scope) {
  const hosts = new Map();
  const queue = [];
  let api = null;
  const handle = ({ sid, msg, call }) => {
    if (call) return localStats().then((result) => scope.postMessage({ call, result }));
    let host = hosts.get(sid);
    if (!host) {
      host = createHost(api, (m) => scope.postMessage({ sid, msg: m }), { chunkMs: WORKER_CHUNK_MS, graphNodes: GRAPH_NODES, pool });
      hosts.set(sid, host);
    }
    if (msg.type === 'dispose') hosts.delete(sid);
    return host.handle(msg);
  };
  scope.onmessage = (ev) => (api ? handle(ev.data) : queue.push(ev.data));
  sharedEngine().then((e) => {
    api = e.api;
    for (const m of queue.splice(0)) handle(m);
    scope.postMessage({ hello: true });
  });
}
