import { RMSprop } from 'rmsprop/optim';
import { describe, expect, it } from 'vitest';
import { configure, kindById } from './optimizer-kinds.js';
import { surfaceById } from './surfaces/surfaces.js';
import { trajectory, type Run } from './trajectory.js';

const rosenbrock = surfaceById('rosenbrock')!;
const rmsprop = kindById('rmsprop')!;
const run: Run = { surface: rosenbrock, start: [-1.5, 2], steps: 1000, noise: 0, seed: 0 };

describe('trajectory', () => {
  it('follows exactly the path of the library optimizer on a Float32Array', () => {
    const t = trajectory(configure(rmsprop, { lr: 0.01, momentum: 0.5 }), { ...run, steps: 50 });
    const p = Float32Array.of(-1.5, 2);
    const opt = new RMSprop({ w: p }, { lr: 0.01, momentum: 0.5 });
    for (let i = 1; i <= 50; i++) {
      opt.step({ w: Float32Array.from(rosenbrock.gradient(p[0]!, p[1]!)) });
      expect([t.x[i], t.y[i]]).toEqual([p[0], p[1]]);
    }
    expect(t.taken).toBe(50);
    expect(t.stopped).toBeNull();
  });

  it('brings RMSProp with momentum to the minimum of Rosenbrock', () => {
    const t = trajectory(configure(rmsprop, { lr: 0.001, momentum: 0.9 }), run);
    expect(t.x[1000]).toBeCloseTo(1, 2);
    expect(t.y[1000]).toBeCloseTo(1, 2);
    expect(t.loss[1000]).toBeLessThan(1e-4);
    expect(t.loss[0]).toBeCloseTo(rosenbrock.value(-1.5, 2), 4);
  });

  it('records each step’s effective step size, which grows where the gradient is small', () => {
    const saddle = surfaceById('saddle')!;
    const t = trajectory(configure(rmsprop, { lr: 0.01 }), { ...run, surface: saddle, start: [1.5, 1e-3], steps: 5 });
    expect(Number.isNaN(t.effectiveX[0])).toBe(true);
    // |∂f/∂y| = 2·10⁻³ against |∂f/∂x| = 3: the y coordinate's step is about 1500 times larger.
    expect(t.effectiveY[1]! / t.effectiveX[1]!).toBeGreaterThan(1000);
  });

  it('stops a path that leaves the map far behind, and says so', () => {
    const saddle = surfaceById('saddle')!;
    const t = trajectory(configure(rmsprop, { lr: 0.1 }), { ...run, surface: saddle, start: [1, 0.5] });
    expect(t.taken).toBeLessThan(1000);
    expect(t.stopped).toBe('left the map');
    expect(Math.abs(t.y[t.taken]!)).toBeGreaterThan(2);
  });

  it('reports an option the library refuses instead of a path', () => {
    const t = trajectory(configure(rmsprop, { nesterov: true }), run);
    expect(t.taken).toBe(0);
    expect(t.stopped).toMatch(/nesterov/);
  });

  it('draws the same gradient noise for every optimizer from the same seed', () => {
    const noisy = { ...run, noise: 5, steps: 30 };
    const a = trajectory(configure(rmsprop, { lr: 0.01 }), noisy);
    const b = trajectory(configure(rmsprop, { lr: 0.01 }), noisy);
    const c = trajectory(configure(rmsprop, { lr: 0.01 }), { ...noisy, seed: 1 });
    const exact = trajectory(configure(rmsprop, { lr: 0.01 }), { ...noisy, noise: 0 });
    expect(a.x).toEqual(b.x);
    expect(a.x).not.toEqual(c.x);
    expect(a.x).not.toEqual(exact.x);
  });
});
