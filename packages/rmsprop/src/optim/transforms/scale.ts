import type { Schedule } from '../schedules/schedule.js';
import { elementwise, type Transform } from './transform.js';

/** Multiplies updates by a constant. */
export const scale = (factor: number): Transform => elementwise((u) => u * factor);

/** The last link of a chain: a step of −lr along the update. */
export const scaleByLearningRate = (lr: number): Transform => scale(-lr);

/** Adds `weightDecay · param` to the update: L2 decay before scaling, decoupled decay after it. */
export const addDecayedWeights = (weightDecay: number): Transform => elementwise((u, p) => u + weightDecay * p);

/** Multiplies each update by `schedule(t)`, t counting this parameter's earlier updates (Optax's `scale_by_schedule`). */
export const scaleBySchedule = (schedule: Schedule): Transform => ({
  buffers: {},
  apply(slots) {
    for (const { update, step } of slots) {
      const factor = schedule(step - 1);
      for (let i = 0; i < update.length; i++) update[i]! *= factor;
    }
  },
});
