import { rmspropStep } from '../kernels/index.js';
import { Optimizer } from './optimizer.js';
import type { GroupInit, NamedParams } from './params.js';
import type { GroupOptions } from './options.js';
import type { Init } from './resolve.js';
import type { OptimizerSpec } from './spec.js';
import { chain, rmsDefaults, scaleByLearningRate, scaleByRms, trace } from './transforms/index.js';

export interface RMSpropOptions extends GroupOptions {
  /** β of v ← β·v + (1−β)·g² (PyTorch `alpha`, Keras `rho`). */
  decay: number;
  eps: number;
  /** ε inside the root, √(v + ε) (Keras, TF1, Optax) rather than √v + ε (PyTorch). */
  epsInSqrt: boolean;
  /** Initial value of v: 0, or 1 as in TF1. */
  initialAccumulator: number;
  /** Divide by the moving standard deviation √(v − ḡ²) instead of √v (Graves 2013). */
  centered: boolean;
  momentum: number;
  /** The buffer accumulates lr·u (Keras, TF1, Optax) rather than u with lr applied after (PyTorch). */
  lrInMomentum: boolean;
  nesterov: boolean;
  /** Divide v (and ḡ) by 1 − βᵗ (Optax's `bias_correction`). */
  biasCorrection: boolean;
}

const defaults: RMSpropOptions = {
  lr: 1e-3,
  ...rmsDefaults,
  centered: false,
  momentum: 0,
  lrInMomentum: false,
  nesterov: false,
  weightDecay: 0,
  decoupledWeightDecay: false,
  maximize: false,
  clipValue: null,
  clipNorm: null,
};

/** The factor on v (and ḡ) after `step` updates: Optax's bias correction, or 1. */
const biasCorrection = (o: RMSpropOptions, step: number): number => (o.biasCorrection ? 1 / (1 - o.decay ** step) : 1);

export const rmspropSpec: OptimizerSpec<RMSpropOptions> = {
  name: 'RMSprop',
  kind: 'rmsprop',
  defaults,
  bufferNames: ['squareAvg', 'gradAvg', 'momentumBuffer'],
  stateShaping: ['lrInMomentum'],
  check(o, c) {
    c.range('decay', o.decay, 0, 1, true);
    c.positive('eps', o.eps);
    c.boolean('epsInSqrt', o.epsInSqrt);
    c.range('initialAccumulator', o.initialAccumulator, 0);
    c.boolean('centered', o.centered);
    c.range('momentum', o.momentum, 0, 1, true);
    c.boolean('lrInMomentum', o.lrInMomentum);
    c.boolean('nesterov', o.nesterov);
    if (o.nesterov && o.momentum === 0) c.fail('nesterov', true, 'false when momentum is 0 (Nesterov needs momentum)');
    c.boolean('biasCorrection', o.biasCorrection);
  },
  core(o, lr) {
    const rms = scaleByRms(o, o.centered);
    if (o.momentum === 0) return chain(rms, scaleByLearningRate(lr));
    const momentum = trace({ momentum: o.momentum, dampening: 0, nesterov: o.nesterov });
    return o.lrInMomentum
      ? chain(rms, scaleByLearningRate(lr), momentum)
      : chain(rms, momentum, scaleByLearningRate(lr));
  },
  fused(o, lr, c) {
    const inside = o.momentum !== 0 && o.lrInMomentum;
    const [k1, k2] = o.nesterov ? [o.momentum, 1] : [1, 0];
    const { squareAvg, gradAvg, momentumBuffer } = c.buffers;
    const { decay, eps, epsInSqrt, centered, momentum } = o;
    rmspropStep({ p: c.p, g: c.g, n: c.n, squareAvg: squareAvg!, gradAvg, momentumBuffer }, c.pre, {
      decay,
      vScale: biasCorrection(o, c.step),
      eps,
      epsInSqrt,
      centered,
      momentum,
      sIn: inside ? lr : 1,
      k1,
      k2,
      pOut: inside ? 1 : lr,
    });
  },
  effectiveStep(o, lr, { step, buffers }, size) {
    const { squareAvg: v, gradAvg: m } = buffers;
    const scale = biasCorrection(o, step);
    const [epsIn, epsOut] = o.epsInSqrt ? [o.eps, 0] : [0, o.eps];
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      // Centered RMSProp divides by the standard deviation √(v − ḡ²), clamped at 0 as the kernel does.
      const w = m ? Math.max(v![i]! * scale - (m[i]! * scale) ** 2, 0) : v![i]! * scale;
      out[i] = lr / (Math.sqrt(w + epsIn) + epsOut);
    }
    return out;
  },
};

/**
 * RMSProp with every switch of PyTorch, Keras, TF1, TensorFlow.js and Optax. Without a flavor the
 * defaults are lr 1e-3, decay 0.9, ε 1e-8 outside the root, no momentum; with one, that framework's
 * option names and defaults apply (`{ flavor: 'pytorch', alpha: 0.99 }`).
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: NamedParams | readonly GroupInit[], options: Init<RMSpropOptions, 'rmsprop'> = {}) {
    super(rmspropSpec, params, options);
  }
}

/** Graves (2013), "Generating sequences with recurrent neural networks", eq. 38–41. */
export const graves2013: Partial<RMSpropOptions> = {
  lr: 1e-4,
  decay: 0.95,
  eps: 1e-4,
  epsInSqrt: true,
  centered: true,
  momentum: 0.9,
  lrInMomentum: true,
};
