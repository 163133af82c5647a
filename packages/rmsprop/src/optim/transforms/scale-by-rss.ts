import { filled, withDefaults, type Transform } from './transform.js';

export interface RssOptions {
  eps: number;
  /** ε inside the root, √(s + ε) (Keras, Optax, TensorFlow.js) rather than √s + ε (PyTorch). */
  epsInSqrt: boolean;
  initialAccumulator: number;
}

/** The defaults, those of the Adagrad optimizer (PyTorch's). */
export const rssDefaults: RssOptions = { eps: 1e-10, epsInSqrt: false, initialAccumulator: 0 };

/** Adagrad: divides updates by the root of the running sum of their squares. */
export function scaleByRss(options: Partial<RssOptions> = {}): Transform {
  const o = withDefaults(rssDefaults, options);
  const epsIn = o.epsInSqrt ? o.eps : 0;
  const epsOut = o.epsInSqrt ? 0 : o.eps;
  return {
    init: (param) => ({ sum: filled(param, o.initialAccumulator) }),
    update: (updates, slots) =>
      updates.map((u, k) => {
        const s = slots[k]!.state.sum!;
        const out = new Float32Array(u.length);
        for (let i = 0; i < u.length; i++) {
          const g = u[i]!;
          s[i] = s[i]! + g * g;
          const d = Math.sqrt(s[i]! + epsIn) + epsOut;
          // With ε = 0 an untouched coordinate has 0/0; Optax defines its step as 0.
          out[i] = d > 0 ? g / d : 0;
        }
        return out;
      }),
  };
}
