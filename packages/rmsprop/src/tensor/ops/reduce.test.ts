// sum, mean and max over random axes against float64 references with naive index arithmetic: shapes of
// rank 0–4 with sizes 1–5, axes undefined, one (possibly negative) axis or any set of them in any order,
// with and without keepDims, so both the SIMD kernels (everything, the last axes) and the general loop run.
// max is exact (NaN wins, +0 above −0, as Math.max folds); sums are within the γ bound of a float32 sum
// (the general loop accumulates in float32, the kernels in float64). Gradients: sum and mean spread g back,
// max shares it equally between tied maxima (torch.amax's rule).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, max, mean, scope, sum } from '../index.js';
import {
  expectClose,
  expectSame,
  forEachIndex,
  gradients,
  NONFINITE,
  offsetOf,
  seeded,
  shapeArb,
  sizeOf,
  sumTolerance,
  TINY,
  U,
} from './test-support.js';

interface Reduction {
  shape: number[];
  /** As passed to the op. */
  axes: number | number[] | undefined;
  /** The same, normalised. */
  reduced: number[];
  keepDims: boolean;
}

const reductionArb: fc.Arbitrary<Reduction> = fc
  .tuple(shapeArb(0, 4), fc.nat(), fc.constantFrom<'all' | 'one' | 'some'>('all', 'one', 'some'), fc.boolean())
  .map(([shape, pick, form, keepDims]) => {
    const n = shape.length;
    if (n === 0 || form === 'all') return { shape, axes: undefined, reduced: shape.map((_, i) => i), keepDims };
    // A non-empty subset in a shuffled order, each axis given as its negative alias half the time.
    const chosen = shape.map((_, i) => i).filter((i) => (pick >> i) & 1 || i === pick % n);
    const list = form === 'one' ? [pick % n] : chosen.sort((a, b) => ((a * 7 + pick) % 5) - ((b * 7 + pick) % 5));
    const given = list.map((a, i) => ((pick >> (i + 8)) & 1 ? a - n : a));
    return { shape, axes: form === 'one' ? given[0]! : given, reduced: list, keepDims };
  });

/** The shape with reduced axes kept as 1, and the output shape. */
function shapes({ shape, reduced, keepDims }: Reduction): [number[], number[]] {
  const kept = shape.map((d, i) => (reduced.includes(i) ? 1 : d));
  return [kept, keepDims ? kept : shape.filter((_, i) => !reduced.includes(i))];
}

/** Math.max's fold: NaN if any element is, +0 above −0, −∞ for none. */
function maxOf(m: number, v: number): number {
  if (Number.isNaN(m) || Number.isNaN(v)) return NaN;
  return v > m || (v === 0 && m === 0 && Object.is(m, -0)) ? v : m;
}

describe('sum, mean and max over axes', () => {
  it('match float64 references', () => {
    fc.assert(
      fc.property(reductionArb, fc.nat(), (r, seed) =>
        scope(() => {
          const [kept, outShape] = shapes(r);
          const n = sizeOf(outShape);
          const x = seeded(sizeOf(r.shape), seed, { spread: 6, special: [0, -0, 2 ** -130, ...NONFINITE], rate: 0.03 });
          const ties = seeded(x.length, seed, { lo: -2, hi: 2, step: 0.5, special: [-0, ...NONFINITE], rate: 0.04 });
          const [total, magnitude, top] = [
            new Float64Array(n),
            new Float64Array(n),
            new Float64Array(n).fill(-Infinity),
          ];
          forEachIndex(r.shape, (index, i) => {
            const o = offsetOf(index, kept);
            total[o]! += x[i]!;
            magnitude[o]! += Math.abs(x[i]!);
            top[o] = maxOf(top[o]!, ties[i]!);
          });
          const count = x.length / Math.max(n, 1);
          const what = `[${r.shape}] over ${JSON.stringify(r.axes)}${r.keepDims ? ', keepDims' : ''}`;
          const [s, m, t] = [
            sum(fromArray(x, r.shape), r.axes, r.keepDims),
            mean(fromArray(x, r.shape), r.axes, r.keepDims),
            max(fromArray(ties, r.shape), r.axes, r.keepDims),
          ];
          for (const out of [s, m, t]) expect(out.shape).toEqual(outShape);
          expectClose(s.toArray(), total, (k) => sumTolerance(count, magnitude[k]!), `sum of ${what}`);
          // The sum's error over the count, then one rounding of the quotient.
          const means = total.map((v) => v / count);
          const meanTol = (k: number) => sumTolerance(count, magnitude[k]!) / count + U * Math.abs(means[k]!) + TINY;
          expectClose(m.toArray(), means, meanTol, `mean of ${what}`);
          expectSame(t.toArray(), top, `max of ${what}`);
        }),
      ),
      { numRuns: 300 },
    );
  });

  it('send back g spread over the reduced axes (divided by the count for mean, by the ties for max)', () => {
    fc.assert(
      fc.property(reductionArb, fc.nat(), (r, seed) =>
        scope(() => {
          const [kept, outShape] = shapes(r);
          // Few distinct values: many ties for max.
          const xs = seeded(sizeOf(r.shape), seed, { lo: -2, hi: 2, step: 0.5 });
          const g = seeded(sizeOf(outShape), seed + 1, { spread: 2 });
          const count = xs.length / Math.max(g.length, 1);
          const top = new Float64Array(g.length).fill(-Infinity);
          const tied = new Float64Array(g.length);
          forEachIndex(
            r.shape,
            (index, i) => (top[offsetOf(index, kept)] = Math.max(top[offsetOf(index, kept)]!, xs[i]!)),
          );
          forEachIndex(
            r.shape,
            (index, i) => (tied[offsetOf(index, kept)]! += xs[i] === top[offsetOf(index, kept)] ? 1 : 0),
          );
          const want = { sum: [] as number[], mean: [] as number[], max: [] as number[] };
          forEachIndex(r.shape, (index, i) => {
            const o = offsetOf(index, kept);
            want.sum[i] = g[o]!;
            want.mean[i] = g[o]! / count;
            want.max[i] = xs[i] === top[o] ? g[o]! / tied[o]! : 0;
          });
          for (const [name, op] of [
            ['sum', sum],
            ['mean', mean],
            ['max', max],
          ] as const) {
            const x = fromArray(xs, r.shape, { requiresGrad: true });
            const [dx] = gradients(op(x, r.axes, r.keepDims), g, [x]);
            const w = want[name];
            const what = `d${name} of [${r.shape}] over ${JSON.stringify(r.axes)}`;
            // Exact for sum; one or two roundings of g/count and g/ties.
            expectClose(dx!, w, (k) => 2 * U * Math.abs(w[k]!), what);
          }
        }),
      ),
      { numRuns: 150 },
    );
  });
});
