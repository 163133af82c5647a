import { addressOf, viewAt } from './state-buffer.js';

/** A parameter: its values, and optionally a gradient the optimizer reads when `step` gets none. */
export type ParamLike = Float32Array | { readonly data: Float32Array; grad?: Float32Array | null };
/** Parameters by name. Names key the state, so a reordered or partial set of gradients is safe. */
export type NamedParams = Readonly<Record<string, ParamLike>> | ReadonlyMap<string, ParamLike>;
/** A parameter group: its parameters and options that differ from the optimizer's (e.g. no decay on biases). */
export type GroupInit = { params: NamedParams } & Record<string, unknown>;
/** Gradients by parameter name. */
export type NamedGrads = Readonly<Record<string, Float32Array>> | ReadonlyMap<string, Float32Array>;

export interface ParamGroup<O> {
  readonly params: readonly string[];
  /** Change any of these between steps; they are checked again at every step. */
  options: O;
}

/** One registered parameter. */
export interface Entry<O> {
  readonly name: string;
  readonly group: ParamGroup<O>;
  readonly source: ParamLike;
  /** Address of a parameter given as a bare view of the kernels' memory, which growth would detach. */
  readonly ptr: number | null;
  readonly length: number;
}

/** One parameter with a gradient in one step. */
export interface Item<O> {
  readonly entry: Entry<O>;
  grad: Float32Array;
  readonly gradPtr: number | null;
  /** Buffers created for this step. */
  readonly created: Set<string>;
  /** Σg² after clipping by value, when clipping by norm needs it. */
  sumSquares: number;
  finite: boolean;
  /** The factor of clipping by norm and of maximize's sign. */
  gScale: number;
}

/** A parameter's values now: a fresh view when it is a bare view of the kernels' memory. */
export function dataOf(e: Entry<unknown>): Float32Array {
  if (e.ptr !== null) return viewAt(e.ptr, e.length);
  return e.source instanceof Float32Array ? e.source : e.source.data;
}

/** The address of a parameter's values in the kernels' memory, or null. */
export const paramPtr = (e: Entry<unknown>): number | null => e.ptr ?? addressOf(dataOf(e));

/** The entries of a new group, checked against those already registered (`known`). */
export function entriesOf<O>(
  owner: string,
  params: NamedParams,
  group: (names: string[]) => ParamGroup<O>,
  known: ReadonlyMap<string, unknown>,
): Entry<O>[] {
  const list = params instanceof Map ? [...params] : Object.entries(params);
  if (list.length === 0) throw new RangeError(`${owner}: got a parameter group with no parameters`);
  const g = group(list.map(([n]) => n));
  return list.map(([name, source]): Entry<O> => {
    if (known.has(name)) throw new RangeError(`${owner}: parameter '${name}' appears in more than one group`);
    const data = source instanceof Float32Array ? source : source?.data;
    if (!(data instanceof Float32Array)) {
      throw new TypeError(`${owner}: parameter '${name}' must be a Float32Array or { data: Float32Array, grad? }`);
    }
    const ptr = source instanceof Float32Array ? addressOf(source) : null;
    return { name, group: g, source, ptr, length: data.length };
  });
}

/**
 * The parameters with a gradient this step, from `grads` by name or else from each parameter's `grad`;
 * a gradient for an unknown name, or of the wrong type or length, is refused.
 */
export function collectGradients<O>(
  owner: string,
  entries: ReadonlyMap<string, Entry<O>>,
  grads: NamedGrads | undefined,
): Item<O>[] {
  const given = grads instanceof Map ? grads : grads ? new Map(Object.entries(grads)) : null;
  for (const name of given?.keys() ?? []) {
    if (!entries.has(name)) {
      const known = [...entries.keys()];
      throw new RangeError(
        `${owner}.step: got a gradient for unknown parameter '${name}'; parameters are ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}`,
      );
    }
  }
  const items: Item<O>[] = [];
  for (const entry of entries.values()) {
    const grad = given ? given.get(entry.name) : entry.source instanceof Float32Array ? undefined : entry.source.grad;
    if (grad === undefined || grad === null) continue;
    if (!(grad instanceof Float32Array) || grad.length !== entry.length) {
      throw new RangeError(
        `${owner}.step: the gradient of '${entry.name}' must be a Float32Array of ${entry.length} elements, got ${grad instanceof Float32Array ? `${grad.length} elements` : typeof grad}`,
      );
    }
    items.push({ entry, grad, gradPtr: addressOf(grad), created: new Set(), sumSquares: 0, finite: true, gScale: 1 });
  }
  return items;
}
