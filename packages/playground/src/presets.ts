import { configure, kindById, type OptimizerConfig, type Options } from './optimizer-kinds.js';

/** An entry of an "add optimizer" menu. */
export interface Preset {
  readonly label: string;
  readonly config: OptimizerConfig;
}

const preset = (label: string, kind: string, options: Options): Preset => ({
  label,
  config: configure(kindById(kind)!, options),
});

/**
 * Optimizers to drop on a surface, with learning rates that suit its scale (the maps span a few units
 * and a path has about a thousand steps, so an adaptive optimizer's step of about lr should be ~0.005).
 */
export const surfacePresets: readonly Preset[] = [
  preset('RMSProp', 'rmsprop', { lr: 0.005 }),
  preset('RMSProp + momentum', 'rmsprop', { lr: 0.001, momentum: 0.9 }),
  preset('RMSProp, centered + momentum', 'rmsprop', { lr: 0.001, centered: true, momentum: 0.9 }),
  preset('RMSProp, TF1 (v starts at 1, ε in √)', 'rmsprop', {
    lr: 0.005,
    initialAccumulator: 1,
    epsInSqrt: true,
    eps: 1e-10,
  }),
  preset('RMSProp, large ε (SGD-like)', 'rmsprop', { lr: 0.005, eps: 0.1 }),
  preset('Adam', 'adam', { lr: 0.05 }),
  preset('Adam, AMSGrad', 'adam', { lr: 0.05, amsgrad: true }),
  preset('SGD', 'sgd', { lr: 0.001 }),
  preset('SGD + momentum', 'sgd', { lr: 0.001, momentum: 0.9 }),
  preset('SGD + Nesterov', 'sgd', { lr: 0.001, momentum: 0.9, nesterov: true }),
  preset('Adagrad', 'adagrad', { lr: 0.5 }),
];

const byLabel = (label: string): OptimizerConfig => surfacePresets.find((p) => p.label === label)!.config;

/** The optimizers a surface starts with: the line-up of the classic animations. */
export const defaultSurfaceLineup: readonly OptimizerConfig[] = [
  'SGD + momentum',
  'Adagrad',
  'RMSProp',
  'RMSProp + momentum',
  'Adam',
].map(byLabel);

/** Optimizers to race on MNIST, with the library's defaults (the learning rates PyTorch users know). */
export const trainingPresets: readonly Preset[] = [
  preset('RMSProp', 'rmsprop', {}),
  preset('RMSProp, centered', 'rmsprop', { centered: true }),
  preset('RMSProp + momentum', 'rmsprop', { lr: 1e-4, momentum: 0.9 }),
  preset('Adam', 'adam', {}),
  preset('SGD + momentum', 'sgd', { momentum: 0.9 }),
  preset('Adagrad', 'adagrad', {}),
];

/** RMSProp against Adam. */
export const defaultTrainingLineup: readonly OptimizerConfig[] = [
  trainingPresets[0]!.config,
  trainingPresets[3]!.config,
];
