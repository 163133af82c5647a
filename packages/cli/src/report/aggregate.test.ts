import { describe, expect, it } from 'vitest';
import { aggregateSeeds } from './aggregate.js';

describe('aggregateSeeds', () => {
  it('gives the mean, min and max of the runs at each x, in increasing x', () => {
    const band = aggregateSeeds([
      [
        { x: 2, y: 4 },
        { x: 1, y: 1 },
      ],
      [
        { x: 1, y: 3 },
        { x: 2, y: 8 },
      ],
      [
        { x: 1, y: 5 },
        { x: 2, y: 6 },
      ],
    ]);
    expect(band).toEqual([
      { x: 1, mean: 3, min: 1, max: 5, n: 3 },
      { x: 2, mean: 6, min: 4, max: 8, n: 3 },
    ]);
  });

  it('counts at each x only the runs with a finite value there', () => {
    const band = aggregateSeeds([
      [
        { x: 1, y: 2 },
        { x: 2, y: NaN },
      ],
      [
        { x: 1, y: 4 },
        { x: 2, y: 1 },
        { x: 3, y: 0.5 },
      ],
    ]);
    expect(band).toEqual([
      { x: 1, mean: 3, min: 2, max: 4, n: 2 },
      { x: 2, mean: 1, min: 1, max: 1, n: 1 },
      { x: 3, mean: 0.5, min: 0.5, max: 0.5, n: 1 },
    ]);
  });

  it('is empty for no runs or no finite value', () => {
    expect(aggregateSeeds([])).toEqual([]);
    expect(aggregateSeeds([[{ x: 1, y: Infinity }]])).toEqual([]);
  });
});
