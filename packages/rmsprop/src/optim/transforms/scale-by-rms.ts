import { filled, withDefaults, type Transform } from './transform.js';

export interface RmsOptions {
  decay: number;
  eps: number;
  /** ε inside the root, √(v + ε) (Keras, TF1, Optax) rather than √v + ε (PyTorch). */
  epsInSqrt: boolean;
  /** Initial value of the accumulators (TF1 and Optax's `initial_scale`). */
  initialAccumulator: number;
  /** Divide the averages by 1 − decayᵗ (Optax's `bias_correction`). */
  biasCorrection: boolean;
}

/** The defaults, those of the RMSprop optimizer: decay 0.9, ε 1e-8 outside the root. */
export const rmsDefaults: RmsOptions = {
  decay: 0.9,
  eps: 1e-8,
  epsInSqrt: false,
  initialAccumulator: 0,
  biasCorrection: false,
};

/**
 * Divides updates by the root of a moving average of their squares, v ← decay·v + (1−decay)·u²;
 * `centered` also keeps the average ḡ of the updates and divides by the standard deviation √(v − ḡ²),
 * clamped at 0 so round-off never gives NaN (Optax's `scale_by_rms` and `scale_by_stddev`).
 */
export function scaleByRms(options: Partial<RmsOptions> = {}, centered = false): Transform {
  const o = withDefaults(rmsDefaults, options);
  const oneMinusDecay = Math.fround(1 - o.decay);
  const epsIn = o.epsInSqrt ? o.eps : 0;
  const epsOut = o.epsInSqrt ? 0 : o.eps;
  return {
    init: (param) => ({
      squareAvg: filled(param, o.initialAccumulator),
      ...(centered ? { gradAvg: filled(param, 0) } : {}),
    }),
    update: (updates, slots) =>
      updates.map((u, k) => {
        const { state, step } = slots[k]!;
        const v = state.squareAvg!;
        const m = state.gradAvg;
        const correction = o.biasCorrection ? 1 / (1 - o.decay ** step) : 1;
        const out = new Float32Array(u.length);
        for (let i = 0; i < u.length; i++) {
          const g = u[i]!;
          v[i] = v[i]! * o.decay + g * g * oneMinusDecay;
          let w = v[i]! * correction;
          if (m) {
            m[i] = m[i]! * o.decay + g * oneMinusDecay;
            const mh = m[i]! * correction;
            w = Math.max(w - mh * mh, 0);
          }
          out[i] = g / (Math.sqrt(w + epsIn) + epsOut);
        }
        return out;
      }),
  };
}

/** Divides updates by a moving standard deviation √(v − ḡ²) (Optax's `scale_by_stddev`). */
export const scaleByStddev = (o: Partial<RmsOptions> = {}): Transform => scaleByRms(o, true);
