import { rename, type FlavorTable } from './flavor.js';

const lr = { learningRate: rename('lr') };
// TensorFlow.js takes ε from the backend when none is given: 1e-7 for float32.
const EPSILON = 1e-7;

/**
 * tf.train.*: like Keras for RMSProp, like PyTorch for Adam. Its centered RMSProp subtracts ε
 * (√(ms − ḡ² − ε), NaN for small gradients); this flavor adds it, which is what the code intends.
 */
export const tfjs = {
  rmsprop: {
    kind: 'rmsprop',
    defaults: { decay: 0.9, eps: EPSILON, epsInSqrt: true, lrInMomentum: true },
    names: {
      ...lr,
      decay: rename('decay'),
      momentum: rename('momentum'),
      epsilon: rename('eps'),
      centered: rename('centered'),
    },
  },
  adam: {
    kind: 'adam',
    defaults: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: EPSILON, epsHat: false },
    names: { ...lr, beta1: rename('beta1'), beta2: rename('beta2'), epsilon: rename('eps') },
  },
  sgd: { kind: 'sgd', defaults: {}, names: lr },
  momentum: {
    kind: 'sgd',
    defaults: { lrInMomentum: false },
    names: { ...lr, momentum: rename('momentum'), useNesterov: rename('nesterov') },
  },
  adagrad: {
    kind: 'adagrad',
    defaults: { initialAccumulator: 0.1, eps: EPSILON, epsInSqrt: true },
    names: { ...lr, initialAccumulatorValue: rename('initialAccumulator') },
  },
  adadelta: {
    kind: 'adadelta',
    defaults: { lr: 1e-3, decay: 0.95, eps: EPSILON },
    names: { ...lr, rho: rename('decay'), epsilon: rename('eps') },
  },
} satisfies FlavorTable;
