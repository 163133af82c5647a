import { setHyperparameters } from '../kernels/index.js';
import { Optimizer, type GroupInit, type NamedParams } from './optimizer.js';
import type { GroupOptions } from './options.js';
import type { Init } from './resolve.js';
import { isSimple, shared, type OptimizerSpec } from './spec.js';
import { chain, scaleByRss, type Transform } from './transforms/index.js';

export interface AdagradOptions extends GroupOptions {
  eps: number;
  epsInSqrt: boolean;
  initialAccumulator: number;
  /** PyTorch's `lr_decay`: the step is lr / (1 + (t − 1)·lrDecay). */
  lrDecay: number;
}

const defaults: AdagradOptions = {
  lr: 0.01,
  eps: 1e-10,
  epsInSqrt: false,
  initialAccumulator: 0,
  lrDecay: 0,
  weightDecay: 0,
  decoupledWeightDecay: false,
  maximize: false,
  clipValue: null,
  clipNorm: null,
};

const stepLr = (o: AdagradOptions, lr: number, step: number): number => lr / (1 + (step - 1) * o.lrDecay);

export const adagradSpec: OptimizerSpec<AdagradOptions> = {
  name: 'Adagrad',
  kind: 'adagrad',
  defaults,
  bufferNames: ['sum'],
  stateShaping: [],
  check(o, c) {
    c.range('eps', o.eps, 0);
    c.boolean('epsInSqrt', o.epsInSqrt);
    c.range('initialAccumulator', o.initialAccumulator, 0);
    c.range('lrDecay', o.lrDecay, 0);
  },
  core(o, lr) {
    const decayedLr: Transform = {
      buffers: {},
      apply(slots) {
        for (const { update, step } of slots) {
          const f = -stepLr(o, lr, step);
          for (let i = 0; i < update.length; i++) update[i]! *= f;
        }
      },
    };
    return chain(scaleByRss(o), decayedLr);
  },
  fused(k, o, lr, c) {
    setHyperparameters([...shared(c), o.eps, stepLr(o, lr, c.step)]);
    k.adagrad(c.p, c.g, c.buffers.sum!, c.n, +isSimple(c) | (+o.epsInSqrt << 1));
  },
};

/** Adagrad (Duchi et al. 2011), with PyTorch's lr decay and Keras's ε inside the root as options. */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: NamedParams | readonly GroupInit[], options: Init<AdagradOptions> = {}) {
    super(adagradSpec, params, options);
  }
}
