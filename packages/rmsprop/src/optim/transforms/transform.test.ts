import { describe, expect, it } from 'vitest';
import {
  chain,
  clipByGlobalNorm,
  clipByNorm,
  clipByValue,
  scaleByRms,
  scaleBySchedule,
  trace,
  type Slot,
} from './index.js';

const slot = (update: number[], state: Record<string, Float32Array> = {}): Slot => ({
  name: 'x',
  param: new Float32Array(update.length),
  update: Float32Array.from(update),
  state,
  created: new Set(),
  step: 1,
});

describe('transforms', () => {
  it('chain refuses two buffers of one name', () => {
    const m = trace({ momentum: 0.9, dampening: 0, nesterov: false });
    expect(() => chain(m, m)).toThrow("chain: two transforms keep a buffer named 'momentumBuffer'");
  });
  it('clip by value, by norm and by global norm', () => {
    const a = slot([3, -4]);
    clipByValue(1).apply([a]);
    expect(Array.from(a.update)).toEqual([1, -1]);
    const b = slot([3, 4]);
    clipByNorm(1).apply([b]);
    expect(Array.from(b.update).map((x) => +x.toFixed(6))).toEqual([0.6, 0.8]);
    const c = [slot([3]), slot([4])];
    clipByGlobalNorm(10).apply(c);
    expect(c.map((s) => s.update[0])).toEqual([3, 4]);
    clipByGlobalNorm(1).apply(c);
    expect(c.map((s) => +s.update[0]!.toFixed(6))).toEqual([0.6, 0.8]);
  });
  it('scale by RMS never divides by a negative variance', () => {
    const s = slot([1e-3], { squareAvg: Float32Array.of(0), gradAvg: Float32Array.of(1e-3) });
    scaleByRms({ decay: 0, eps: 1e-8, epsInSqrt: false, initialAccumulator: 0, biasCorrection: false }, true).apply([
      s,
    ]);
    expect(Number.isFinite(s.update[0])).toBe(true);
  });
});

describe('scaleBySchedule', () => {
  it("multiplies by the schedule at the parameter's step", () => {
    const s = { ...slot([2]), step: 3 };
    scaleBySchedule((t) => t * 10).apply([s]);
    expect(s.update[0]).toBe(40);
  });
});
