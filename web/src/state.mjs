// All UI state in one place, described by one table: each property's default, how it is
// written to and read from the URL hash, and whether changing it reconfigures the engine.
// Views subscribe and render from state; they never keep state of their own.

const bool = { enc: (v) => (v ? '1' : '0'), dec: (s) => (s === '1' ? true : s === '0' ? false : undefined) };
const str = { enc: (v) => v, dec: (s) => s };
const num = { enc: (v) => String(v), dec: (s) => Number(s) };
const json = { enc: (v) => JSON.stringify(v), dec: (s) => JSON.parse(s) };
const list = { enc: (v) => v.join('\n'), dec: (s) => (s ? s.split('\n') : []) };

/**
 * name: [default, codec, engine] (engine: a change goes to the engine). optimizer, options,
 * epochs and normalize default to the default preset's own settings, which only the engine
 * holds (core/src/model/presets.cpp): adoptPresetDefaults() takes them once it has loaded;
 * until then they hold placeholders of their kind.
 */
export const PROPERTIES = {
  preset: ['thermometer', str, true],
  csv: ['', str, true],
  model: [null, str, true],  // null: the preset's text
  optimizer: ['', str, true],
  options: [{}, json, true],
  scheduler: ['', str, true],
  schedulerOptions: [{}, json, true],
  epochs: [0, num, false],
  normalize: [false, bool, true],
  batchSize: [0, num, true],
  seed: [0, num, true],
  zeroGrad: [true, bool, true],
  manualNoGrad: [true, bool, true],
  copyParams: [false, bool, true],
  logScale: [true, bool, false],
  landscapeX: ['0:0', str, false],
  landscapeY: ['1:0', str, false],
  race: [['SGD lr=0.01 normalize=False', 'Adam lr=0.1 normalize=False'], list, false],
  lang: ['en', str, false],
};

/** What a preset brings along besides its data and model (the engine's presetInfo()). */
const PRESET_SETTINGS = ['optimizer', 'options', 'epochs', 'normalize'];
/** A preset's own settings as a patch of the state: { optimizer, options, epochs, normalize }. */
export const presetSettings = (info) => Object.fromEntries(PRESET_SETTINGS.map((k) => [k, structuredClone(info[k])]));

const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
// Keys that reach an object's prototype when assigned or looked up with `in`: never an
// option's name, always a stranger's probe.
const PROTO_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// An option's value as the engine takes it: None, bool, number, string or a tuple of numbers.
const optionValue = (x) => x === null || ['boolean', 'number', 'string'].includes(typeof x)
  || (Array.isArray(x) && x.every((e) => e === null || typeof e === 'number'));

// A value read from a link must have its default's kind, or the default stands: numbers are
// non-negative integers (epochs, batch size, seed), lists hold strings, options are plain
// objects of option values with no prototype keys. Links are written by strangers: a wrong
// kind would reach the views and the engine.
function valid(k, v) {
  const def = PROPERTIES[k][0];
  if (k === 'model') return typeof v === 'string';
  if (typeof def === 'number') return Number.isSafeInteger(v) && v >= 0;
  if (Array.isArray(def)) return Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (typeof def === 'object') {
    return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype
      && Object.keys(v).every((key) => !PROTO_KEYS.has(key) && optionValue(v[key]));
  }
  return typeof v === typeof def;
}

export class State {
  #values = {};
  #defaults = {};
  #listeners = new Set();
  /** The properties the last fromHash() could not read (malformed: the defaults were used). */
  rejected = [];

  constructor() {
    for (const [k, [def]] of Object.entries(PROPERTIES)) this.#defaults[k] = def;
    for (const k of Object.keys(PROPERTIES)) this.#values[k] = structuredClone(this.#defaults[k]);
  }

  /**
   * The default preset's own optimizer, options, epochs and normalisation (presets: the
   * engine's presetInfo() of each) become this state's defaults and values: call it once the
   * engine has loaded, before reading a link or setting anything (a link read before must be
   * read again).
   */
  adoptPresetDefaults(presets) {
    const p = presets.find((x) => x.name === PROPERTIES.preset[0]);
    if (!p) return;
    Object.assign(this.#defaults, presetSettings(p));
    Object.assign(this.#values, presetSettings(p));
  }

  get(k) { return this.#values[k]; }
  all() { return { ...this.#values }; }

  /** Sets several properties; listeners get the set of names that changed. */
  set(patch) {
    const changed = new Set();
    for (const [k, v] of Object.entries(patch)) {
      if (!has(PROPERTIES, k)) throw new Error(`unknown state property ${k}`);
      if (JSON.stringify(this.#values[k]) === JSON.stringify(v)) continue;
      this.#values[k] = v;
      changed.add(k);
    }
    if (changed.size) for (const f of this.#listeners) f(changed, this);
    return changed;
  }

  subscribe(f) {
    this.#listeners.add(f);
    return () => this.#listeners.delete(f);
  }

  /** Whether v is a value a link may set for property k (see valid()). */
  static validEntry(k, v) { return Object.prototype.hasOwnProperty.call(PROPERTIES, k) && valid(k, v); }

  /** True when any of the changed names reconfigures the engine. */
  static needsEngine(changed) {
    for (const k of changed) if (PROPERTIES[k][2]) return true;
    return false;
  }

  /** The whole state as a URL hash (only what differs from the defaults). */
  toHash() {
    const q = new URLSearchParams();
    for (const [k, [, codec]] of Object.entries(PROPERTIES)) {
      const v = this.#values[k];
      if (JSON.stringify(v) !== JSON.stringify(this.#defaults[k])) q.set(k, codec.enc(v));
    }
    return '#' + q.toString();
  }

  /** Reads a hash written by toHash(); unknown entries are ignored, malformed ones take their
   *  default and are listed in this.rejected. */
  fromHash(hash) {
    const q = new URLSearchParams(hash.replace(/^#/, ''));
    const patch = {};
    this.rejected = [];
    for (const [k, [, codec]] of Object.entries(PROPERTIES)) {
      patch[k] = structuredClone(this.#defaults[k]);
      if (!q.has(k)) continue;
      let v;
      try { v = codec.dec(q.get(k)); } catch { v = undefined; }
      if (valid(k, v)) patch[k] = v; else this.rejected.push(k);
    }
    return this.set(patch);
  }

  /**
   * Checks the preset against the engine's names (known only once it has loaded): an unknown
   * one (a typo, `constructor`, `__proto__`) takes the default and joins this.rejected; the
   * rest of the link, its model included, stays. Returns true when it rejected.
   */
  checkPreset(names) {
    if (names.includes(this.#values.preset)) return false;
    if (!this.rejected.includes('preset')) this.rejected.push('preset');
    this.set({ preset: PROPERTIES.preset[0] });
    return true;
  }

  /** What the engine needs to build a session (see web/worker.mjs, configure()). */
  engineConfig(presets) {
    const v = this.#values;
    const preset = presets?.find((p) => p.name === v.preset);  // (own names only: an array's find)
    return {
      preset: v.preset,
      csv: v.csv,
      model: v.model ?? preset?.modelText ?? '',
      optimizer: v.optimizer,
      options: v.options,
      scheduler: v.scheduler,
      schedulerOptions: v.schedulerOptions,
      normalize: v.normalize,
      batchSize: v.batchSize,
      seed: v.seed,
      zeroGrad: v.zeroGrad,
      manualNoGrad: v.manualNoGrad,
      copyParams: v.copyParams,
    };
  }
}
