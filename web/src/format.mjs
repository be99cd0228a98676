// Numbers as the learner reads them elsewhere: the loss as the book prints it (six decimals),
// tensors and special values as Python prints them (nan, inf, None).
import { fmtNum } from './graph.mjs';

export const fmtLoss = (x) => (Number.isFinite(x) ? (Math.abs(x) < 1e6 ? x.toFixed(6) : x.toExponential(6)) : String(x).replace('Infinity', 'inf').replace('NaN', 'nan'));
export const pyNum = (x) => (Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : fmtNum(x));
/** PyTorch's print threshold: a longer tensor shows its first and last EDGE values around '...'. */
export const PRINT_THRESHOLD = 1000;
const EDGE = 3;
export const tensorText = (xs) => {
  if (xs == null) return 'None';
  if (xs.length === 1) return pyNum(xs[0]);
  if (xs.length <= PRINT_THRESHOLD) return `[${Array.from(xs, pyNum).join(', ')}]`;
  const head = Array.from(xs.subarray ? xs.subarray(0, EDGE) : xs.slice(0, EDGE), pyNum);
  const tail = Array.from(xs.subarray ? xs.subarray(xs.length - EDGE) : xs.slice(xs.length - EDGE), pyNum);
  return `[${head.join(', ')}, ..., ${tail.join(', ')}]`;
};
/** The exact values for a data-full attribute, or null over PyTorch's print threshold. */
export const fullText = (xs) => (xs == null ? 'null' : xs.length <= PRINT_THRESHOLD ? JSON.stringify(Array.from(xs)) : null);
/** The book's progress line: "Epoch 500, Loss 7.860120" (Python's %f). */
export const epochLine = (epoch, loss) => `Epoch ${epoch}, Loss ${Number.isFinite(loss) ? loss.toFixed(6) : Number.isNaN(loss) ? 'nan' : loss > 0 ? 'inf' : '-inf'}`;
