import type { Surface } from './surface.js';

/** Himmelblau's function: four minima of value 0, so the start point decides which one a path finds. */
export const himmelblau: Surface = {
  id: 'himmelblau',
  name: 'Himmelblau',
  formula: '(x² + y − 11)² + (x + y² − 7)²',
  lesson: 'Four equal minima: from one start, optimizers with different dynamics settle in different ones.',
  x: [-5, 5],
  y: [-5, 5],
  start: [-0.3, -0.9],
  landmarks: [
    { at: [3, 2], kind: 'minimum' },
    { at: [-2.805118, 3.131312], kind: 'minimum' },
    { at: [-3.77931, -3.283186], kind: 'minimum' },
    { at: [3.584428, -1.848126], kind: 'minimum' },
  ],
  lowest: 0,
  value: (x, y) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
  gradient(x, y) {
    const a = x * x + y - 11;
    const b = x + y * y - 7;
    return [4 * x * a + 2 * b, 2 * a + 4 * y * b];
  },
};
