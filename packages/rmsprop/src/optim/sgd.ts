import { sgdStep } from '../kernels/index.js';
import { Optimizer } from './optimizer.js';
import type { GroupInit, NamedParams } from './params.js';
import type { GroupOptions } from './options.js';
import type { Init } from './resolve.js';
import type { OptimizerSpec } from './spec.js';
import { chain, scaleByLearningRate, trace } from './transforms/index.js';

export interface SGDOptions extends GroupOptions {
  momentum: number;
  /** Fraction of each gradient kept out of the momentum buffer (PyTorch). */
  dampening: number;
  nesterov: boolean;
  /** The buffer accumulates lr·g (Keras) rather than g with lr applied after (PyTorch, Optax). */
  lrInMomentum: boolean;
}

const defaults: SGDOptions = {
  lr: 0.01,
  momentum: 0,
  dampening: 0,
  nesterov: false,
  lrInMomentum: false,
  weightDecay: 0,
  decoupledWeightDecay: false,
  maximize: false,
  clipValue: null,
  clipNorm: null,
};

export const sgdSpec: OptimizerSpec<SGDOptions> = {
  name: 'SGD',
  kind: 'sgd',
  defaults,
  bufferNames: ['momentumBuffer'],
  stateShaping: ['lrInMomentum'],
  check(o, c) {
    c.range('momentum', o.momentum, 0, 1, true);
    c.range('dampening', o.dampening, 0, 1);
    c.boolean('nesterov', o.nesterov);
    c.boolean('lrInMomentum', o.lrInMomentum);
    if (o.nesterov && (o.momentum === 0 || o.dampening !== 0)) {
      c.fail('nesterov', true, 'false unless momentum > 0 and dampening = 0 (as in PyTorch)');
    }
  },
  core(o, lr) {
    if (o.momentum === 0) return scaleByLearningRate(lr);
    const momentum = trace(o);
    return o.lrInMomentum ? chain(scaleByLearningRate(lr), momentum) : chain(momentum, scaleByLearningRate(lr));
  },
  fused(o, lr, c) {
    const inside = o.momentum !== 0 && o.lrInMomentum;
    const [k1, k2] = o.nesterov ? [o.momentum, 1] : [1, 0];
    // PyTorch copies the first gradient into a new buffer without dampening.
    const damp = c.created.has('momentumBuffer') ? 1 : 1 - o.dampening;
    sgdStep({ p: c.p, g: c.g, n: c.n, momentumBuffer: c.buffers.momentumBuffer }, c.pre, {
      momentum: o.momentum,
      damp,
      sIn: inside ? lr : 1,
      k1,
      k2,
      pOut: inside ? 1 : lr,
    });
  },
  effectiveStep: (_o, lr, _state, size) => new Float32Array(size).fill(lr),
};

/** Stochastic gradient descent with momentum, dampening and Nesterov, as in PyTorch, Keras and Optax. */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: NamedParams | readonly GroupInit[], options: Init<SGDOptions, 'sgd'> = {}) {
    super(sgdSpec, params, options);
  }
}
