import { ignore, rename, type FlavorTable } from './flavor.js';

const base = { learning_rate: rename('lr'), use_locking: ignore, name: ignore };

/** tf.compat.v1.train: RMSProp's mean square starts at 1, ε inside the root, lr inside the momentum. */
export const tf1 = {
  rmsprop: {
    kind: 'rmsprop',
    defaults: { decay: 0.9, eps: 1e-10, epsInSqrt: true, lrInMomentum: true, initialAccumulator: 1 },
    names: {
      ...base,
      decay: rename('decay'),
      momentum: rename('momentum'),
      epsilon: rename('eps'),
      centered: rename('centered'),
    },
  },
  adam: {
    kind: 'adam',
    defaults: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, epsHat: true },
    names: { ...base, beta1: rename('beta1'), beta2: rename('beta2'), epsilon: rename('eps') },
  },
  sgd: { kind: 'sgd', defaults: {}, names: base },
  momentum: {
    kind: 'sgd',
    defaults: { lrInMomentum: false },
    names: { ...base, momentum: rename('momentum'), use_nesterov: rename('nesterov') },
  },
  adagrad: {
    kind: 'adagrad',
    defaults: { initialAccumulator: 0.1, eps: 0, epsInSqrt: true },
    names: { ...base, initial_accumulator_value: rename('initialAccumulator') },
  },
} satisfies FlavorTable;
