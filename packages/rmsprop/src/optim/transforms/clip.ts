import { elementwise, type Slot, type Transform } from './transform.js';

/** Clamps every element of the update to [−limit, limit]. */
export const clipByValue = (limit: number): Transform => elementwise((u) => Math.min(Math.max(u, -limit), limit));

function sumSquares(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
}

function rescale(slots: readonly Slot[], norm: number, maxNorm: number): void {
  // Keras's form: u·c / max(‖u‖, c), so an update already inside the ball is left exactly as it is.
  const factor = maxNorm / Math.max(norm, maxNorm);
  if (factor === 1) return;
  for (const { update } of slots) for (let i = 0; i < update.length; i++) update[i]! *= factor;
}

/** Rescales each parameter's update so that its L2 norm is at most `maxNorm`. */
export const clipByNorm = (maxNorm: number): Transform => ({
  buffers: {},
  apply(slots) {
    for (const slot of slots) rescale([slot], Math.sqrt(sumSquares(slot.update)), maxNorm);
  },
});

/** Rescales all updates together so that their joint L2 norm is at most `maxNorm`. */
export const clipByGlobalNorm = (maxNorm: number): Transform => ({
  buffers: {},
  apply(slots) {
    let total = 0;
    for (const { update } of slots) total += sumSquares(update);
    rescale(slots, Math.sqrt(total), maxNorm);
  },
});
