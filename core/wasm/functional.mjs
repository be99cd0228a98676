// torch.nn.functional over the engine: losses and activations, under PyTorch's snake_case
// names and their camelCase twins. Losses take PyTorch's default reduction ('mean'), the
// only one the engine computes. Arguments are converted before any tensor's slot is taken.
import { isNumber, pyType } from './args.mjs';

export function makeFunctional({ E, wrap, live, indices, isTensor, toScratch, singleDim, GradlabError }, { embedding, unaryOps }) {
  const reductionOf = (opts) => {
    const reduction = opts?.reduction ?? 'mean';
    if (!['mean', 'sum', 'none'].includes(reduction)) {
      throw new GradlabError('ValueError', `${reduction} is not a valid value for reduction`);
    }
    if (reduction !== 'mean') {
      throw new GradlabError('NotImplementedError', `gradlab computes losses with reduction='mean' only (got '${reduction}')`);
    }
  };
  const numberOpt = (fn, name, v, dflt) => {
    if (v === undefined || v === null) return dflt;
    if (!isNumber(v)) throw new GradlabError('TypeError', `${fn}(): argument '${name}' must be float, not ${pyType(v)}`);
    return Number(v);
  };
  const loss2 = (fn) => (input, target, opts) => {
    reductionOf(opts);
    return wrap(fn(live(input, 'input'), live(target, 'target')));
  };
  // class indices into the scratch buffer, then the input's slot
  const classLoss = (fn) => (input, target, opts) => {
    reductionOf(opts);
    const { flat } = indices(target);
    const x = live(input, 'input');
    toScratch(flat);
    return wrap(fn(x, flat.length));
  };
  const crossEntropyIndices = classLoss(E.gl_cross_entropy);

  const F = {
    mse_loss: loss2(E.gl_mse_loss),
    l1_loss: loss2(E.gl_l1_loss),
    huber_loss: (input, target, opts = {}) => {
      reductionOf(opts);
      const delta = numberOpt('huber_loss', 'delta', opts?.delta, 1.0);
      return wrap(E.gl_huber_loss(live(input, 'input'), live(target, 'target'), delta));
    },
    binary_cross_entropy: loss2(E.gl_binary_cross_entropy),
    binary_cross_entropy_with_logits: loss2(E.gl_binary_cross_entropy_with_logits),
    /** target: class indices (array or Tensor of integers), or class probabilities (a float Tensor shaped like input). */
    cross_entropy: (input, target, opts) => {
      if (isTensor(input) && isTensor(target) && target.shape.length === input.shape.length) {
        reductionOf(opts);
        return wrap(E.gl_cross_entropy_probs(live(input, 'input'), live(target, 'target')));
      }
      return crossEntropyIndices(input, target, opts);
    },
    nll_loss: classLoss(E.gl_nll_loss),

    gelu: (x, opts = {}) => {
      const approximate = opts?.approximate ?? 'none';
      const code = approximate === 'none' ? 0 : approximate === 'tanh' ? 1 : 2;  // 2: the engine's error
      return wrap(E.gl_gelu(live(x, 'input'), code));
    },
    elu: (x, opts = {}) => {
      const alpha = numberOpt('elu', 'alpha', opts?.alpha, 1.0);
      return wrap(E.gl_elu(live(x, 'input'), alpha));
    },
    leaky_relu: (x, negativeSlope = 0.01) => {
      const raw = negativeSlope !== null && typeof negativeSlope === 'object'
        ? (negativeSlope.negativeSlope ?? negativeSlope.negative_slope) : negativeSlope;
      const slope = numberOpt('leaky_relu', 'negative_slope', raw, 0.01);
      return wrap(E.gl_leaky_relu(live(x, 'input'), slope));
    },
    softplus: (x, opts = {}) => {
      const beta = numberOpt('softplus', 'beta', opts?.beta, 1.0);
      const threshold = numberOpt('softplus', 'threshold', opts?.threshold, 20.0);
      return wrap(E.gl_softplus(live(x, 'input'), beta, threshold));
    },
    softmax: (x, dim, opts) => {
      const d = singleDim('softmax', dim ?? (opts ? { dim: opts.dim } : dim));
      return wrap(E.gl_softmax(live(x, 'input'), d));
    },
    log_softmax: (x, dim, opts) => {
      const d = singleDim('log_softmax', dim ?? (opts ? { dim: opts.dim } : dim));
      return wrap(E.gl_log_softmax(live(x, 'input'), d));
    },
    linear: (x, weight, bias = null) => {
      const xs = live(x, 'input');
      const ws = live(weight, 'weight');
      return wrap(E.gl_linear(xs, ws, bias === null || bias === undefined ? 0 : live(bias, 'bias')));
    },
    embedding,
  };
  // the op table's rows that torch.nn.functional has: relu, tanh, sigmoid, silu, ...
  for (const { name, functional, fn } of unaryOps) if (functional) F[name] = fn;
  // camelCase twins: F.mseLoss, F.binaryCrossEntropyWithLogits, F.logSoftmax, ...
  for (const [k, fn] of Object.entries({ ...F })) {
    const camel = k.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    if (camel !== k) F[camel] = fn;
  }
  return F;
}
