import { describe, expect, it } from 'vitest';
import { addingProblem } from './index.js';

describe('addingProblem', () => {
  it('has T steps of [value, marker] with one marker in each half, and the marked sum as target', () => {
    const T = 11;
    const ds = addingProblem({ size: 200, seqLength: T, seed: 5 });
    expect([ds.length, ds.xShape, ds.xDtype, ds.yShape, ds.yDtype]).toEqual([200, [T, 2], 'float32', [1], 'float32']);
    for (let n = 0; n < ds.length; n++) {
      const steps = Array.from({ length: T }, (_, t) => [ds.x[(n * T + t) * 2]!, ds.x[(n * T + t) * 2 + 1]!]);
      expect(steps.every(([v]) => v! >= 0 && v! < 1)).toBe(true);
      const marked = steps.flatMap(([, m], t) => (m === 1 ? [t] : []));
      expect(steps.filter(([, m]) => m !== 0 && m !== 1)).toEqual([]);
      expect(marked.length).toBe(2);
      expect(marked[0]).toBeLessThan(5);
      expect(marked[1]).toBeGreaterThanOrEqual(5);
      expect(ds.y[n]).toBeCloseTo(steps[marked[0]!]![0]! + steps[marked[1]!]![0]!, 6);
    }
  });

  it('is the same for the same seed and differs for another', () => {
    const make = (seed: number) => addingProblem({ size: 20, seqLength: 30, seed });
    expect(make(1).x).toEqual(make(1).x);
    expect(make(1).y).toEqual(make(1).y);
    expect(make(2).x).not.toEqual(make(1).x);
  });

  it('rejects a sequence too short for two markers', () => {
    expect(() => addingProblem({ size: 1, seqLength: 1 })).toThrow(
      'addingProblem: seqLength must be an integer ≥ 2, got 1',
    );
  });
});
