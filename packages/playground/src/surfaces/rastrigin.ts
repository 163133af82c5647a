import type { Surface } from './surface.js';

const TWO_PI = 2 * Math.PI;

/** Rastrigin's function: a bowl covered in a regular grid of local minima, the global one at (0, 0). */
export const rastrigin: Surface = {
  id: 'rastrigin',
  name: 'Rastrigin',
  formula: '20 + x² − 10 cos 2πx + y² − 10 cos 2πy',
  lesson: 'Many local minima: small steps stop in the nearest one, momentum and noise can carry a path over the bumps.',
  x: [-5.12, 5.12],
  y: [-5.12, 5.12],
  start: [4.2, 3.3],
  landmarks: [{ at: [0, 0], kind: 'minimum' }],
  lowest: 0,
  value: (x, y) => 20 + x * x - 10 * Math.cos(TWO_PI * x) + y * y - 10 * Math.cos(TWO_PI * y),
  gradient: (x, y) => [2 * x + 20 * Math.PI * Math.sin(TWO_PI * x), 2 * y + 20 * Math.PI * Math.sin(TWO_PI * y)],
};
