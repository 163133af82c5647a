/**
 * One parameter as a transform sees it. `update` starts as a copy of the gradient; each transform of a
 * chain rewrites it in place, and the optimizer adds the final `update` to `param` (Optax's convention:
 * the chain ends with a scale by −lr).
 */
export interface Slot {
  readonly name: string;
  readonly param: Float32Array;
  readonly update: Float32Array;
  /** This parameter's buffers, by name (`squareAvg`, `momentumBuffer`, …). */
  readonly state: Readonly<Record<string, Float32Array>>;
  /** Names of buffers created for this step: PyTorch starts some of them from the first gradient. */
  readonly created: ReadonlySet<string>;
  /** How many updates this parameter has had, this one included (1 on the first step). */
  readonly step: number;
}

/** A gradient transformation in the manner of Optax: per-parameter buffers plus an in-place update. */
export interface Transform {
  /** The per-parameter buffers this transform keeps: name → initial value of every element. */
  readonly buffers: Readonly<Record<string, number>>;
  apply(slots: readonly Slot[]): void;
}

/** Runs transforms one after another; their buffers must have distinct names. */
export function chain(...transforms: Transform[]): Transform {
  const buffers: Record<string, number> = {};
  for (const t of transforms) {
    for (const [name, init] of Object.entries(t.buffers)) {
      if (name in buffers) throw new Error(`chain: two transforms keep a buffer named '${name}'`);
      buffers[name] = init;
    }
  }
  return {
    buffers,
    apply(slots) {
      for (const t of transforms) t.apply(slots);
    },
  };
}

/** A transform with no buffers that maps every element of every update. */
export function elementwise(f: (u: number, p: number) => number): Transform {
  return {
    buffers: {},
    apply(slots) {
      for (const { update, param } of slots) {
        for (let i = 0; i < update.length; i++) update[i] = f(update[i]!, param[i]!);
      }
    },
  };
}
