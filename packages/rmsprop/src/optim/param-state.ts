import { allocState, type StateBuffer } from './state-buffer.js';
import { dataOf, type Entry } from './params.js';
import type { Transform, TransformState } from './transforms/index.js';

/** One parameter's state: its updates so far and its buffers. */
export interface ParamState {
  step: number;
  readonly buffers: Map<string, StateBuffer>;
}

/** Buffers checked and ready to replace a parameter's state (`loadStateDict`). */
export interface LoadedParamState {
  readonly step: number;
  readonly arrays: ReadonlyMap<string, Float32Array>;
}

function stored(a: Float32Array): StateBuffer {
  const b = allocState(a.length);
  b.array.set(a);
  return b;
}

/** The state of every parameter by name, its buffers in the kernels' memory where there is one. */
export class ParamStates {
  private readonly map = new Map<string, ParamState>();

  get(name: string): ParamState | undefined {
    return this.map.get(name);
  }

  entries(): IterableIterator<[string, ParamState]> {
    return this.map.entries();
  }

  /** Whether parameter `name` has no state yet, or lacks one of the buffers `names`. */
  lacks(name: string, names: readonly string[]): boolean {
    const st = this.map.get(name);
    return !st || names.some((b) => !st.buffers.has(b));
  }

  /**
   * Gives parameter `e` the buffers of `names` it lacks, from `init` (called only when one is missing),
   * and adds their names to `created`: a momentum or centered switched on later gets its buffer here.
   */
  ensure(
    e: Entry<unknown>,
    names: readonly string[],
    init: Pick<Transform, 'init'>,
    created?: Set<string>,
  ): ParamState {
    let st = this.map.get(e.name);
    if (!st) this.map.set(e.name, (st = { step: 0, buffers: new Map() }));
    let fresh: TransformState | null = null;
    for (const b of names) {
      if (st.buffers.has(b)) continue;
      fresh ??= init.init(dataOf(e));
      st.buffers.set(b, stored(fresh[b]!));
      created?.add(b);
    }
    return st;
  }

  /** Current views of a parameter's buffers, by name. */
  views(name: string): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const [k, b] of this.map.get(name)?.buffers ?? []) out[k] = b.array;
    return out;
  }

  /** Frees every buffer and takes `loaded` instead. */
  replace(loaded: ReadonlyMap<string, LoadedParamState>): void {
    this.clear();
    for (const [name, { step, arrays }] of loaded) {
      this.map.set(name, { step, buffers: new Map([...arrays].map(([k, a]) => [k, stored(a)])) });
    }
  }

  clear(): void {
    for (const st of this.map.values()) for (const b of st.buffers.values()) b.free();
    this.map.clear();
  }
}
