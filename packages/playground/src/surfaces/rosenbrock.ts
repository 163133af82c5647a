import type { Surface } from './surface.js';

/** Rosenbrock's banana valley (a = 1, b = 100): easy to find, slow to follow to its end at (1, 1). */
export const rosenbrock: Surface = {
  id: 'rosenbrock',
  name: 'Rosenbrock',
  formula: '(1 − x)² + 100 (y − x²)²',
  lesson:
    'A steep-walled curved valley: the gradient points across it, so plain steps zigzag while the minimum is far along it.',
  x: [-2, 2],
  y: [-1, 3],
  start: [-1.5, 2],
  landmarks: [{ at: [1, 1], kind: 'minimum' }],
  lowest: 0,
  value: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  gradient: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
};
