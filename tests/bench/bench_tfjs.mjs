// TensorFlow.js on the workloads of ../shared/bench/WORKLOADS.md, written as bench_torch.py
// writes them (same data, init, optimizer settings, epochs, float32), best of N runs.
//   node tests/bench/bench_tfjs.mjs --backend cpu|wasm [--repeats N]
// Prints one JSON line per workload; a workload the backend cannot run prints {"error": ...}.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { best, circlePoints, initValues, t_c, t_u } from './workload_data.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const backend = opt('--backend', 'cpu');
const repeats = Number(opt('--repeats', 5));
const only = opt('--only', null);

// Silence tfjs's "Hi there, use tfjs-node" banner: it goes to console.warn/log.
const { log, warn } = console;
console.log = () => {};
console.warn = () => {};
const tf = await import('@tensorflow/tfjs');
if (backend === 'wasm') {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  wasm.setWasmPaths(join(dir, 'dist') + '/');
  wasm.setThreadsCount?.(1);  // one thread, like every other engine
}
await tf.setBackend(backend);
await tf.ready();
console.log = log;
console.warn = warn;

// PyTorch's Adam and SGD settings: TF.js's Adam epsilon default is 1e-7, PyTorch's 1e-8.
const makeOpt = (name, lr) => (name === 'SGD' ? tf.train.sgd(lr) : tf.train.adam(lr, 0.9, 0.999, 1e-8));

function book(optName, lr, epochs, normalised) {
  const tc = tf.tensor1d(t_c);
  const tu = tf.tensor1d(t_u);
  const x = normalised ? tf.mul(0.1, tu) : tu;
  const params = tf.variable(tf.tensor1d([1, 0]));
  const opt = makeOpt(optName, lr);
  let last = 0;
  for (let e = 0; e < epochs; ++e) {
    // minimize = forward + gradients (fresh each epoch, i.e. zero_grad) + step
    const loss = opt.minimize(() => {
      const w = params.slice([0], [1]);
      const b = params.slice([1], [1]);
      return tf.mean(tf.square(tf.sub(tf.add(tf.mul(w, x), b), tc)));
    }, true);
    if (e === epochs - 1) last = loss.dataSync()[0];
    loss.dispose();
  }
  tf.dispose([tc, tu, x, params]);
  opt.dispose();
  return last;
}

function circle(n = 1000) {
  const [X, Y] = circlePoints(n);
  return [tf.tensor2d(X, [n, 2]), tf.tensor2d(Y, [n, 1])];
}

function init(shape, k) {
  return tf.tensor(initValues(shape, k), shape);
}

// PyTorch's binary_cross_entropy_with_logits, mean reduction: max(z,0) - z*y + log1p(exp(-|z|)).
function bceWithLogits(z, y) {
  return tf.mean(tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z))))));
}

function mlp(epochs = 300) {
  const [X, Y] = circle();
  const W1 = tf.variable(init([16, 2], 1)), b1 = tf.variable(tf.zeros([16]));
  const W2 = tf.variable(init([16, 16], 2)), b2 = tf.variable(tf.zeros([16]));
  const W3 = tf.variable(init([1, 16], 3)), b3 = tf.variable(tf.zeros([1]));
  const opt = makeOpt('Adam', 0.01);
  let last = 0;
  for (let e = 0; e < epochs; ++e) {
    const loss = opt.minimize(() => {
      let h = tf.tanh(tf.add(tf.matMul(X, W1, false, true), b1));
      h = tf.tanh(tf.add(tf.matMul(h, W2, false, true), b2));
      return bceWithLogits(tf.add(tf.matMul(h, W3, false, true), b3), Y);
    }, true);
    if (e === epochs - 1) last = loss.dataSync()[0];
    loss.dispose();
  }
  tf.dispose([X, Y, W1, b1, W2, b2, W3, b3]);
  opt.dispose();
  return last;
}

function matmul(n = 256, reps = 20) {
  const A = init([n, n], 4), B = init([n, n], 5);
  const g = tf.grads((a, b) => tf.sum(tf.matMul(a, b)));
  for (let r = 0; r < reps; ++r) {
    const [ga, gb] = g([A, B]);
    ga.dataSync();  // wait for the work (the cpu and wasm backends are synchronous anyway)
    tf.dispose([ga, gb]);
  }
  tf.dispose([A, B]);
  return reps * 3 * 2 * n ** 3;
}

const engine = `tfjs-${backend}`;
for (const [name, fn] of [
  ['book-sgd', () => book('SGD', 1e-2, 5000, true)],
  ['book-adam', () => book('Adam', 1e-1, 2000, false)],
  ['playground-mlp', () => mlp()],
  ['matmul-256', () => matmul()],
]) {
  if (only && only !== name) continue;
  try {
    const [s, r] = best(fn, repeats);
    const extra = name === 'matmul-256' ? { gflops: r / s / 1e9 } : { final_loss: r };
    console.log(JSON.stringify({ workload: name, engine, seconds: s, ...extra }));
  } catch (e) {
    console.log(JSON.stringify({ workload: name, engine, error: String(e.message ?? e).split('\n')[0] }));
  }
}
