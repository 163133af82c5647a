import { describe, expect, it } from 'vitest';
import { smooth, smoother, suggest, sweepRate } from './lr-range.js';

describe('the range test', () => {
  it('sweeps from the first rate to the last on a log scale', () => {
    const rate = sweepRate(1e-6, 1, 7);
    expect([0, 1, 2, 3, 4, 5, 6].map((t) => Number(rate(t).toPrecision(6)))).toEqual([
      1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1,
    ]);
  });

  it('smooths with bias correction, so a constant loss stays constant', () => {
    expect(smooth([2, 2, 2]).map((x) => Number(x.toFixed(12)))).toEqual([2, 2, 2]);
    const s = smooth([1, 0], 0.5); // avg 0.5 then 0.25; corrected by 1 − 0.5 and 1 − 0.25
    expect(s).toEqual([1, 1 / 3]);
  });

  it('smooths one loss at a time, each value that of the losses so far', () => {
    const next = smoother(0.5);
    expect([next(1), next(0)]).toEqual([1, 1 / 3]);
    // fastai's definition, the average over each prefix computed afresh.
    const definition = (prefix: number[], beta: number): number =>
      prefix.reduce((avg, loss) => beta * avg + (1 - beta) * loss, 0) / (1 - beta ** prefix.length);
    const losses = Array.from({ length: 300 }, (_, i) => 2 / (1 + i / 50) + 0.1 * Math.sin(i));
    const running = smoother();
    losses.forEach((loss, i) => expect(running(loss)).toBe(definition(losses.slice(0, i + 1), 0.98)));
  });

  it('suggests the steepest fall before the minimum, or a tenth of the minimum', () => {
    const lrs = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10];
    const smoothed = [2.3, 2.2, 1.2, 0.9, 0.8, 5];
    // Central differences per decade: −0.55 at 1e-3, −0.65 at 1e-2, −0.2 at 1e-1 (past the minimum at 1 nothing counts).
    expect(suggest(lrs, smoothed, 'steepest')).toBe(1e-2);
    expect(suggest(lrs, smoothed, 'min10')).toBeCloseTo(0.1, 12);
  });
});
