// The engine's thread for the playground page: one host (web/src/host.mjs) over the split
// WebAssembly build, driven by messages from web/src/engine.mjs. Not bundled: the engine
// modules are served as they are from /core/wasm/.
import { loadSession } from '../core/wasm/session.mjs';
import { createHost } from './src/host.mjs';

const post = (msg) => postMessage(msg);
let host = null;
const queue = [];

// init loads the engine; messages that arrive meanwhile wait for it, in order
async function start(msg) {
  const api = await loadSession({ locateFile: (p) => new URL(`../core/wasm/dist/${p}`, import.meta.url).href });
  host = createHost(api, post);
  await host.handle(msg);
  for (const m of queue.splice(0)) host.handle(m);
}

onmessage = (ev) => {
  const msg = ev.data;
  if (host) return host.handle(msg);
  if (msg.type === 'init' && !queue.started) {
    queue.started = true;
    return start(msg).catch((e) => post({ id: msg.id, type: 'error', error: { type: e?.name ?? 'Error', message: e?.message ?? String(e) } }));
  }
  queue.push(msg);
};
