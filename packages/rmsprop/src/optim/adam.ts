import { setHyperparameters } from '../kernels/index.js';
import { Optimizer, type GroupInit, type NamedParams } from './optimizer.js';
import type { GroupOptions } from './options.js';
import type { Init } from './resolve.js';
import { isSimple, shared, type OptimizerSpec } from './spec.js';
import {
  adamCoefficients,
  chain,
  scaleByAdam,
  scaleByLearningRate,
  type AdamMomentOptions,
} from './transforms/index.js';

export interface AdamOptions extends GroupOptions, AdamMomentOptions {}

const defaults: AdamOptions = {
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  epsRoot: 0,
  epsHat: false,
  amsgrad: false,
  nesterov: false,
  amsgradCorrected: false,
  weightDecay: 0,
  decoupledWeightDecay: false,
  maximize: false,
  clipValue: null,
  clipNorm: null,
};

export const adamSpec: OptimizerSpec<AdamOptions> = {
  name: 'Adam',
  kind: 'adam',
  defaults,
  bufferNames: ['expAvg', 'expAvgSq', 'maxExpAvgSq'],
  stateShaping: ['amsgradCorrected'],
  check(o, c) {
    c.range('beta1', o.beta1, 0, 1, true);
    c.range('beta2', o.beta2, 0, 1, true);
    c.positive('eps', o.eps);
    c.range('epsRoot', o.epsRoot, 0);
    c.boolean('epsHat', o.epsHat);
    c.boolean('amsgrad', o.amsgrad);
    c.boolean('nesterov', o.nesterov);
    c.boolean('amsgradCorrected', o.amsgradCorrected);
  },
  core: (o, lr) => chain(scaleByAdam(o), scaleByLearningRate(lr)),
  fused(k, o, lr, c) {
    const { vScale, wScale, mScale, gMix } = adamCoefficients(o, c.step);
    setHyperparameters([
      ...shared(c),
      o.beta1,
      1 - o.beta1,
      o.beta2,
      1 - o.beta2,
      vScale,
      wScale,
      o.epsRoot,
      o.eps,
      mScale,
      gMix,
      lr,
    ]);
    const flags = +o.amsgrad | (+isSimple(c) << 1);
    k.adam(c.p, c.g, c.buffers.expAvg!, c.buffers.expAvgSq!, c.buffers.maxExpAvgSq ?? 0, c.n, flags);
  },
};

/** Adam (Kingma & Ba 2015) with AMSGrad, L2 or decoupled decay, and each framework's placement of ε. */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: NamedParams | readonly GroupInit[], options: Init<AdamOptions> = {}) {
    super(adamSpec, params, options);
  }
}

/** AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay, 0.01 by default as in PyTorch. */
export class AdamW extends Optimizer<AdamOptions> {
  constructor(params: NamedParams | readonly GroupInit[], options: Init<AdamOptions> = {}) {
    const native = { weightDecay: 0.01, decoupledWeightDecay: true };
    super(adamSpec, params, options.flavor ? { optimizer: 'adamw', ...options } : { ...native, ...options });
  }
}
