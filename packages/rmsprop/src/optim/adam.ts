import { adamStep } from '../kernels/index.js';
import { Optimizer } from './optimizer.js';
import type { GroupInit, NamedParams } from './params.js';
import type { GroupOptions } from './options.js';
import type { Init } from './resolve.js';
import type { OptimizerSpec } from './spec.js';
import {
  adamCoefficients,
  adamMomentDefaults,
  chain,
  scaleByAdam,
  scaleByLearningRate,
  type AdamMomentOptions,
} from './transforms/index.js';

export interface AdamOptions extends GroupOptions, AdamMomentOptions {}

const defaults: AdamOptions = {
  lr: 1e-3,
  ...adamMomentDefaults,
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
  fused(o, lr, c) {
    const { expAvg, expAvgSq, maxExpAvgSq } = c.buffers;
    const { vScale, wScale, mScale, gMix } = adamCoefficients(o, c.step);
    const { beta1, beta2, eps, epsRoot, amsgrad } = o;
    const h = { beta1, beta2, eps, epsRoot, amsgrad, lr, vScale, wScale, mScale, gMix };
    adamStep({ p: c.p, g: c.g, n: c.n, expAvg: expAvg!, expAvgSq: expAvgSq!, maxExpAvgSq }, c.pre, h);
  },
  effectiveStep(o, lr, { step, buffers }, size) {
    // The step on the bias-corrected mean m̂: lr/(√v̂ + ε), with ε̂'s √(1 − β2ᵗ) where Keras puts it.
    const { vScale, wScale } = adamCoefficients(o, step);
    const hat = o.epsHat ? Math.sqrt(1 - o.beta2 ** step) : 1;
    const [v, scale] = o.amsgrad ? [buffers.maxExpAvgSq!, wScale] : [buffers.expAvgSq!, vScale * wScale];
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = (lr * hat) / (Math.sqrt(v[i]! * scale + o.epsRoot) + o.eps);
    return out;
  },
};

/** Adam (Kingma & Ba 2015) with AMSGrad, L2 or decoupled decay, and each framework's placement of ε. */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: NamedParams | readonly GroupInit[], options: Init<AdamOptions, 'adam'> = {}) {
    super(adamSpec, params, options);
  }
}

/** AdamW's options as Adam's: decoupled decay of 0.01 as in PyTorch, or a flavor's `adamw`. */
export const adamwInit = (options: Init<AdamOptions, 'adam'>): Init<AdamOptions, 'adam'> =>
  options.flavor
    ? ({ optimizer: 'adamw', ...options } as Init<AdamOptions, 'adam'>)
    : { weightDecay: 0.01, decoupledWeightDecay: true, ...options };

/** AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay, 0.01 by default as in PyTorch. */
export class AdamW extends Optimizer<AdamOptions> {
  constructor(params: NamedParams | readonly GroupInit[], options: Init<AdamOptions, 'adam'> = {}) {
    super(adamSpec, params, adamwInit(options));
  }
}
