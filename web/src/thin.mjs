// Long series thinned for drawing: every k-th point and the last, a few thousand at most.
const MAX_POINTS = 2000;

/**
 * Element 0 of an epoch-major series (numel values per epoch) at the epochs xs (1-based, as
 * thin() gives them); NaN past its end: parameter history can stop before the loss does (the
 * engine bounds it for large models), and a stopped race's lines before the others'.
 */
export function atEpochs(values, numel, xs) {
  const epochs = Math.floor(values.length / Math.max(1, numel));
  return Array.from(xs, (x) => (x - 1 < epochs ? values[(x - 1) * numel] : NaN));
}

/** Every k-th point of ys (and the last), with x = index + offset. */
export function thin(ys, offset = 1, max = MAX_POINTS) {
  const n = ys.length;
  const stride = Math.max(1, Math.ceil(n / max));
  const m = Math.ceil(n / stride) + (n > 0 && (n - 1) % stride ? 1 : 0);
  const x = new Float64Array(m), y = new Array(m);
  let j = 0;
  for (let i = 0; i < n; i += stride, j++) { x[j] = i + offset; y[j] = ys[i]; }
  if (j < m) { x[j] = n - 1 + offset; y[j] = ys[n - 1]; }
  return [x, y];
}
