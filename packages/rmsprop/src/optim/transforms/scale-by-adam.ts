import { filled, withDefaults, type Transform } from './transform.js';

export interface AdamMomentOptions {
  beta1: number;
  beta2: number;
  /** Added to the root of the second moment. */
  eps: number;
  /** Added inside the root (Optax's `eps_root`). */
  epsRoot: number;
  /** ε is added to √v before bias correction, Kingma & Ba's ε̂ (Keras, TF1, TensorFlow.js). */
  epsHat: boolean;
  amsgrad: boolean;
  /** Nesterov momentum in Optax's form (Dozat 2016): m̂ = β1·m/(1 − β1ᵗ⁺¹) + (1 − β1)·g/(1 − β1ᵗ). */
  nesterov: boolean;
  /** AMSGrad keeps the maximum of the bias-corrected v̂ (Optax) rather than of the raw v (PyTorch, Keras). */
  amsgradCorrected: boolean;
}

/** The defaults, those of the Adam optimizer (PyTorch's). */
export const adamMomentDefaults: AdamMomentOptions = {
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  epsRoot: 0,
  epsHat: false,
  amsgrad: false,
  nesterov: false,
  amsgradCorrected: false,
};

/** The coefficients both the reference and the fused kernel use at a given step. */
export function adamCoefficients(o: AdamMomentOptions, step: number) {
  const bc1 = 1 - o.beta1 ** step;
  const bc2 = 1 - o.beta2 ** step;
  const correctV = o.epsHat ? 1 : 1 / bc2;
  // Kingma & Ba's ε̂ form folds √(1 − β2ᵗ) into the step instead of dividing v by it.
  const hat = o.epsHat ? Math.sqrt(bc2) : 1;
  return {
    /** Factor on v before the AMSGrad maximum. */
    vScale: o.amsgradCorrected ? correctV : 1,
    /** Factor after it. */
    wScale: o.amsgradCorrected ? 1 : correctV,
    /** Factors on m and on g in the numerator. */
    mScale: (o.nesterov ? o.beta1 / (1 - o.beta1 ** (step + 1)) : 1 / bc1) * hat,
    gMix: o.nesterov ? ((1 - o.beta1) / bc1) * hat : 0,
  };
}

/** Adam's moments: u = m̂ / (√(v̂ + epsRoot) + eps) with bias-corrected m̂, v̂ (and AMSGrad's maximum). */
export function scaleByAdam(options: Partial<AdamMomentOptions> = {}): Transform {
  const o = withDefaults(adamMomentDefaults, options);
  const ob1 = Math.fround(1 - o.beta1);
  const ob2 = Math.fround(1 - o.beta2);
  return {
    init: (param) => ({
      expAvg: filled(param, 0),
      expAvgSq: filled(param, 0),
      ...(o.amsgrad ? { maxExpAvgSq: filled(param, 0) } : {}),
    }),
    update: (updates, slots) =>
      updates.map((u, k) => {
        const { state, step } = slots[k]!;
        const { vScale, wScale, mScale, gMix } = adamCoefficients(o, step);
        const m = state.expAvg!;
        const v = state.expAvgSq!;
        const vmax = state.maxExpAvgSq;
        const out = new Float32Array(u.length);
        for (let i = 0; i < u.length; i++) {
          const g = u[i]!;
          m[i] = m[i]! * o.beta1 + g * ob1;
          v[i] = v[i]! * o.beta2 + g * g * ob2;
          let w = v[i]! * vScale;
          if (vmax) w = vmax[i] = Math.max(vmax[i]!, w);
          out[i] = (m[i]! * mScale + g * gMix) / (Math.sqrt(w * wScale + o.epsRoot) + o.eps);
        }
        return out;
      }),
  };
}
