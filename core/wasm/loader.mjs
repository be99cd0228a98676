// Instantiates the WebAssembly engine once per realm (page, worker or Node process).
// Node 20 cannot fetch() a file path, so there the .wasm bytes are read with fs and handed
// to the glue; users never pass wasmBinary themselves.
import createGradlabModule from './dist/gradlab_wasm_split.mjs';

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

let modulePromise = null;

async function instantiate(options) {
  const config = {};
  if (options.wasmBinary) config.wasmBinary = options.wasmBinary;
  if (options.locateFile) config.locateFile = options.locateFile;
  if (isNode && !config.wasmBinary) {
    const { readFile } = await import('node:fs/promises');
    config.wasmBinary = await readFile(new URL('./dist/gradlab_wasm_split.wasm', import.meta.url));
    // The 3.1.6 glue reads __dirname while it starts up in Node; an ES module has none.
    const hadDirname = '__dirname' in globalThis;
    if (!hadDirname) globalThis.__dirname = new URL('./dist/', import.meta.url).pathname;
    try {
      return await createGradlabModule(config);
    } finally {
      if (!hadDirname) delete globalThis.__dirname;
    }
  }
  return createGradlabModule(config);
}

/** The engine module (Embind functions); created on first use and shared afterwards. */
export function loadModule(options = {}) {
  if (!modulePromise) modulePromise = instantiate(options);
  return modulePromise;
}
