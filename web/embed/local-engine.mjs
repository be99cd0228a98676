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
// breaks the one-file promise. The engine's runs are short for article-sized models.
import wasmBinary from '../../core/wasm/dist/gradlab_wasm_split.wasm';

import { load } from '../../core/wasm/gradlab.mjs';
import { loadSession } from '../../core/wasm/session.mjs';
import { Engine } from '../src/engine.mjs';
import { createHost } from '../src/host.mjs';

const CHUNK_MS = 12;
let shared = null;

/** The one engine instance: { api (sessions), torch (tensors, for PyTorch's repr) }. */
export function sharedEngine() {
  // The two-file variant (gradlab-embed-split.js) is built with the bytes left out: the glue
  // then streams gradlab-embed.wasm from beside the script (same origin: default-src 'self')
  const options = wasmBinary
    ? { wasmBinary }
    : { locateFile: () => new URL('gradlab-embed.wasm', import.meta.url).href };
  shared ??= Promise.all([loadSession(options), load(options)]).then(([api, torch]) => ({ api, torch }));
  return shared;
}

/** A Worker-shaped port to a host on this thread; messages stay asynchronous and in order. */
class LocalPort {
  onmessage = null;
  onerror = null;
  #host;
  constructor(api) {
    this.#host = createHost(api, (msg) => setTimeout(() => this.onmessage?.({ data: msg }), 0), { chunkMs: CHUNK_MS });
  }
  postMessage(msg) { setTimeout(() => this.#host.handle(msg), 0); }
}

/** A new Engine (web/src/engine.mjs) over a session of its own. */
export async function localEngine() {
  const { api } = await sharedEngine();
  return new Engine(new LocalPort(api));
}
