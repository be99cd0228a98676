// Time from a cold module load to the first trained epoch, through the public JS API:
// import gradlab.mjs, load() (fetch/read + compile + instantiate the .wasm), build the book's
// thermometer model and run one SGD epoch (forward, zero_grad, backward, step, loss.item()).
// The same function runs in Node (a fresh process each time) and in Chromium (a fresh page).
export async function firstEpoch(url) {
  const t0 = performance.now();
  const { load } = await import(url);
  const torch = await load();
  const tLoad = performance.now();
  const t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
  const t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);
  const x = t_u.mul(0.1);
  const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
  const opt = new torch.optim.SGD([params], { lr: 1e-2 });
  const loss = params.index(0).mul(x).add(params.index(1)).sub(t_c).pow(2).mean();
  opt.zeroGrad();
  loss.backward();
  opt.step();
  const value = loss.item();
  const t1 = performance.now();
  return { ms: t1 - t0, load_ms: tLoad - t0, loss: value };
}

// `node tests/bench/first_epoch.mjs`: one cold measurement in this (fresh) process.
if (typeof process !== 'undefined' && process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const r = await firstEpoch(new URL('../../core/wasm/gradlab.mjs', import.meta.url).href);
  console.log(JSON.stringify(r));
}
