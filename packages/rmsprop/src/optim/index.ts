export { Optimizer, NonFiniteGradientError } from './optimizer.js';
export type { ParamLike, NamedParams, NamedGrads, GroupInit, ParamGroup } from './params.js';
export { OPTIMIZER_FORMAT, type OptimizerStateDict } from './state-dict.js';
export { OptionError, type GroupOptions, type OptimizerOptions } from './options.js';
export type { Init, FlavoredInit } from './resolve.js';
export { flavors, type Flavor } from './flavors/index.js';
export type { OptimizerSpec, FusedCall, ParamStateView } from './spec.js';
export { RMSprop, rmspropSpec, graves2013, type RMSpropOptions } from './rmsprop.js';
export { Adam, AdamW, adamSpec, adamwInit, type AdamOptions } from './adam.js';
export { SGD, sgdSpec, type SGDOptions } from './sgd.js';
export { Adagrad, adagradSpec, type AdagradOptions } from './adagrad.js';
export { Adadelta, adadeltaSpec, type AdadeltaOptions } from './adadelta.js';
export * from './transforms/index.js';
export * from './schedules/index.js';
export {
  runConformance,
  type Fixture,
  type OptimizerFixture,
  type ScheduleFixture,
  type ConformanceResult,
} from './conformance.js';
export { ChainOptimizer, type ChainOptimizerOptions } from './chain-optimizer.js';
export {
  createOptimizer,
  resolveOptions,
  optimizerKinds,
  optimizerNames,
  type OptimizerInit,
  type OptimizerKind,
  type OptionsByKind,
  type ResolvedOptions,
} from './registry.js';
