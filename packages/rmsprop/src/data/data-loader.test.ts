import { describe, expect, it } from 'vitest';
import { heap } from '../kernels/index.js';
import { Generator } from '../tensor/random.js';
import { scope } from '../tensor/scope.js';
import { ArrayDataset, DataLoader, range, subset, type Batch } from './index.js';

/** n examples whose input is [i, −i] and whose label is i. */
const numbered = (n: number): ArrayDataset =>
  new ArrayDataset({
    x: Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 ? -1 : 1) * Math.floor(k / 2)),
    xShape: [2],
    y: Int32Array.from({ length: n }, (_, i) => i),
    yShape: [],
  });

/** The labels of each batch of one epoch. */
const epoch = (loader: DataLoader): number[][] =>
  [...loader].map((b) =>
    scope(() => {
      const labels = Array.from(b.y.ints);
      expect(Array.from(b.x.data.filter((_, k) => k % 2 === 0))).toEqual(labels); // inputs match labels
      return labels;
    }),
  );

describe('DataLoader', () => {
  it('covers every example exactly once per epoch, in a new order each epoch', () => {
    const loader = new DataLoader(numbered(103), { batchSize: 10, seed: 1 });
    const [first, second] = [epoch(loader), epoch(loader)];
    for (const e of [first, second]) {
      expect(e.length).toBe(11);
      expect(e.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
    }
    expect(second.flat()).not.toEqual(first.flat());
    expect(first.flat()).not.toEqual(Array.from({ length: 103 }, (_, i) => i));
  });

  it('gives the same order for the same seed and another for another seed', () => {
    const orders = (o: { seed?: number; generator?: Generator }): number[] => {
      const loader = new DataLoader(numbered(50), { batchSize: 7, ...o });
      return [...epoch(loader), ...epoch(loader)].flat();
    };
    expect(orders({ seed: 3 })).toEqual(orders({ seed: 3 }));
    expect(orders({ generator: new Generator(3) })).toEqual(orders({ seed: 3 }));
    expect(orders({ seed: 4 })).not.toEqual(orders({ seed: 3 }));
  });

  it('keeps the order without shuffle, and makes the last batch partial', () => {
    const loader = new DataLoader(numbered(10), { batchSize: 4, shuffle: false });
    expect(loader.length).toBe(3);
    expect(epoch(loader)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    const last = [...loader].at(-1)!;
    scope(() => {
      expect(last.x.shape).toEqual([2, 2]);
      expect(Array.from(last.x.data)).toEqual([8, -8, 9, -9]);
      expect(last.y.shape).toEqual([2]);
    });
  });

  it('drops the last partial batch with dropLast', () => {
    const loader = new DataLoader(numbered(10), { batchSize: 4, dropLast: true, seed: 0 });
    expect(loader.length).toBe(2);
    const e = epoch(loader);
    expect(e.map((b) => b.length)).toEqual([4, 4]);
    expect(new Set(e.flat()).size).toBe(8);
    expect(new DataLoader(numbered(8), { batchSize: 4, dropLast: true }).length).toBe(2);
    expect(new DataLoader(numbered(3), { batchSize: 4, dropLast: true }).length).toBe(0);
  });

  it('frees each batch with the scope of its step: no memory growth over epochs', () => {
    const loader = new DataLoader(numbered(1000), { batchSize: 32, seed: 0 });
    const step = (b: Batch): number => scope(() => b.x.data[0]! + b.y.ints[0]!);
    for (const b of loader) step(b); // warm up
    const before = heap!.inUse;
    for (let e = 0; e < 3; e++) {
      for (const b of loader) {
        step(b);
        expect(heap!.inUse).toBe(before);
      }
    }
    // Batches first read in an enclosing scope are freed when it closes.
    scope(() => {
      for (const b of loader) expect(b.x.shape[1]).toBe(2);
      expect(heap!.inUse).toBeGreaterThan(before);
    });
    expect(heap!.inUse).toBe(before);
  });

  it('range, subset and batch pick the asked examples, and reject indices out of range', () => {
    const ds = numbered(10);
    scope(() => {
      expect(range(ds, 2, 5).y.ints).toEqual(Int32Array.of(2, 3, 4));
      const odd = subset(ds, [1, 3, 5, 7, 9]);
      expect([odd.length, odd.xShape]).toEqual([5, [2]]);
      expect(Array.from(odd.batch([4, 0]).x.data)).toEqual([9, -9, 1, -1]);
    });
    expect(() => ds.batch([0, 10])).toThrow('ArrayDataset.batch: index 10 at position 1 is outside [0, 10)');
    expect(() => range(ds, 3, 11)).toThrow('range: need integers 0 ≤ start ≤ end ≤ 10, got 3 and 11');
    expect(() => subset(ds, [-1])).toThrow('subset: index -1 at position 0 is outside [0, 10)');
    expect(() => new ArrayDataset({ x: new Float32Array(5), xShape: [2], y: new Int32Array(2), yShape: [] })).toThrow(
      'ArrayDataset: 5 input values of shape [2] and 2 target values of shape [] do not make a whole number of examples',
    );
  });

  it('rejects a bad batch size', () => {
    expect(() => new DataLoader(numbered(3), { batchSize: 0 })).toThrow(
      'DataLoader: batchSize must be an integer ≥ 1, got 0',
    );
  });
});
