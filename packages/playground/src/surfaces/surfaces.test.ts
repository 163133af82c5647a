import { describe, expect, it } from 'vitest';
import { surfaces, surfaceById } from './surfaces.js';

/** A grid of n × n points over the surface's map, inner points only (away from the edges). */
function grid(s: (typeof surfaces)[number], n: number): [number, number][] {
  const points: [number, number][] = [];
  for (let i = 1; i < n; i++)
    for (let j = 1; j < n; j++)
      points.push([s.x[0] + ((s.x[1] - s.x[0]) * i) / n, s.y[0] + ((s.y[1] - s.y[0]) * j) / n]);
  return points;
}

describe.each(surfaces.map((s) => [s.id, s] as const))('%s', (_, s) => {
  it('has an analytic gradient equal to central finite differences', () => {
    for (const [x, y] of grid(s, 9)) {
      const h = 1e-6;
      const fx = (s.value(x + h, y) - s.value(x - h, y)) / (2 * h);
      const fy = (s.value(x, y + h) - s.value(x, y - h)) / (2 * h);
      const [gx, gy] = s.gradient(x, y);
      const tolerance = (g: number) => 1e-6 * Math.max(1, Math.abs(g));
      expect(Math.abs(gx - fx)).toBeLessThan(tolerance(gx));
      expect(Math.abs(gy - fy)).toBeLessThan(tolerance(gy));
    }
  });

  it('has a zero gradient at each landmark, and its lowest value at each minimum', () => {
    for (const { at, kind } of s.landmarks) {
      const [gx, gy] = s.gradient(...at);
      expect(Math.hypot(gx, gy)).toBeLessThan(1e-4);
      if (kind === 'minimum') expect(s.value(...at)).toBeCloseTo(s.lowest!, 9);
    }
  });

  it('takes no value below its lowest on the map', () => {
    const values = grid(s, 200).map(([x, y]) => s.value(x, y));
    if (s.lowest === null) expect(Math.min(...values)).toBeLessThan(-1);
    else expect(Math.min(...values)).toBeGreaterThanOrEqual(s.lowest - 1e-12);
  });

  it('shows its start and its landmarks inside the map', () => {
    for (const [x, y] of [s.start, ...s.landmarks.map((l) => l.at)]) {
      expect(x).toBeGreaterThanOrEqual(s.x[0]);
      expect(x).toBeLessThanOrEqual(s.x[1]);
      expect(y).toBeGreaterThanOrEqual(s.y[0]);
      expect(y).toBeLessThanOrEqual(s.y[1]);
    }
  });
});

describe('surfaces', () => {
  it('are found by their URL key, and the keys are unique', () => {
    expect(new Set(surfaces.map((s) => s.id)).size).toBe(surfaces.length);
    for (const s of surfaces) expect(surfaceById(s.id)).toBe(s);
    expect(surfaceById('nope')).toBeUndefined();
  });

  it('place the saddle point of x² − y² where the Hessian is indefinite', () => {
    const s = surfaceById('saddle')!;
    const h = 1e-3;
    const [x0, y0] = s.landmarks[0]!.at;
    const curvature = (dx: number, dy: number) =>
      (s.value(x0 + dx, y0 + dy) - 2 * s.value(x0, y0) + s.value(x0 - dx, y0 - dy)) / (h * h);
    expect(curvature(h, 0)).toBeGreaterThan(0);
    expect(curvature(0, h)).toBeLessThan(0);
  });
});
