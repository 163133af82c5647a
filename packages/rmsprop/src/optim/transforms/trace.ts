import type { Transform } from './transform.js';

export interface TraceOptions {
  momentum: number;
  /** Fraction of the update kept out of the buffer (PyTorch SGD); the buffer's first value is undamped. */
  dampening: number;
  /** Step along u + momentum·b instead of b (Sutskever et al.'s form, as PyTorch and Optax use it). */
  nesterov: boolean;
}

/** Momentum: b ← momentum·b + (1 − dampening)·u, and the update becomes b (or u + momentum·b). */
export function trace(o: TraceOptions): Transform {
  const damp = Math.fround(1 - o.dampening);
  return {
    buffers: { momentumBuffer: 0 },
    apply(slots) {
      for (const { update, state, created } of slots) {
        const b = state.momentumBuffer!;
        // PyTorch's SGD copies the first gradient into a new buffer without dampening.
        const keep = created.has('momentumBuffer') ? 1 : damp;
        for (let i = 0; i < update.length; i++) {
          const u = update[i]!;
          b[i] = b[i]! * o.momentum + u * keep;
          update[i] = o.nesterov ? u + o.momentum * b[i]! : b[i]!;
        }
      }
    },
  };
}
