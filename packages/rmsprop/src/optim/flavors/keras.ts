import {
  ignore,
  onlyNeutral,
  orDefault,
  rename,
  type FlavorEntry,
  type FlavorKind,
  type FlavorTable,
} from './flavor.js';

// keras.optimizers.Optimizer's own options: clipping (one of three), decoupled weight decay applied
// before the update, and the weight EMA, which starts as a copy of the weights on the first step.
const base = {
  learning_rate: rename('lr'),
  weight_decay: orDefault('weightDecay'),
  clipnorm: rename('clipNorm'),
  clipvalue: rename('clipValue'),
  global_clipnorm: rename('globalClipNorm'),
  use_ema: rename('useEma'),
  ema_momentum: rename('emaMomentum'),
  ema_overwrite_frequency: rename('emaOverwriteEvery'),
  loss_scale_factor: onlyNeutral('loss_scale_factor', undefined, 'scale the loss yourself'),
  gradient_accumulation_steps: onlyNeutral(
    'gradient_accumulation_steps',
    undefined,
    'accumulate gradients before calling step',
  ),
  name: ignore,
};

function finish(o: Record<string, unknown>): void {
  if (!('useEma' in o) && !('emaMomentum' in o)) return;
  const { useEma, emaMomentum } = o;
  delete o.useEma;
  delete o.emaMomentum;
  o.ema = useEma === true ? (emaMomentum ?? 0.99) : null;
}

function entry<K extends FlavorKind, N extends FlavorEntry['names']>(
  kind: K,
  defaults: Record<string, unknown>,
  names: N,
): Omit<FlavorEntry, 'kind' | 'names'> & { kind: K; names: typeof base & N } {
  return {
    kind,
    defaults: { weightDecay: 0, decoupledWeightDecay: true, ...defaults },
    names: { ...base, ...names },
    finish,
  };
}

const adamNames = {
  beta_1: rename('beta1'),
  beta_2: rename('beta2'),
  epsilon: rename('eps'),
  amsgrad: rename('amsgrad'),
};
const adamDefaults = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-7, epsHat: true };

/** Keras 3: ε inside the root, lr inside the momentum buffer, Adam's ε̂, decoupled weight decay. */
export const keras = {
  rmsprop: entry(
    'rmsprop',
    { lr: 1e-3, decay: 0.9, eps: 1e-7, epsInSqrt: true, lrInMomentum: true },
    { rho: rename('decay'), momentum: rename('momentum'), epsilon: rename('eps'), centered: rename('centered') },
  ),
  adam: entry('adam', adamDefaults, adamNames),
  adamw: entry('adam', { ...adamDefaults, weightDecay: 0.004 }, adamNames),
  sgd: entry('sgd', { lr: 0.01, lrInMomentum: true }, { momentum: rename('momentum'), nesterov: rename('nesterov') }),
  adagrad: entry(
    'adagrad',
    { lr: 1e-3, initialAccumulator: 0.1, eps: 1e-7, epsInSqrt: true },
    { initial_accumulator_value: rename('initialAccumulator'), epsilon: rename('eps') },
  ),
  adadelta: entry('adadelta', { lr: 1e-3, decay: 0.95, eps: 1e-7 }, { rho: rename('decay'), epsilon: rename('eps') }),
} satisfies FlavorTable;
