import { filled, withDefaults, type Transform } from './transform.js';

export interface AdadeltaMomentOptions {
  /** ρ of both running averages. */
  decay: number;
  eps: number;
}

/** The defaults, those of the Adadelta optimizer (PyTorch's ρ and ε). */
export const adadeltaDefaults: AdadeltaMomentOptions = { decay: 0.9, eps: 1e-6 };

/** Adadelta (Zeiler 2012): u = √(a + ε)/√(v + ε)·g with running averages v of g² and a of u². */
export function scaleByAdadelta(options: Partial<AdadeltaMomentOptions> = {}): Transform {
  const o = withDefaults(adadeltaDefaults, options);
  const oneMinusDecay = Math.fround(1 - o.decay);
  return {
    init: (param) => ({ squareAvg: filled(param, 0), accDelta: filled(param, 0) }),
    update: (updates, slots) =>
      updates.map((u, k) => {
        const { squareAvg: v, accDelta: a } = slots[k]!.state;
        const out = new Float32Array(u.length);
        for (let i = 0; i < u.length; i++) {
          const g = u[i]!;
          v![i] = v![i]! * o.decay + g * g * oneMinusDecay;
          const delta = (Math.sqrt(a![i]! + o.eps) / Math.sqrt(v![i]! + o.eps)) * g;
          a![i] = a![i]! * o.decay + delta * delta * oneMinusDecay;
          out[i] = delta;
        }
        return out;
      }),
  };
}
