// A widget's HTML attributes as a patch of the playground's state (web/src/state.mjs), in the
// order a reader expects: `state` (a share link's hash) first, then `preset` with the preset's
// own optimizer, lr, epochs and normalisation, then each explicit attribute on top.
import { State, presetSettings } from '../src/state.mjs';

export const ATTRIBUTES = ['state', 'preset', 'model', 'optimizer', 'lr', 'options', 'epochs', 'zero-grad', 'no-grad',
  'normalize', 'batch-size', 'seed', 'lang'];

const isTrue = (v) => !/^(false|0|no|off)$/i.test(String(v).trim());

/** Model text from an attribute: the common indentation of an HTML-indented block removed. */
export function dedent(text) {
  const lines = text.replace(/^\s*\n/, '').replace(/\s+$/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^\s*/)[0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n') + '\n';
}

/**
 * Applies el's attributes to state (a State); presets: the engine's preset infos. Returns the
 * names of what could not be read (a `state` link's malformed entries, an unknown preset):
 * their defaults are used, and everything else applies.
 */
export function applyAttributes(el, state, presets) {
  const a = (n) => el.getAttribute(n);
  const has = (n) => el.hasAttribute(n);
  const rejected = [];
  state.adoptPresetDefaults(presets);  // the default preset's settings, as the engine has them
  if (has('state')) {
    state.fromHash(a('state'));
    state.checkPreset(presets.map((p) => p.name));
    rejected.push(...state.rejected);
  }
  const patch = {};
  if (has('preset')) {
    const p = presets.find((x) => x.name === a('preset'));
    if (p) Object.assign(patch, { preset: p.name, csv: '', model: null, ...presetSettings(p) });
    else if (!rejected.includes('preset')) rejected.push('preset');
  }
  if (has('model')) patch.model = dedent(a('model'));
  if (has('optimizer')) {
    patch.optimizer = a('optimizer');
    const lr = (patch.options ?? state.get('options')).lr;
    patch.options = lr === undefined ? {} : { lr };
  }
  if (has('lr')) patch.options = { ...(patch.options ?? state.get('options')), lr: Number(a('lr')) };
  if (has('options')) {
    // read as a link's options are (plain option values, no prototype keys), else named
    let extra = null;
    try { extra = JSON.parse(a('options')); } catch { /* named below */ }
    if (State.validEntry('options', extra)) patch.options = { ...(patch.options ?? state.get('options')), ...extra };
    else rejected.push('options');
  }
  if (has('epochs')) patch.epochs = Math.max(1, Math.min(1_000_000, Math.floor(Number(a('epochs')) || 1)));
  if (has('zero-grad')) patch.zeroGrad = isTrue(a('zero-grad'));
  if (has('no-grad')) patch.manualNoGrad = isTrue(a('no-grad'));
  if (has('normalize')) patch.normalize = isTrue(a('normalize'));
  if (has('batch-size')) patch.batchSize = Math.max(0, Math.floor(Number(a('batch-size')) || 0));
  if (has('seed')) patch.seed = Math.max(0, Math.floor(Number(a('seed')) || 0));
  if (has('lang')) patch.lang = a('lang') === 'zh-TW' ? 'zh-TW' : 'en';
  state.set(patch);
  return rejected;
}
