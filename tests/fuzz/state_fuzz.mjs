#!/usr/bin/env node
// A coverage-guided fuzzer, in JavaScript, for the playground's URL-state decoder
// (web/src/state.mjs, State.fromHash): the decoder runs in the browser, so it is fuzzed
// under Node rather than libFuzzer. Coverage comes from V8's precise block coverage (the
// inspector's Profiler domain, taken after every input): an input that reaches a new block
// of state.mjs, or a known block a new number of times (libFuzzer's count buckets), joins
// the corpus. Inputs are mutated from the corpus (byte edits, splices, dictionary tokens)
// or built from the property table. The PRNG is seeded; the seed is printed.
//
//   node tests/fuzz/state_fuzz.mjs [--seconds 10] [--seed N] [--corpus tests/fuzz/corpus/state]
//
// Properties checked for every input: fromHash never throws; every property then has its
// default's kind; the state's own hash reads back to the same state; engineConfig works.
// A failing input is written to build/fuzz/crash-state-<n>.txt and the exit status is 1.
import { Session } from 'node:inspector';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function fuzzState({ seconds = 10, seed = Date.now() % 2 ** 31, corpusDir = join(root, 'tests/fuzz/corpus/state'), log = console.log } = {}) {
  const inspector = new Session();
  inspector.connect();
  const post = (method, params = {}) => {
    let out;
    let err;
    inspector.post(method, params, (e, r) => { err = e; out = r; });  // same-thread: synchronous
    if (err) throw err;
    return out;
  };
  post('Profiler.enable');
  post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  const { PROPERTIES, State } = await import('../../web/src/state.mjs');
  const target = 'web/src/state.mjs';

  // ---- coverage features of the last input
  const bucket = (n) => (n >= 128 ? 8 : n >= 32 ? 7 : n >= 16 ? 6 : n >= 8 ? 5 : n >= 4 ? 4 : n >= 3 ? 3 : n >= 2 ? 2 : 1);
  const seen = new Set();
  const newFeatures = () => {
    let fresh = 0;
    for (const script of post('Profiler.takePreciseCoverage').result) {
      if (!script.url.endsWith(target)) continue;
      for (const f of script.functions) {
        for (const r of f.ranges) {
          if (!r.count) continue;
          const key = `${r.startOffset}:${r.endOffset}:${bucket(r.count)}`;
          if (!seen.has(key)) { seen.add(key); fresh++; }
        }
      }
    }
    return fresh;
  };

  // ---- seeded PRNG (mulberry32)
  let s = seed >>> 0;
  const rnd = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32; };
  const int = (n) => Math.floor(rnd() * n);
  const pick = (a) => a[int(a.length)];

  const names = Object.keys(PROPERTIES);
  const dict = ['#', '&', '=', '%', '%25', '%7B', '%7D', '%22', '%0A', '%00', '%FF', '%E4%BD%A0', '%ZZ', '+', '{', '}', '[', ']', '"', ':', ',', 'null', 'true',
    'false', '1e309', '-1', 'NaN', '0x10', '__proto__', 'constructor', '<script>alert(1)</script>', 'javascript:alert(1)', '\u2028', '\ud800', '😀',
    ...names, ...names.map((n) => `${n}=`), '{"lr":-1}', '{"__proto__":{"x":1}}', '[1,2]', '"x"', '9007199254740993'];
  const values = () => {
    const v = pick([0, 1, -1, 1.5, 1e9, NaN, Infinity, 'x', '', '<b>x</b>', null, true, [], ['a'], [1], {}, { lr: 0.1 }, { lr: 'x' }]);
    return typeof v === 'string' ? v : JSON.stringify(v);
  };

  // ---- corpus
  const corpus = [];
  try {
    for (const f of readdirSync(corpusDir).sort()) corpus.push(readFileSync(join(corpusDir, f), 'latin1'));
  } catch { /* none yet */ }
  if (!corpus.length) corpus.push('#');

  const encode = (x) => { try { return encodeURIComponent(x); } catch { return escape(x); } };  // lone surrogates
  const mutate = (x) => {
    let out = x;
    for (let k = 1 + int(4); k > 0; k--) {
      const at = int(out.length + 1);
      switch (int(9)) {
        case 0: out = out.slice(0, at) + pick(dict) + out.slice(at); break;
        case 1: out = out.slice(0, at) + out.slice(at + 1 + int(8)); break;
        case 2: out = out.slice(0, at) + String.fromCharCode(int(rnd() < 0.8 ? 128 : 0x10000)) + out.slice(at + 1); break;
        case 3: { const o = pick(corpus); const b = int(o.length + 1); out = out.slice(0, at) + o.slice(b, b + int(64)) + out.slice(at); break; }
        case 4: out = out.slice(0, at) + out.slice(at, at + int(16)).repeat(1 + int(8)) + out.slice(at); break;
        case 5: out = out.slice(0, at) + encode(out.slice(at, at + int(16))) + out.slice(at + 16); break;
        case 6: out = `${out}&${pick(names)}=${encode(values())}`; break;
        case 7: { const m = /(\d+)/.exec(out.slice(at)); if (m) out = out.slice(0, at) + out.slice(at).replace(m[1], String(pick([0, -1, 2 ** 53, 1e21, Number(m[1]) + 1]))); break; }
        default: out = out.slice(0, at) + String.fromCharCode(32 + int(95)) + out.slice(at + 1);
      }
    }
    return out.length > 1 << 16 ? out.slice(0, 1 << 16) : out;
  };
  const generate = () => {
    const q = new URLSearchParams();
    for (const n of names) if (rnd() < 0.3) q.set(n, rnd() < 0.5 ? values() : pick(dict));
    return `#${q}`;
  };

  // ---- properties
  const presets = [{ name: 'thermometer', modelText: 'param w = 1.0\nloss = w' }];
  const kindOk = (k, v) => {
    const def = PROPERTIES[k][0];
    if (k === 'model') return v === null || typeof v === 'string';
    if (typeof def === 'number') return Number.isSafeInteger(v) && v >= 0;
    if (Array.isArray(def)) return Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (typeof def === 'object') return v !== null && typeof v === 'object' && !Array.isArray(v);
    return typeof v === typeof def;
  };
  const check = (input) => {
    const st = new State();
    st.fromHash(input);
    for (const k of names) if (!kindOk(k, st.get(k))) throw new Error(`property ${k} has kind ${typeof st.get(k)}: ${JSON.stringify(st.get(k))}`);
    const again = new State();
    again.fromHash(st.toHash());
    if (JSON.stringify(again.all()) !== JSON.stringify(st.all())) throw new Error('the state\'s own hash reads back differently');
    if (again.rejected?.length) throw new Error(`the state's own hash was rejected for ${again.rejected}`);
    const cfg = st.engineConfig(presets);
    if (typeof cfg.model !== 'string') throw new Error('engineConfig gave no model text');
  };

  log(`# state_fuzz: seed ${seed}, ${corpus.length} seed inputs, ${seconds} s`);
  const t0 = Date.now();
  let execs = 0;
  let added = 0;
  let failure = null;
  const seeds = corpus.length;
  while (Date.now() - t0 < seconds * 1000) {
    const input = execs < seeds ? corpus[execs] : rnd() < 0.2 ? generate() : mutate(pick(corpus));
    try {
      check(input);
    } catch (e) {
      failure = { input, error: e };
      break;
    }
    execs++;
    if (newFeatures() && execs > seeds) { corpus.push(input); added++; }
  }
  post('Profiler.stopPreciseCoverage');
  inspector.disconnect();
  const secs = (Date.now() - t0) / 1000;
  log(`# state_fuzz: ${execs} executions in ${secs.toFixed(1)} s (${Math.round(execs / secs)}/s), ${seen.size} coverage features, corpus ${corpus.length} (+${added})`);
  if (failure) {
    mkdirSync(join(root, 'build/fuzz'), { recursive: true });
    const file = join(root, 'build/fuzz', `crash-state-${seed}.txt`);
    writeFileSync(file, failure.input, 'latin1');
    log(`# state_fuzz: FAILED on an input saved to ${file}: ${failure.error.stack}`);
  }
  return { execs, seconds: secs, features: seen.size, corpus, added, failure };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values: v } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, seed: { type: 'string' }, corpus: { type: 'string' }, 'save-corpus': { type: 'string' } } });
  const r = await fuzzState({ seconds: Number(v.seconds), ...(v.seed ? { seed: Number(v.seed) } : {}), ...(v.corpus ? { corpusDir: v.corpus } : {}) });
  if (v['save-corpus']) {
    mkdirSync(v['save-corpus'], { recursive: true });
    r.corpus.forEach((c, i) => writeFileSync(join(v['save-corpus'], `c${String(i).padStart(4, '0')}.txt`), c, 'latin1'));
  }
  process.exit(r.failure ? 1 : 0);
}
