import type { Transform } from './transform.js';

/** Adadelta (Zeiler 2012): u = √(a + ε)/√(v + ε)·g with running averages v of g² and a of u². */
export function scaleByAdadelta(o: { decay: number; eps: number }): Transform {
  const oneMinusDecay = Math.fround(1 - o.decay);
  return {
    buffers: { squareAvg: 0, accDelta: 0 },
    apply(slots) {
      for (const { update, state } of slots) {
        const v = state.squareAvg!;
        const a = state.accDelta!;
        for (let i = 0; i < update.length; i++) {
          const g = update[i]!;
          v[i] = v[i]! * o.decay + g * g * oneMinusDecay;
          const delta = (Math.sqrt(a[i]! + o.eps) / Math.sqrt(v[i]! + o.eps)) * g;
          a[i] = a[i]! * o.decay + delta * delta * oneMinusDecay;
          update[i] = delta;
        }
      }
    },
  };
}
