import { onlyNeutral, orDefault, rename, type FlavorTable } from './flavor.js';

const lr = { learning_rate: rename('lr') };
const momentNames = {
  ...lr,
  b1: rename('beta1'),
  b2: rename('beta2'),
  eps: rename('eps'),
  eps_root: rename('epsRoot'),
  mu_dtype: onlyNeutral('mu_dtype', undefined, 'moments are float32'),
};
const adamNames = {
  ...momentNames,
  nesterov: rename('nesterov'),
};
const adamDefaults = { beta1: 0.9, beta2: 0.999, eps: 1e-8, epsRoot: 0, epsHat: false };

/** Optax 0.2: chains of transforms; lr sits inside the momentum trace of rmsprop, outside sgd's. */
export const optax = {
  rmsprop: {
    kind: 'rmsprop',
    defaults: { decay: 0.9, eps: 1e-8, epsInSqrt: true, lrInMomentum: true, initialAccumulator: 0 },
    names: {
      ...lr,
      decay: rename('decay'),
      eps: rename('eps'),
      initial_scale: rename('initialAccumulator'),
      eps_in_sqrt: rename('epsInSqrt'),
      centered: rename('centered'),
      momentum: orDefault('momentum'),
      nesterov: rename('nesterov'),
      bias_correction: rename('biasCorrection'),
    },
  },
  adam: { kind: 'adam', defaults: adamDefaults, names: adamNames },
  adamw: {
    kind: 'adam',
    defaults: { ...adamDefaults, weightDecay: 1e-4, decoupledWeightDecay: true },
    names: {
      ...adamNames,
      weight_decay: rename('weightDecay'),
      mask: onlyNeutral('mask', undefined, 'use parameter groups with weightDecay 0 instead'),
    },
  },
  amsgrad: {
    kind: 'adam',
    defaults: { ...adamDefaults, amsgrad: true, amsgradCorrected: true },
    names: momentNames,
  },
  sgd: {
    kind: 'sgd',
    defaults: { lrInMomentum: false },
    names: {
      ...lr,
      momentum: orDefault('momentum'),
      nesterov: rename('nesterov'),
      accumulator_dtype: onlyNeutral('accumulator_dtype', undefined, 'buffers are float32'),
    },
  },
  adagrad: {
    kind: 'adagrad',
    defaults: { initialAccumulator: 0.1, eps: 1e-7, epsInSqrt: true },
    names: { ...lr, initial_accumulator_value: rename('initialAccumulator'), eps: rename('eps') },
  },
  adadelta: {
    kind: 'adadelta',
    defaults: { decay: 0.9, eps: 1e-6 },
    names: {
      ...lr,
      rho: rename('decay'),
      eps: rename('eps'),
      weight_decay: rename('weightDecay'),
      weight_decay_mask: onlyNeutral('weight_decay_mask', undefined, 'use parameter groups with weightDecay 0 instead'),
    },
  },
} satisfies FlavorTable;
