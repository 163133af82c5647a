import { filled, withDefaults, type Transform } from './transform.js';

export interface TraceOptions {
  momentum: number;
  /** Fraction of the update kept out of the buffer (PyTorch SGD); the buffer's first value is undamped. */
  dampening: number;
  /** Step along u + momentum·b instead of b (Sutskever et al.'s form, as PyTorch and Optax use it). */
  nesterov: boolean;
}

/** Momentum: b ← momentum·b + (1 − dampening)·u, and the update becomes b (or u + momentum·b). */
export function trace(options: Partial<TraceOptions> & { momentum: number }): Transform {
  const o = withDefaults({ momentum: options.momentum, dampening: 0, nesterov: false }, options);
  const damp = Math.fround(1 - o.dampening);
  return {
    init: (param) => ({ momentumBuffer: filled(param, 0) }),
    update: (updates, slots) =>
      updates.map((u, k) => {
        const { state, created } = slots[k]!;
        const b = state.momentumBuffer!;
        // PyTorch's SGD copies the first gradient into a new buffer without dampening.
        const keep = created.has('momentumBuffer') ? 1 : damp;
        const out = new Float32Array(u.length);
        for (let i = 0; i < u.length; i++) {
          b[i] = b[i]! * o.momentum + u[i]! * keep;
          out[i] = o.nesterov ? u[i]! + o.momentum * b[i]! : b[i]!;
        }
        return out;
      }),
  };
}
