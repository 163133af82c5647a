import type { Transform } from './transform.js';

export interface RssOptions {
  eps: number;
  /** ε inside the root, √(s + ε) (Keras, Optax, TensorFlow.js) rather than √s + ε (PyTorch). */
  epsInSqrt: boolean;
  initialAccumulator: number;
}

/** Adagrad: divides updates by the root of the running sum of their squares. */
export function scaleByRss(o: RssOptions): Transform {
  const epsIn = o.epsInSqrt ? o.eps : 0;
  const epsOut = o.epsInSqrt ? 0 : o.eps;
  return {
    buffers: { sum: o.initialAccumulator },
    apply(slots) {
      for (const { update, state } of slots) {
        const s = state.sum!;
        for (let i = 0; i < update.length; i++) {
          const g = update[i]!;
          s[i] = s[i]! + g * g;
          const d = Math.sqrt(s[i]! + epsIn) + epsOut;
          // With ε = 0 an untouched coordinate has 0/0; Optax defines its step as 0.
          update[i] = d > 0 ? g / d : 0;
        }
      }
    },
  };
}
