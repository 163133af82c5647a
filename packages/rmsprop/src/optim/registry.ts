import { Adadelta, adadeltaSpec, type AdadeltaOptions } from './adadelta.js';
import { Adagrad, adagradSpec, type AdagradOptions } from './adagrad.js';
import { Adam, adamSpec, AdamW, adamwInit, type AdamOptions } from './adam.js';
import { flavors, type Flavor } from './flavors/index.js';
import type { Optimizer } from './optimizer.js';
import { OptionError, type GroupOptions, type OptimizerOptions } from './options.js';
import type { GroupInit, NamedParams } from './params.js';
import { Resolver, type Init } from './resolve.js';
import { RMSprop, rmspropSpec, type RMSpropOptions } from './rmsprop.js';
import { SGD, sgdSpec, type SGDOptions } from './sgd.js';
import type { OptimizerSpec } from './spec.js';

/** Each optimizer's options by the name the registry knows it by. */
export interface OptionsByKind {
  rmsprop: RMSpropOptions;
  adam: AdamOptions;
  adamw: AdamOptions;
  sgd: SGDOptions;
  adagrad: AdagradOptions;
  adadelta: AdadeltaOptions;
}
export type OptimizerKind = keyof OptionsByKind;

/** What `createOptimizer(kind, …)` takes: our options, or a framework's names for the same optimizer. */
export type OptimizerInit<K extends OptimizerKind> = Init<OptionsByKind[K], K extends 'adamw' ? 'adam' : K>;

interface Kind {
  readonly spec: OptimizerSpec<GroupOptions>;
  readonly Class: new (params: NamedParams | readonly GroupInit[], init: never) => Optimizer;
  /** Our options as the class passes them on (AdamW adds its decay). */
  readonly init: (options: Init<GroupOptions>) => Init<GroupOptions>;
}

const same = <T>(options: T): T => options;
const KINDS: Readonly<Record<OptimizerKind, Kind>> = {
  rmsprop: { spec: rmspropSpec as OptimizerSpec<never>, Class: RMSprop, init: same },
  adam: { spec: adamSpec as OptimizerSpec<never>, Class: Adam, init: same },
  adamw: { spec: adamSpec as OptimizerSpec<never>, Class: AdamW, init: adamwInit as Kind['init'] },
  sgd: { spec: sgdSpec as OptimizerSpec<never>, Class: SGD, init: same },
  adagrad: { spec: adagradSpec as OptimizerSpec<never>, Class: Adagrad, init: same },
  adadelta: { spec: adadeltaSpec as OptimizerSpec<never>, Class: Adadelta, init: same },
};

/** Our optimizers by the names the registry takes, in menu order. */
export const optimizerKinds = Object.keys(KINDS) as readonly OptimizerKind[];

const list = (names: Iterable<string>): string => [...names].sort().join(', ');

/** The names `createOptimizer` takes: ours, or under a flavor that framework's (tf1 `momentum`, optax `amsgrad`). */
export const optimizerNames = (flavor?: Flavor): string[] =>
  flavor ? Object.keys(flavors[flavor]).sort() : [...optimizerKinds].sort();

/** The registry's entry for `name` and the options the class gets (a flavor's own name as `optimizer`). */
function lookup(
  name: string,
  options: Record<string, unknown>,
  flavor: unknown,
): { kind: OptimizerKind; init: Init<GroupOptions> } {
  const given = { ...options, ...(flavor === undefined ? {} : { flavor }) };
  const f = given.flavor;
  if (f === undefined) {
    if (!Object.hasOwn(KINDS, name))
      throw new OptionError(`unknown optimizer ${JSON.stringify(name)}; optimizers are ${list(optimizerKinds)}`);
    const kind = name as OptimizerKind;
    return { kind, init: KINDS[kind].init(given as Init<GroupOptions>) };
  }
  if (typeof f !== 'string' || !Object.hasOwn(flavors, f))
    throw new OptionError(`flavor must be one of ${list(Object.keys(flavors))}, got ${JSON.stringify(f)}`);
  const table = flavors[f as Flavor];
  if (!Object.hasOwn(table, name))
    throw new OptionError(
      `unknown optimizer ${JSON.stringify(name)} of the ${f} flavor; its optimizers are ${list(Object.keys(table))}`,
    );
  const kind = table[name]!.kind as OptimizerKind;
  return { kind, init: { ...given, ...(kind === name ? {} : { optimizer: name }) } as Init<GroupOptions> };
}

/** An optimizer's options after translation, defaults and checks, in our names. */
export interface ResolvedOptions {
  readonly kind: OptimizerKind;
  /** The class name, e.g. 'RMSprop'. */
  readonly name: string;
  /** Every per-group option (the learning rate a number or a schedule). */
  readonly group: GroupOptions & Record<string, unknown>;
  readonly optimizer: OptimizerOptions;
}

/**
 * Checks and resolves options exactly as `createOptimizer` would, without building anything: `name` is
 * one of `optimizerKinds`, or with a flavor (the argument, or `options.flavor`) one of that framework's
 * names. Throws an `OptionError` naming the option, the value and what is allowed.
 */
export function resolveOptions(
  name: string,
  options: Readonly<Record<string, unknown>> = {},
  flavor?: Flavor,
): ResolvedOptions {
  const { kind, init } = lookup(name, options, flavor);
  const { spec } = KINDS[kind];
  const resolver = new Resolver(spec, init);
  return {
    kind,
    name: spec.name,
    group: resolver.group({}) as ResolvedOptions['group'],
    optimizer: resolver.optimizer,
  };
}

/**
 * A new optimizer of `kind` over `params`, as `new RMSprop(params, options)` and the like would make it
 * (`createOptimizer('adamw', params)` is an `AdamW`); with `options.flavor`, `kind` may be that
 * framework's name for it.
 */
export function createOptimizer<K extends OptimizerKind>(
  kind: K,
  params: NamedParams | readonly GroupInit[],
  options?: OptimizerInit<K>,
): Optimizer<OptionsByKind[K]>;
export function createOptimizer(
  kind: string,
  params: NamedParams | readonly GroupInit[],
  options?: Readonly<Record<string, unknown>>,
): Optimizer;
export function createOptimizer(
  name: string,
  params: NamedParams | readonly GroupInit[],
  options: Readonly<Record<string, unknown>> = {},
): Optimizer {
  const { kind, init } = lookup(name, options, undefined);
  // The class applies its own adaptation (AdamW's decay) to what the user wrote: pass that, not `init`.
  const { Class } = KINDS[kind];
  return new Class(params, (kind === name && !options.flavor ? options : init) as never);
}
