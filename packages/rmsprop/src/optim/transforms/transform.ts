import type { LearningRateTransform } from './scale.js';

/** One parameter as a transform sees it, beside its update. */
export interface Slot {
  readonly name: string;
  readonly param: Float32Array;
  /** This parameter's state: the buffers every transform of the chain made in `init`, by name. */
  readonly state: Readonly<Record<string, Float32Array>>;
  /** Names of buffers created for this step: PyTorch starts some of them from the first gradient. */
  readonly created: ReadonlySet<string>;
  /** How many updates this parameter has had, this one included (1 on the first step). */
  readonly step: number;
}

/** Named buffers of one parameter's length. */
export type TransformState = Record<string, Float32Array>;

/**
 * A gradient transformation in the manner of Optax. `init` makes its state for one parameter (an empty
 * parameter gives the buffers' names with no elements); `update` maps the updates of all parameters,
 * which it must not change, to new ones, advancing the state in `slots` in place. A chain's first
 * update is the gradient; the optimizer adds its last (which ends with a scale by −lr) to the parameters.
 */
export interface Transform {
  init(param: Float32Array): TransformState;
  update(updates: readonly Float32Array[], slots: readonly Slot[]): Float32Array[];
  /** In a chain: its last link that has a learning rate (`scaleByLearningRate`), if any. */
  readonly learningRate?: LearningRateTransform;
}

/** The names of the buffers a transform keeps. */
export const bufferNames = (t: Transform): string[] => Object.keys(t.init(new Float32Array(0)));

/** The link of a transform (itself, or a chain's last) whose learning rate can be read and set, or null. */
export const learningRateOf = (t: Transform): LearningRateTransform | null =>
  'lr' in t ? (t as LearningRateTransform) : (t.learningRate ?? null);

/** Runs transforms one after another; their buffers must have distinct names. */
export function chain(...transforms: Transform[]): Transform {
  const seen = new Set<string>();
  for (const t of transforms) {
    for (const name of bufferNames(t)) {
      if (seen.has(name)) throw new Error(`chain: two transforms keep a buffer named '${name}'`);
      seen.add(name);
    }
  }
  const rates = transforms.map(learningRateOf).filter((t) => t !== null);
  return {
    init: (param) => Object.assign({}, ...transforms.map((t) => t.init(param))) as TransformState,
    update: (updates, slots) => transforms.reduce((u, t) => t.update(u, slots), updates) as Float32Array[],
    ...(rates.length > 0 ? { learningRate: rates.at(-1)! } : {}),
  };
}

/** A stateless transform from one element of the update (and of the parameter) to the next. */
export function elementwise(f: (u: number, p: number) => number): Transform {
  return {
    init: () => ({}),
    update: (updates, slots) =>
      updates.map((u, k) => {
        const p = slots[k]!.param;
        const out = new Float32Array(u.length);
        for (let i = 0; i < out.length; i++) out[i] = f(u[i]!, p[i]!);
        return out;
      }),
  };
}

/** A new array of u·factor (a loop: V8 calls a typed array's `map` callback per element, much slower). */
export function scaled(u: Float32Array, factor: number): Float32Array {
  const out = new Float32Array(u.length);
  for (let i = 0; i < out.length; i++) out[i] = u[i]! * factor;
  return out;
}

/**
 * `defaults` with the keys `options` sets (undefined keeps the default). A loop, not `{ ...defaults,
 * ...options }`: V8 spends tens of microseconds spreading an optimizer's options object, and the
 * optimizers build their chains at every step.
 */
export function withDefaults<T extends object>(defaults: T, options: Partial<T>): T {
  const out = { ...defaults };
  for (const key in defaults) if (options[key] !== undefined) out[key] = options[key]!;
  return out;
}

/** A buffer of `param`'s length filled with `value`. */
export const filled = (param: Float32Array, value: number): Float32Array => new Float32Array(param.length).fill(value);
