// The README's training loop ("Node API and CLI"), as a learner writes it: no torch.tidy(),
// no dispose(), no gc(), run in a process of its own with no V8 flags. memory.test.mjs runs
// it for 1,000,000 epochs and checks the lines between the markers against the README.
//   node tests/node/readme_loop.mjs EPOCHS   prints one JSON line: heap and RSS, params
import { load } from '../../core/wasm/gradlab.mjs';

const epochs = Number(process.argv[2] ?? 5000);
const torch = await load();
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
// README loop begins
const t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
const t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);
const t_un = t_u.mul(0.1);
const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
const opt = new torch.optim.SGD([params], { lr: 1e-2 });
for (let epoch = 1; epoch <= epochs; epoch++) {
  const [w, b] = params.unbind();
  const loss = w.mul(t_un).add(b).sub(t_c).pow(2).mean();
  opt.zeroGrad();
  loss.backward();
  opt.step();
}
// README loop ends
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({
  epochs,
  seconds,
  cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  heapBytes: torch.heapBytes(),
  heapUsedBytes: torch.heapUsedBytes(),
  rssBefore,
  // the process's peak: an upper bound of the RSS the loop reached
  maxRss: process.resourceUsage().maxRSS * 1024,
  rssAfter: process.memoryUsage().rss,
  params: params.toArray(),
  printed: String(params),
  stats: torch.memoryStats(),
}));
