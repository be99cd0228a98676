// Type-checked (tsc --noEmit, by types.test.mjs) against gradlab.d.ts through the package's
// own name, as a user would write it. Never run.
import { GradlabError, load, type MemoryStats, type Tensor, type Torch } from 'gradlab';
import { load as loadSingle } from 'gradlab/single';

async function book(): Promise<number[]> {
  const torch: Torch = await load();
  const t_c = torch.tensor([0.5, 14.0, 15.0]);
  const t_u = torch.tensor([35.7, 55.9, 58.2], { dtype: 'float64' }).float();
  const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
  const [w, b] = params.unbind();
  const loss: Tensor = w.mul(t_u).add(b).sub(t_c).pow(2).mean();
  loss.backward();
  const grad: Tensor | null = params.grad;
  const first: number = loss.item();
  const shape: number[] = params.shape;
  const leaf: boolean = params.isLeaf && params.requiresGrad;
  const name: string | undefined = loss.gradFn?.name;
  for (const [node, inputNr] of loss.gradFn?.nextFunctions ?? []) {
    const n: string | undefined = node?.name;
    const i: number = inputNr;
    void n; void i;
  }
  torch.noGrad(() => params.sub_(params.grad!.mul(1e-2)));
  const opt = new torch.optim.SGD([params], { lr: 1e-2, momentum: 0.9 });
  opt.zeroGrad();
  opt.step();
  const lr: number = opt.paramGroups[0].lr;
  const state = opt.state(params);
  const sched = new torch.optim.lr_scheduler.StepLR(opt, { stepSize: 5, gamma: 0.5 });
  sched.step();
  const lrs: number[] = sched.getLastLr();
  const plateau = new torch.optim.lr_scheduler.ReduceLROnPlateau(new torch.optim.Adam([params], { lr: 0.1, betas: [0.9, 0.999] }), { factor: 0.5 });
  plateau.step(1.0);
  const lbfgs = new torch.optim.LBFGS([params], { lr: 1, line_search_fn: 'strong_wolfe' });
  const l2 = lbfgs.step(() => {
    lbfgs.zeroGrad();
    const l = w.mul(t_u).add(b).sub(t_c).pow(2).mean();
    l.backward();
    return l;
  });
  const F = torch.nn.functional;
  const x = torch.tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true });
  const y = F.mse_loss(x.matmul(x.T).tanh(), torch.zeros([2, 2], { dtype: 'float64' }));
  const ce = F.cross_entropy(x, [0, 1]);
  const m = x.max(1);
  const idx: number[] = m.indices;
  const total = torch.tidy(() => torch.stack([x.sum(0), x.mean({ dim: 1, keepdim: false })]).sum());
  const p = torch.pow(2, x).pow(x);
  const angles: Tensor = torch.atan(x).add(x.atan()).add(F.silu(x));  // op-table rows (generated .d.ts)
  try {
    torch.tensor([1]).add(torch.tensor([1, 2, 3]));
  } catch (e) {
    if (e instanceof GradlabError) console.log(e.name, e.message, e.pythonType);
  }
  const single: Torch = await loadSingle();
  void single; void grad; void first; void shape; void leaf; void name; void lr; void state; void lrs; void l2; void angles;
  void y; void ce; void idx; void total; void p; void m.values.item();
  params.dispose();
  const stats: MemoryStats = torch.memoryStats();
  const big: Tensor = torch.zeros([2n, 3]).select(0, 1n).reshape(3n, 1);
  void big;
  return [torch.heapBytes(), torch.heapUsedBytes(), stats.spilled, stats.young];
}
void book;
