// dropout by the properties that define it, over random shapes (rank 0–3, sizes 1–9) and rates from 0.001
// to 0.95: the same seed gives the same mask (another seed another); dropped elements are 0 and kept ones
// are x·s for s = 1/(1 − p) in float32, one rounding, bit for bit (so x/(1 − p) exactly wherever 1/(1 − p)
// is a float32, as for p = 0.5 or 0.75; PyTorch also multiplies by a float32 scale); the kept fraction is
// within 5 standard deviations of the binomial's mean; the gradient is g·s where kept and 0 where dropped;
// evaluation (training: false) and p = 0 are the identity and draw nothing from the generator.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropout, fromArray, Generator, manualSeed, scope } from '../index.js';
import { expectSame, gradients, seeded, shapeArb, sizeOf } from './test-support.js';

const rateArb = fc.constantFrom(0.001, 0.1, 0.25, 0.3, 0.5, 0.75, 0.9, 0.95, 1 / 3);

/** Whether k kept of n is within 5σ of the binomial mean n(1 − p) (±1 for the discreteness). */
function plausible(k: number, n: number, p: number): boolean {
  return Math.abs(k - n * (1 - p)) <= 5 * Math.sqrt(n * p * (1 - p)) + 1;
}

/** Non-zero finite values, so that an output of 0 means dropped. */
const nonZero = (n: number, seed: number) =>
  seeded(n, seed, { lo: 0.5, hi: 1, spread: 6 }).map((v, i) => (i % 2 ? -v : v));

describe('dropout', () => {
  it('keeps x·s or drops to 0, the same mask for the same seed, a binomial count, and g·s as gradient', () => {
    fc.assert(
      fc.property(shapeArb(0, 3, 9), rateArb, fc.nat(), (shape, p, seed) =>
        scope(() => {
          const xs = nonZero(sizeOf(shape), seed);
          const x = fromArray(xs, shape, { requiresGrad: true });
          const y = dropout(x, p, { generator: new Generator(seed) });
          expect(y.shape).toEqual(shape);
          const out = y.toArray();
          const s = Math.fround(1 / (1 - p));
          let kept = 0;
          out.forEach((v, i) => {
            if (v === 0) return;
            kept++;
            if (!Object.is(v, Math.fround(xs[i]! * s))) expect.fail(`kept [${i}] = ${v}, want ${xs[i]}·${s}`);
            if (s === 1 / (1 - p) && v !== Math.fround(xs[i]! / (1 - p))) expect.fail(`kept [${i}] ≠ x/(1 − p)`);
          });
          expect(plausible(kept, xs.length, p), `${kept} of ${xs.length} kept at p = ${p}`).toBe(true);
          // The same seed: the same mask; another seed: another, for a mask long enough to tell.
          expectSame(dropout(x, p, { generator: new Generator(seed) }).toArray(), out, 'same seed');
          if (xs.length >= 100 && p >= 0.1 && p <= 0.9) {
            const other = dropout(x, p, { generator: new Generator(seed + 1) }).toArray();
            expect(other.some((v, i) => (v === 0) !== (out[i] === 0))).toBe(true);
          }
          const g = seeded(xs.length, seed + 1, { spread: 3 });
          // g times the mask (0 or s): a dropped element's gradient is ±0 with the sign of g, as in PyTorch.
          const want = out.map((v, i) => Math.fround(g[i]! * (v === 0 ? 0 : s)));
          expectSame(gradients(y, g, [x])[0]!, want, `gradient at p = ${p}`);
        }),
      ),
      { numRuns: 200 },
    );
  });

  it('keeps a binomial fraction of a large tensor, from the default generator after manualSeed', () => {
    scope(() => {
      const x = fromArray(nonZero(20000, 1));
      for (const p of [0.001, 0.1, 0.5, 0.9]) {
        manualSeed(7);
        const first = dropout(x, p).toArray();
        manualSeed(7);
        expectSame(dropout(x, p).toArray(), first, `manualSeed, p = ${p}`);
        const kept = first.filter((v) => v !== 0).length;
        expect(plausible(kept, first.length, p), `${kept} of ${first.length} kept at p = ${p}`).toBe(true);
      }
    });
  });

  it('is the identity in evaluation and at p = 0, drawing nothing', () => {
    fc.assert(
      fc.property(shapeArb(0, 3, 9), rateArb, fc.nat(), (shape, p, seed) =>
        scope(() => {
          const xs = seeded(sizeOf(shape), seed, { spread: 6, special: [0, -0, NaN, Infinity] });
          const x = fromArray(xs, shape);
          const generator = new Generator(seed);
          const state = generator.getState();
          expectSame(dropout(x, p, { training: false, generator }).toArray(), xs, 'evaluation');
          expectSame(dropout(x, 0, { generator }).toArray(), xs, 'p = 0');
          expect(generator.getState()).toEqual(state);
        }),
      ),
      { numRuns: 50 },
    );
  });

  it('refuses p outside [0, 1)', () => {
    scope(() => {
      const x = fromArray([1, 2, 3]);
      for (const p of [1, -0.1, 1.5, NaN]) expect(() => dropout(x, p)).toThrow(RangeError);
    });
  });
});
