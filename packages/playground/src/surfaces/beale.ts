import type { Surface } from './surface.js';

const terms = [1.5, 2.25, 2.625] as const;

/** Beale's function: flat plateaus and sharp ridges, the minimum at (3, 0.5) in a narrow trough. */
export const beale: Surface = {
  id: 'beale',
  name: 'Beale',
  formula: '(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
  lesson:
    'Gradients that differ by orders of magnitude between the plateau and the ridges: a fixed step is too big on one and too small on the other.',
  x: [-4.5, 4.5],
  y: [-4.5, 4.5],
  start: [1, 1.5],
  landmarks: [{ at: [3, 0.5], kind: 'minimum' }],
  lowest: 0,
  value: (x, y) => terms.reduce((s, c, i) => s + (c - x + x * y ** (i + 1)) ** 2, 0),
  gradient(x, y) {
    let gx = 0;
    let gy = 0;
    terms.forEach((c, i) => {
      const k = i + 1;
      const r = c - x + x * y ** k;
      gx += 2 * r * (y ** k - 1);
      gy += 2 * r * k * x * y ** (k - 1);
    });
    return [gx, gy];
  },
};
