// Numbers as the learner reads them elsewhere: the loss as the book prints it (six decimals),
// tensors and special values as Python prints them (nan, inf, None).
import { fmtNum } from './graph.mjs';

export const fmtLoss = (x) => (Number.isFinite(x) ? (Math.abs(x) < 1e6 ? x.toFixed(6) : x.toExponential(6)) : String(x).replace('Infinity', 'inf').replace('NaN', 'nan'));
export const pyNum = (x) => (Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : fmtNum(x));
export const tensorText = (xs) => (xs == null ? 'None' : xs.length === 1 ? pyNum(xs[0]) : `[${Array.from(xs, pyNum).join(', ')}]`);
/** The book's progress line: "Epoch 500, Loss 7.860120" (Python's %f). */
export const epochLine = (epoch, loss) => `Epoch ${epoch}, Loss ${Number.isFinite(loss) ? loss.toFixed(6) : Number.isNaN(loss) ? 'nan' : loss > 0 ? 'inf' : '-inf'}`;
