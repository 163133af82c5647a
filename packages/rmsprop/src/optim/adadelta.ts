import { setHyperparameters } from '../kernels/index.js';
import { Optimizer, type GroupInit, type NamedParams } from './optimizer.js';
import type { GroupOptions } from './options.js';
import type { Init } from './resolve.js';
import { isSimple, shared, type OptimizerSpec } from './spec.js';
import { chain, scaleByAdadelta, scaleByLearningRate } from './transforms/index.js';

export interface AdadeltaOptions extends GroupOptions {
  /** ρ of both running averages. */
  decay: number;
  eps: number;
}

const defaults: AdadeltaOptions = {
  lr: 1,
  decay: 0.9,
  eps: 1e-6,
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
  fused(k, o, lr, c) {
    setHyperparameters([...shared(c), o.decay, 1 - o.decay, o.eps, lr]);
    k.adadelta(c.p, c.g, c.buffers.squareAvg!, c.buffers.accDelta!, c.n, +isSimple(c));
  },
};

/** Adadelta (Zeiler 2012). */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: NamedParams | readonly GroupInit[], options: Init<AdadeltaOptions> = {}) {
    super(adadeltaSpec, params, options);
  }
}
