import { elementwise, type Transform } from './transform.js';

/** Multiplies updates by a constant. */
export const scale = (factor: number): Transform => elementwise((u) => u * factor);

/** The last link of a chain: a step of −lr along the update. */
export const scaleByLearningRate = (lr: number): Transform => scale(-lr);

/** Adds `weightDecay · param` to the update: L2 decay before scaling, decoupled decay after it. */
export const addDecayedWeights = (weightDecay: number): Transform => elementwise((u, p) => u + weightDecay * p);
