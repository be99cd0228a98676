// The widgets' engine: every widget on a page gets a session of its own, all over ONE
// WebAssembly instance, inlined in gradlab-embed.js so that a blog copies one file (or, in
// gradlab-embed-split.js, streamed from gradlab-embed.wasm beside it: two files, 20% less). The
// sessions run on the page's own thread, in time slices (web/src/host.mjs yields between
// ~12 ms chunks), behind a port shaped like a Worker's, so web/src/engine.mjs drives them
// exactly as it drives the playground's worker.
//
// Why the .wasm bytes are inlined by esbuild (binary loader) rather than through Emscripten's
// single-file build: that glue (3.1.6) first fetch()es its own data: URI, which a blog's
// `default-src 'self'` (no connect-src data:) blocks and reports as a CSP violation before the
// glue falls back to decoding it. Handing the bytes over as wasmBinary never fetches.
//
// Why not a Worker here: under a blog's `script-src 'self'` a worker must be a same-origin
// file, and blob: workers need 'blob:' in the CSP; a second file to copy, or a weaker CSP,
// breaks the one-file promise. The engine's runs are short for article-sized models, and the
// host guards the page's thread from the others: slices of CHUNK_MS; a model whose compile
// (one forward) or epoch takes over MAX_EPOCH_MS is refused, with its cost said, rather than
// trained; graphs are cut to GRAPH_NODES nodes; every session on the page shares ONE history
// budget (HISTORY_BUDGET numbers), so fifty widgets cost what one may. The iframe form
// (embed.html, our own page: a stranger's link lands there) runs a Worker instead:
// workerEngine().
import wasmBinary from '../../core/wasm/dist/gradlab_wasm_split.wasm';

import { load } from '../../core/wasm/gradlab.mjs';
import { loadSession } from '../../core/wasm/session.mjs';
import { Engine } from '../src/engine.mjs';
import { createHost, historyPool } from '../src/host.mjs';

const CHUNK_MS = 12;
export const MAX_EPOCH_MS = 40;
const GRAPH_NODES = 80;
/** Parameter-history numbers for all the widgets of a page together (32 MB of the heap). */
export const HISTORY_BUDGET = 8 << 20;
const pool = historyPool(HISTORY_BUDGET);
let live = 0;  // sessions alive on the shared instance
let shared = null;

/** The one engine instance: { api (sessions), torch (tensors, for PyTorch's repr) }. */
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

/** A Worker-shaped port to a host on this thread; messages stay asynchronous and in order. */
class LocalPort {
  onmessage = null;
  onerror = null;
  #host;
  constructor(api) {
    this.#host = createHost(api, (msg) => setTimeout(() => this.onmessage?.({ data: msg }), 0),
      { chunkMs: CHUNK_MS, maxEpochMs: MAX_EPOCH_MS, graphNodes: GRAPH_NODES, pool });
  }
  postMessage(msg) { setTimeout(() => this.#host.handle(msg), 0); }
}

/** A new Engine (web/src/engine.mjs) over a session of its own. */
export async function localEngine() {
  const { api } = await sharedEngine();
  return new Engine(new LocalPort(api));
}

/** A new Engine over a session in a Worker of its own (url: web/worker.mjs, same origin). */
export function workerEngine(url) {
  return new Engine(new URL(url, document.baseURI));
}

/**
 * What the widgets of this page hold in the shared engine: { sessions (alive), historyNumbers,
 * historyBudget, heapUsedBytes, heapBytes } (also customElements.get('gradlab-playground')
 * .engineStats()).
 */
export async function engineStats() {
  const { torch } = await sharedEngine();
  return { sessions: live, historyNumbers: pool.total(), historyBudget: pool.budget, heapUsedBytes: torch.heapUsedBytes(), heapBytes: torch.heapBytes() };
}
