// The minimal page of the foundation: loads the engine and shows the book's first gradient.
import { load } from '/core/wasm/gradlab.mjs';

// The thermometer data of Deep Learning with PyTorch, ch. 5 (inputs, not results).
const T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0];
const T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4];

async function main() {
  const out = document.getElementById('first-grad');
  const status = document.getElementById('status');
  try {
    const t0 = performance.now();
    const torch = await load();
    const t_c = torch.tensor(T_C);
    const t_u = torch.tensor(T_U);
    const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
    const [w, b] = params.unbind();
    const loss = w.mul(t_u).add(b).sub(t_c).pow(2).mean();
    loss.backward();
    out.textContent = params.grad.toString();
    status.textContent = `loss ${loss.item().toFixed(4)} (${loss.gradFn.name}); engine loaded and ran in ${(performance.now() - t0).toFixed(0)} ms`;
  } catch (e) {
    out.textContent = `${e.name}: ${e.message}`;
  }
}

main();
