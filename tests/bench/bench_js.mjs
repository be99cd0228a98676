// The workloads of ../shared/bench/WORKLOADS.md through what gradlab ships: the split module
// (core/wasm/dist) behind the public JS API, as a Node user or the playground's worker runs
// it. bench.cpp measures the engine compiled on its own; this measures the shipped link too
// (Embind calls, the bindings' code), so a build setting that slows only the module shows.
//   node tests/bench/bench_js.mjs [--repeats N] [--api tensor|session]
// --api session: the book workloads as the Run button runs them (a Session with the book's
// model text); tensor (default): every workload op by op through torch-like JS calls.
// Prints one JSON line per workload.
import { best, circlePoints, initValues, t_c, t_u } from './workload_data.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const repeats = Number(opt('--repeats', 5));
const api = opt('--api', 'tensor');
const engine = api === 'session' ? 'gradlab-js' : 'gradlab-js-eager';

const { load } = await import('../../core/wasm/gradlab.mjs');
const { loadSession } = await import('../../core/wasm/session.mjs');
const torch = await load();
const { Session } = await loadSession();
const F = torch.nn.functional;

// loss = ((params[0] * x + params[1] - t_c) ** 2).mean(); opt.zero_grad(); loss.backward(); opt.step()
function book(optName, lr, epochs, normalised) {
  const tc = torch.tensor(t_c);
  const tu = torch.tensor(t_u);
  const x = normalised ? tu.mul(0.1) : tu;
  const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
  const o = new torch.optim[optName]([params], { lr });
  let last = NaN;
  for (let e = 0; e < epochs; ++e) {
    last = torch.tidy(() => {
      const loss = params.index(0).mul(x).add(params.index(1)).sub(tc).pow(2).mean();
      o.zeroGrad();
      loss.backward();
      o.step();
      return loss.item();
    });
  }
  torch.tidy(() => [tc, tu, x, params].forEach((t) => t.dispose()));
  return last;
}

// The same loop as the playground's Run: the book's model text in a training session.
function bookSession(optName, lr, epochs, normalised) {
  const s = new Session();
  s.loadPreset('thermometer');  // the book's data: t_u, t_un (= 0.1 * t_u in float32), t_c
  s.setModel(`param w = 1.0\nparam b = 0.0\nloss = ((w * ${normalised ? 't_un' : 't_u'} + b - t_c) ** 2).mean()\n`);
  s.setOptimizer(optName, { lr });
  s.run(epochs);
  const loss = s.lastLoss;
  s.dispose();
  return loss;
}

function circle(n = 1000) {
  return circlePoints(n).map((rows) => torch.tensor(rows));
}

function init(shape, k) {
  return torch.tensor(initValues(shape, k)).reshape(shape).requiresGrad_(true);
}

function mlp(epochs = 300) {
  const [X, Y] = circle();
  const W1 = init([16, 2], 1), b1 = torch.zeros([16]).requiresGrad_(true);
  const W2 = init([16, 16], 2), b2 = torch.zeros([16]).requiresGrad_(true);
  const W3 = init([1, 16], 3), b3 = torch.zeros([1]).requiresGrad_(true);
  const o = new torch.optim.Adam([W1, b1, W2, b2, W3, b3], { lr: 0.01 });
  let last = NaN;
  for (let e = 0; e < epochs; ++e) {
    last = torch.tidy(() => {
      let h = torch.tanh(X.matmul(W1.t()).add(b1));
      h = torch.tanh(h.matmul(W2.t()).add(b2));
      const loss = F.binaryCrossEntropyWithLogits(h.matmul(W3.t()).add(b3), Y);
      o.zeroGrad();
      loss.backward();
      o.step();
      return loss.item();
    });
  }
  return last;
}

function matmul(n = 256, reps = 20) {
  const A = init([n, n], 4), B = init([n, n], 5);
  for (let r = 0; r < reps; ++r) torch.tidy(() => A.matmul(B).sum().backward());
  return reps * 3 * 2 * n ** 3;
}

const workloads = api === 'session'
  ? [['book-sgd', () => bookSession('SGD', 1e-2, 5000, true)], ['book-adam', () => bookSession('Adam', 1e-1, 2000, false)]]
  : [
      ['book-sgd', () => book('SGD', 1e-2, 5000, true)],
      ['book-adam', () => book('Adam', 1e-1, 2000, false)],
      ['playground-mlp', () => mlp()],
      ['matmul-256', () => matmul()],
    ];
for (const [name, fn] of workloads) {
  const [s, r] = best(fn, repeats);
  const extra = name === 'matmul-256' ? { gflops: r / s / 1e9 } : { final_loss: r };
  console.log(JSON.stringify({ workload: name, engine, seconds: s, ...extra }));
}
