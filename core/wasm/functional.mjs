// torch.nn.functional over the engine: losses and activations, under PyTorch's snake_case
// names and their camelCase twins. Losses take PyTorch's default reduction ('mean'), the
// only one the engine computes.

export function makeFunctional({ M, wrap, live, indices, isTensor, GradlabError }, { embedding }) {
  const meanOnly = (fn, { reduction = 'mean' } = {}) => {
    if (!['mean', 'sum', 'none'].includes(reduction)) {
      throw new GradlabError('ValueError', `${reduction} is not a valid value for reduction`);
    }
    if (reduction !== 'mean') {
      throw new GradlabError('NotImplementedError', `gradlab computes losses with reduction='mean' only (got '${reduction}')`);
    }
    return fn();
  };
  const loss2 = (fn) => (input, target, opts) => meanOnly(() => wrap(fn(live(input, 'input'), live(target, 'target'))), opts);
  const dimOf = (d, opts) => (d !== null && typeof d === 'object' ? d.dim : d ?? opts?.dim);

  const F = {
    mse_loss: loss2(M.mseLoss),
    l1_loss: loss2(M.l1Loss),
    huber_loss: (input, target, opts = {}) => meanOnly(
      () => wrap(M.huberLoss(live(input, 'input'), live(target, 'target'), opts.delta ?? 1.0)), opts),
    binary_cross_entropy: loss2(M.binaryCrossEntropy),
    binary_cross_entropy_with_logits: loss2(M.binaryCrossEntropyWithLogits),
    /** target: class indices (array or Tensor of integers), or class probabilities (a float Tensor shaped like input). */
    cross_entropy: (input, target, opts) => meanOnly(() => {
      const x = live(input, 'input');
      if (isTensor(target) && target.shape.length === input.shape.length) return wrap(M.crossEntropyProbs(x, target._live()));
      return wrap(M.crossEntropy(x, indices(target).flat));
    }, opts),
    nll_loss: (input, target, opts) => meanOnly(() => wrap(M.nllLoss(live(input, 'input'), indices(target).flat)), opts),

    relu: (x) => wrap(M.relu(live(x, 'input'))),
    tanh: (x) => wrap(M.tanh(live(x, 'input'))),
    sigmoid: (x) => wrap(M.sigmoid(live(x, 'input'))),
    silu: (x) => wrap(M.silu(live(x, 'input'))),
    gelu: (x, { approximate = 'none' } = {}) => wrap(M.gelu(live(x, 'input'), approximate)),
    elu: (x, { alpha = 1.0 } = {}) => wrap(M.elu(live(x, 'input'), alpha)),
    leaky_relu: (x, negativeSlope = 0.01) => wrap(M.leakyRelu(live(x, 'input'),
      typeof negativeSlope === 'object' ? (negativeSlope.negativeSlope ?? negativeSlope.negative_slope ?? 0.01) : negativeSlope)),
    softplus: (x, { beta = 1.0, threshold = 20.0 } = {}) => wrap(M.softplus(live(x, 'input'), beta, threshold)),
    softmax: (x, dim, opts) => wrap(M.softmax(live(x, 'input'), dimOf(dim, opts))),
    log_softmax: (x, dim, opts) => wrap(M.logSoftmax(live(x, 'input'), dimOf(dim, opts))),
    linear: (x, weight, bias = null) => (bias === null || bias === undefined
      ? wrap(M.linear(live(x, 'input'), live(weight, 'weight')))
      : wrap(M.linearBias(live(x, 'input'), live(weight, 'weight'), live(bias, 'bias')))),
    embedding,
  };
  // camelCase twins: F.mseLoss, F.binaryCrossEntropyWithLogits, F.logSoftmax, ...
  for (const [k, fn] of Object.entries({ ...F })) {
    const camel = k.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    if (camel !== k) F[camel] = fn;
  }
  return F;
}
