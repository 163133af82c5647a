import { ignore, rename, type FlavorTable } from './flavor.js';

// Options of torch.optim that choose an implementation, not the arithmetic.
const implementation = {
  foreach: ignore,
  fused: ignore,
  capturable: ignore,
  differentiable: ignore,
};
const common = {
  lr: rename('lr'),
  weight_decay: rename('weightDecay'),
  maximize: rename('maximize'),
  ...implementation,
};
const betas = (v: unknown) => {
  const [beta1, beta2] = Array.isArray(v) ? v : [v, undefined];
  return { beta1, beta2 };
};
const adamNames = {
  ...common,
  betas,
  eps: rename('eps'),
  amsgrad: rename('amsgrad'),
  decoupled_weight_decay: rename('decoupledWeightDecay'),
};

/** torch.optim 2.x: ε outside the root, lr outside the momentum buffer, L2 weight decay (AdamW aside). */
export const pytorch = {
  rmsprop: {
    kind: 'rmsprop',
    defaults: { lr: 0.01, decay: 0.99, eps: 1e-8, epsInSqrt: false, lrInMomentum: false },
    names: {
      ...common,
      alpha: rename('decay'),
      eps: rename('eps'),
      momentum: rename('momentum'),
      centered: rename('centered'),
    },
  },
  adam: {
    kind: 'adam',
    defaults: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, epsHat: false },
    names: adamNames,
  },
  adamw: {
    kind: 'adam',
    defaults: {
      lr: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      epsHat: false,
      weightDecay: 0.01,
      decoupledWeightDecay: true,
    },
    names: adamNames,
  },
  sgd: {
    kind: 'sgd',
    defaults: { lr: 1e-3, momentum: 0, lrInMomentum: false },
    names: {
      ...common,
      momentum: rename('momentum'),
      dampening: rename('dampening'),
      nesterov: rename('nesterov'),
    },
  },
  adagrad: {
    kind: 'adagrad',
    defaults: { lr: 0.01, eps: 1e-10, epsInSqrt: false, initialAccumulator: 0 },
    names: {
      ...common,
      lr_decay: rename('lrDecay'),
      initial_accumulator_value: rename('initialAccumulator'),
      eps: rename('eps'),
    },
  },
  adadelta: {
    kind: 'adadelta',
    defaults: { lr: 1, decay: 0.9, eps: 1e-6 },
    names: { ...common, rho: rename('decay'), eps: rename('eps') },
  },
} satisfies FlavorTable;
