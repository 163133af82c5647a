import type { Schedule } from '../schedules/schedule.js';
import { elementwise, scaled, type Transform } from './transform.js';

/** Multiplies updates by a constant. */
export const scale = (factor: number): Transform => elementwise((u) => u * factor);

/** A transform whose learning rate an optimizer can read and set (`ChainOptimizer.lr`). */
export interface LearningRateTransform extends Transform {
  lr: number | Schedule;
}

/**
 * The last link of a chain: a step of −lr along the update. A schedule is evaluated at the number of
 * earlier updates of each parameter (the optimizer's step count when every step updates every parameter).
 */
export function scaleByLearningRate(lr: number | Schedule): LearningRateTransform {
  return {
    lr,
    init: () => ({}),
    update(updates, slots) {
      const rate = this.lr;
      return updates.map((u, k) => {
        const f = -(typeof rate === 'number' ? rate : rate(slots[k]!.step - 1));
        return scaled(u, f);
      });
    },
  };
}

/** Adds `weightDecay · param` to the update: L2 decay before scaling, decoupled decay after it. */
export const addDecayedWeights = (weightDecay: number): Transform => elementwise((u, p) => u + weightDecay * p);

/** Multiplies each update by `schedule(t)`, t counting this parameter's earlier updates (Optax's `scale_by_schedule`). */
export const scaleBySchedule = (schedule: Schedule): Transform => ({
  init: () => ({}),
  update: (updates, slots) =>
    updates.map((u, k) => {
      const factor = schedule(slots[k]!.step - 1);
      return scaled(u, factor);
    }),
});
