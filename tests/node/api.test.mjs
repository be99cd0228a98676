// The JS API against the real WebAssembly build, checked with PyTorch's reference values.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { load } from '../../core/wasm/gradlab.mjs';
import { assertClose, golden } from './golden.mjs';

const book = golden('book');
const traps = golden('traps');
let torch;
before(async () => { torch = await load(); });

const data = (name) => torch.tensor(book.data[name].data);
function bookLoss(params, x, t_c) {
  const [w, b] = params.unbind();
  return w.mul(x).add(b).sub(t_c).pow(2).mean();
}

describe('the book through the JS API', () => {
  test('grad is null before the first backward, then the first gradient', () => {
    const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
    assert.equal(params.grad, null);
    assert.equal(params.requiresGrad, true);
    assert.equal(params.isLeaf, true);
    const loss = bookLoss(params, data('t_u'), data('t_c'));
    loss.backward();
    assert.equal(loss.gradFn.name, 'MeanBackward0');
    assert.deepEqual(params.grad.toArray(), book.first_grad.grad.data);
    assert.equal(String(params.grad), book.first_grad.printed);
    assertClose(assert, loss.item(), book.first_grad.loss, 1e-6, 'loss');
  });

  test('the SGD loop on t_un reproduces PyTorch epoch by epoch', () => {
    const run = book.runs.sgd_t_un_5000;
    const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
    const opt = new torch.optim.SGD([params], { lr: run.lr });
    const x = data('t_un');
    const t_c = data('t_c');
    for (let epoch = 1; epoch <= run.epochs; epoch++) {
      const loss = bookLoss(params, x, t_c);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      assertClose(assert, loss.item(), run.losses[epoch - 1], run.loss_rtol, `loss at epoch ${epoch}`);
    }
    params.toArray().forEach((v, i) => assertClose(assert, v, run.final_params.data[i], run.params_rtol, `param ${i}`));
  });

  test('without zero_grad, grad after k backwards is k times the first', () => {
    const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
    const want = traps.accumulate_three_backwards.grads_after_each;
    for (let k = 0; k < want.length; k++) {
      bookLoss(params, data('t_u'), data('t_c')).backward();
      params.grad.toArray().forEach((v, i) => assertClose(assert, v, want[k].data[i], 1e-6, `grad ${i} after ${k + 1}`));
    }
  });

  test('the manual no_grad update', () => {
    const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
    const x = data('t_un');
    const t_c = data('t_c');
    for (let epoch = 1; epoch <= 5000; epoch++) {
      if (params.grad) params.grad.zero_();
      bookLoss(params, x, t_c).backward();
      torch.noGrad(() => params.sub_(params.grad.mul(1e-2)));
    }
    const want = book.runs.manual_sgd_t_un_5000.final_params.data;
    params.toArray().forEach((v, i) => assertClose(assert, v, want[i], 1e-5, `param ${i}`));
  });
});

describe('errors are PyTorch\'s, thrown as Error', () => {
  const expectError = (fn, want) => assert.throws(fn, (e) => e instanceof Error && e.name === want.type && e.message === want.message);

  test('backward twice', () => {
    const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
    const loss = bookLoss(params, data('t_u'), data('t_c'));
    loss.backward();
    expectError(() => loss.backward(), traps.backward_twice);
  });
  test('in-place update of a leaf outside noGrad', () => {
    const params = torch.tensor([1.0, 0.0], { requiresGrad: true });
    bookLoss(params, data('t_u'), data('t_c')).backward();
    expectError(() => params.sub_(params.grad.mul(0.01)), traps.inplace_update_without_no_grad);
  });
  test('backward of a non-scalar, and without requires_grad', () => {
    expectError(() => torch.tensor([1.0, 0.0], { requiresGrad: true }).mul(2).backward(), traps.backward_non_scalar);
    expectError(() => bookLoss(torch.tensor([1.0, 0.0]), data('t_u'), data('t_c')).backward(), traps.backward_without_requires_grad);
  });
  test('the engine keeps working after many errors', () => {
    const a = torch.tensor([1, 2, 3]);
    const b = torch.tensor([1, 2, 3, 4]);
    for (let i = 0; i < 2000; i++) assert.throws(() => a.add(b), /must match the size/);
    assert.deepEqual(a.add(a).toArray(), [2, 4, 6]);
  });
});
