import { adadeltaStep } from '../kernels/index.js';
import { Optimizer } from './optimizer.js';
import type { GroupInit, NamedParams } from './params.js';
import type { GroupOptions } from './options.js';
import type { Init } from './resolve.js';
import type { OptimizerSpec } from './spec.js';
import {
  adadeltaDefaults,
  chain,
  scaleByAdadelta,
  scaleByLearningRate,
  type AdadeltaMomentOptions,
} from './transforms/index.js';

export interface AdadeltaOptions extends GroupOptions, AdadeltaMomentOptions {}

const defaults: AdadeltaOptions = {
  lr: 1,
  ...adadeltaDefaults,
  weightDecay: 0,
  decoupledWeightDecay: false,
  maximize: false,
  clipValue: null,
  clipNorm: null,
};

export const adadeltaSpec: OptimizerSpec<AdadeltaOptions> = {
  name: 'Adadelta',
  kind: 'adadelta',
  defaults,
  bufferNames: ['squareAvg', 'accDelta'],
  stateShaping: [],
  check(o, c) {
    c.range('decay', o.decay, 0, 1);
    c.positive('eps', o.eps);
  },
  core: (o, lr) => chain(scaleByAdadelta(o), scaleByLearningRate(lr)),
  fused(o, lr, c) {
    const { squareAvg, accDelta } = c.buffers;
    const h = { decay: o.decay, eps: o.eps, lr };
    adadeltaStep({ p: c.p, g: c.g, n: c.n, squareAvg: squareAvg!, accDelta: accDelta! }, c.pre, h);
  },
  effectiveStep(o, lr, { buffers }, size) {
    const { squareAvg: v, accDelta: a } = buffers;
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = (lr * Math.sqrt(a![i]! + o.eps)) / Math.sqrt(v![i]! + o.eps);
    return out;
  },
};

/** Adadelta (Zeiler 2012). */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: NamedParams | readonly GroupInit[], options: Init<AdadeltaOptions, 'adadelta'> = {}) {
    super(adadeltaSpec, params, options);
  }
}
