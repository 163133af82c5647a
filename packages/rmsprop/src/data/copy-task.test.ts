import { describe, expect, it } from 'vitest';
import { copyTask } from './index.js';

describe('copyTask', () => {
  it('shows S symbols, waits, and asks them back after the delimiter', () => {
    const [T, S, A] = [6, 3, 4];
    const ds = copyTask({ size: 50, delay: T, symbols: S, alphabet: A, seed: 2 });
    const [L, C] = [T + 2 * S, A + 2];
    expect([ds.length, ds.xShape, ds.xDtype, ds.yShape, ds.yDtype]).toEqual([50, [L, C], 'float32', [L], 'int32']);
    for (let n = 0; n < ds.length; n++) {
      const input = Array.from({ length: L }, (_, t) => {
        const row = Array.from(ds.x.subarray((n * L + t) * C, (n * L + t + 1) * C));
        expect(row.filter((v) => v === 1).length).toBe(1); // one-hot
        return row.indexOf(1);
      });
      const target = Array.from(ds.y.subarray(n * L, (n + 1) * L));
      const symbols = input.slice(0, S);
      expect(symbols.every((s) => s >= 1 && s <= A)).toBe(true);
      expect(input.slice(S)).toEqual([...new Array<number>(T - 1).fill(0), A + 1, ...new Array<number>(S).fill(0)]);
      expect(target).toEqual([...new Array<number>(T + S).fill(0), ...symbols]);
    }
  });

  it('is the same for the same seed and differs for another', () => {
    expect(copyTask({ size: 10, delay: 5, seed: 1 }).y).toEqual(copyTask({ size: 10, delay: 5, seed: 1 }).y);
    expect(copyTask({ size: 10, delay: 5, seed: 2 }).y).not.toEqual(copyTask({ size: 10, delay: 5, seed: 1 }).y);
    expect(copyTask({ size: 1 }).xShape).toEqual([120, 10]); // Arjovsky et al.'s T = 100
  });

  it('rejects a delay below 1', () => {
    expect(() => copyTask({ size: 1, delay: 0 })).toThrow('copyTask: delay must be an integer ≥ 1, got 0');
  });
});
