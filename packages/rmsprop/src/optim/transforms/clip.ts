import { elementwise, scaled, type Transform } from './transform.js';

/** Clamps every element of the update to [−limit, limit]. */
export const clipByValue = (limit: number): Transform => elementwise((u) => Math.min(Math.max(u, -limit), limit));

function sumSquares(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
}

// Keras's form: u·c / max(‖u‖, c), so an update already inside the ball is left exactly as it is.
const factor = (norm: number, maxNorm: number): number => maxNorm / Math.max(norm, maxNorm);
const rescaled = (u: Float32Array, f: number): Float32Array => (f === 1 ? u : scaled(u, f));

/** Rescales each parameter's update so that its L2 norm is at most `maxNorm`. */
export const clipByNorm = (maxNorm: number): Transform => ({
  init: () => ({}),
  update: (updates) => updates.map((u) => rescaled(u, factor(Math.sqrt(sumSquares(u)), maxNorm))),
});

/** Rescales all updates together so that their joint L2 norm is at most `maxNorm`. */
export const clipByGlobalNorm = (maxNorm: number): Transform => ({
  init: () => ({}),
  update(updates) {
    let total = 0;
    for (const u of updates) total += sumSquares(u);
    const f = factor(Math.sqrt(total), maxNorm);
    return updates.map((u) => rescaled(u, f));
  },
});
