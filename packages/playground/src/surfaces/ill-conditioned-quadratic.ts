import type { Surface } from './surface.js';

/** The curvature along y over that along x: the condition number of the Hessian. */
export const CONDITION = 50;

/** ½(x² + κy²) with κ = 50: a long narrow bowl aligned with the axes. */
export const illConditionedQuadratic: Surface = {
  id: 'quadratic',
  name: 'Ill-conditioned quadratic',
  formula: `½ (x² + ${CONDITION} y²)`,
  lesson: `Curvature ${CONDITION}× larger along y: a step small enough for y crawls along x. A per-coordinate step (RMSProp, Adam, Adagrad) evens the axes out.`,
  x: [-3, 3],
  y: [-3, 3],
  start: [-2.8, 2.2],
  landmarks: [{ at: [0, 0], kind: 'minimum' }],
  lowest: 0,
  value: (x, y) => 0.5 * (x * x + CONDITION * y * y),
  gradient: (x, y) => [x, CONDITION * y],
};
