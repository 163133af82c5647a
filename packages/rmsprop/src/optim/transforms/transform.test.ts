import { describe, expect, it } from 'vitest';
import {
  chain,
  clipByGlobalNorm,
  clipByNorm,
  clipByValue,
  scaleByLearningRate,
  scaleByRms,
  scaleBySchedule,
  trace,
  type Slot,
} from './index.js';

const slot = (size: number, state: Record<string, Float32Array> = {}, step = 1): Slot => ({
  name: 'x',
  param: new Float32Array(size),
  state,
  created: new Set(),
  step,
});
const updates = (...xs: number[][]): Float32Array[] => xs.map((x) => Float32Array.from(x));
const rounded = (a: Float32Array[]): number[][] => a.map((u) => Array.from(u, (x) => +x.toFixed(6)));

describe('transforms', () => {
  it('chain refuses two buffers of one name', () => {
    const m = trace({ momentum: 0.9, dampening: 0, nesterov: false });
    expect(() => chain(m, m)).toThrow("chain: two transforms keep a buffer named 'momentumBuffer'");
  });

  it('init makes each named buffer at its start value, and a chain merges them', () => {
    const t = chain(scaleByRms({ initialAccumulator: 1 }, true), trace({ momentum: 0.9 }));
    const state = t.init(new Float32Array(3));
    expect(Object.keys(state).sort()).toEqual(['gradAvg', 'momentumBuffer', 'squareAvg']);
    expect(Array.from(state.squareAvg!)).toEqual([1, 1, 1]);
    expect(Array.from(state.momentumBuffer!)).toEqual([0, 0, 0]);
  });

  it('clip by value, by norm and by global norm', () => {
    expect(rounded(clipByValue(1).update(updates([3, -4]), [slot(2)]))).toEqual([[1, -1]]);
    expect(rounded(clipByNorm(1).update(updates([3, 4]), [slot(2)]))).toEqual([[0.6, 0.8]]);
    const two = [slot(1), slot(1)];
    expect(rounded(clipByGlobalNorm(10).update(updates([3], [4]), two))).toEqual([[3], [4]]);
    expect(rounded(clipByGlobalNorm(1).update(updates([3], [4]), two))).toEqual([[0.6], [0.8]]);
  });

  it('leaves the updates it is given unchanged', () => {
    const given = updates([3, -4]);
    const t = chain(clipByValue(1), scaleByRms(), trace({ momentum: 0.9 }), scaleByLearningRate(0.1));
    const s = slot(2, t.init(new Float32Array(2)));
    t.update(given, [s]);
    expect(Array.from(given[0]!)).toEqual([3, -4]);
  });

  it('scale by RMS never divides by a negative variance', () => {
    const s = slot(1, { squareAvg: Float32Array.of(0), gradAvg: Float32Array.of(1e-3) });
    const [u] = scaleByRms({ decay: 0, eps: 1e-8 }, true).update(updates([1e-3]), [s]);
    expect(Number.isFinite(u![0])).toBe(true);
  });

  it("scaleByLearningRate's rate is read at each update, and a chain exposes it", () => {
    const lr = scaleByLearningRate(0.5);
    const t = chain(clipByValue(10), lr);
    expect(t.learningRate).toBe(lr);
    expect(Array.from(t.update(updates([2]), [slot(1)])[0]!)).toEqual([-1]);
    lr.lr = 0.25;
    expect(Array.from(t.update(updates([2]), [slot(1)])[0]!)).toEqual([-0.5]);
    lr.lr = (step) => step; // a schedule of the parameter's earlier updates
    expect(Array.from(t.update(updates([2]), [slot(1, {}, 4)])[0]!)).toEqual([-6]);
  });
});

describe('scaleBySchedule', () => {
  it("multiplies by the schedule at the parameter's step", () => {
    const [u] = scaleBySchedule((t) => t * 10).update(updates([2]), [slot(1, {}, 3)]);
    expect(u![0]).toBe(40);
  });
});
