// Instantiates the WebAssembly engine once per realm (page, worker or Node process) and
// variant. Two builds ship: split (.wasm beside its ES-module glue; streamed in browsers) and
// single-file (the .wasm embedded in the glue: one file to copy, no fetch of a second URL).
// Node 20 cannot fetch() a file path, so there the .wasm bytes are read with fs and handed
// to the glue; users never pass wasmBinary themselves.
const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

const modules = new Map();  // variant -> Promise<module>

async function instantiate(singleFile, options) {
  const { default: createGradlabModule } = singleFile
    ? await import('./dist/gradlab_wasm_single.mjs')
    : await import('./dist/gradlab_wasm_split.mjs');
  const config = {};
  if (options.wasmBinary) config.wasmBinary = options.wasmBinary;
  if (options.locateFile) config.locateFile = options.locateFile;
  if (!isNode) return createGradlabModule(config);
  if (!singleFile && !config.wasmBinary) {
    const { readFile } = await import('node:fs/promises');
    config.wasmBinary = await readFile(new URL('./dist/gradlab_wasm_split.wasm', import.meta.url));
  }
  // The 3.1.6 glue reads __dirname while it starts up in Node; an ES module has none.
  const hadDirname = '__dirname' in globalThis;
  if (!hadDirname) globalThis.__dirname = new URL('./dist/', import.meta.url).pathname;
  try {
    return await createGradlabModule(config);
  } finally {
    if (!hadDirname) delete globalThis.__dirname;
  }
}

/** The engine module (Embind functions); created on first use and shared afterwards. */
export function loadModule(options = {}) {
  const singleFile = !!options.singleFile;
  if (!modules.has(singleFile)) modules.set(singleFile, instantiate(singleFile, options));
  return modules.get(singleFile);
}
