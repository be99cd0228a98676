// "Adam lr=0.1 betas=0.9,0.999 normalize=False": an optimizer, its options, and the run's
// own switches (normalize, zero_grad, batch_size) where given
const RUN_KEYS = { normalize: 'normalize', zero_grad: 'zeroGrad', batch_size: 'batchSize' };
export function parseRaceLine(line) {
  const [opt, ...rest] = line.trim().split(/\s+/);
  const options = {};
  const run = {};
  for (const kv of rest) {
    const [k, v] = kv.split('=');
    if (!k || v === undefined) continue;
    const value = v.includes(',') ? v.split(',').map(Number) : /^(true|True)$/.test(v) ? true : /^(false|False)$/.test(v) ? false : v === 'None' ? null : Number.isNaN(Number(v)) ? v : Number(v);
    if (k in RUN_KEYS) run[RUN_KEYS[k]] = value;
    else options[k] = value;
  }
  return { optimizer: opt, options, ...run };
}
