import { adagradStep } from '../kernels/index.js';
import { Optimizer } from './optimizer.js';
import type { GroupInit, NamedParams } from './params.js';
import type { GroupOptions } from './options.js';
import type { Init } from './resolve.js';
import type { OptimizerSpec } from './spec.js';
import { chain, rssDefaults, scaleByRss, scaled, type Transform } from './transforms/index.js';

export interface AdagradOptions extends GroupOptions {
  eps: number;
  epsInSqrt: boolean;
  initialAccumulator: number;
  /** PyTorch's `lr_decay`: the step is lr / (1 + (t − 1)·lrDecay). */
  lrDecay: number;
}

const defaults: AdagradOptions = {
  lr: 0.01,
  ...rssDefaults,
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
      init: () => ({}),
      update: (updates, slots) => updates.map((u, k) => scaled(u, -stepLr(o, lr, slots[k]!.step))),
    };
    return chain(scaleByRss(o), decayedLr);
  },
  fused(o, lr, c) {
    const h = { eps: o.eps, epsInSqrt: o.epsInSqrt, lr: stepLr(o, lr, c.step) };
    adagradStep({ p: c.p, g: c.g, n: c.n, sum: c.buffers.sum! }, c.pre, h);
  },
  effectiveStep(o, lr, { step, buffers }, size) {
    const sum = buffers.sum!;
    const [epsIn, epsOut] = o.epsInSqrt ? [o.eps, 0] : [0, o.eps];
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = stepLr(o, lr, Math.max(step, 1)) / (Math.sqrt(sum[i]! + epsIn) + epsOut);
    return out;
  },
};

/** Adagrad (Duchi et al. 2011), with PyTorch's lr decay and Keras's ε inside the root as options. */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: NamedParams | readonly GroupInit[], options: Init<AdagradOptions, 'adagrad'> = {}) {
    super(adagradSpec, params, options);
  }
}
