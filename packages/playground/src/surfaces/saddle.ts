import type { Surface } from './surface.js';

/** The saddle x² − y²: the gradient along y vanishes near the ridge, so escaping it is the test. */
export const saddle: Surface = {
  id: 'saddle',
  name: 'Saddle',
  formula: 'x² − y²',
  lesson:
    'Started just off the ridge, the way down (along y) has a tiny gradient: SGD creeps, while dividing by √v makes that tiny gradient a full step.',
  x: [-2, 2],
  y: [-2, 2],
  start: [1.8, 0.01],
  landmarks: [{ at: [0, 0], kind: 'saddle' }],
  lowest: null,
  value: (x, y) => x * x - y * y,
  gradient: (x, y) => [2 * x, -2 * y],
};
