// add, sub, mul, div and where with NumPy broadcasting against float64 references written with naive index
// arithmetic: random shapes (rank 0–4, sizes 1–5, leading dimensions dropped and sizes set to 1 on either
// side, so the SIMD same-shape path, the one-element x·α + β path and the general loop all run), values
// with ±0, subnormals, 3e38 (overflows), ±∞ and NaN. Each element of add/sub/mul/div is one float32
// rounding of the exact result and `where` copies, so forwards must equal Math.fround(reference) bit for
// bit. Gradients are summed over the broadcast dimensions in float32: within the γ bound of those sums.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, div, fromArray, mul, scope, sub, where, type Tensor } from '../index.js';
import {
  broadcastShape,
  expectClose,
  expectSame,
  forEachIndex,
  gradients,
  NONFINITE,
  offsetOf,
  partnerArb,
  seeded,
  shapeArb,
  sizeOf,
  SPECIAL,
  Sums,
  U,
} from './test-support.js';

type Op = 'add' | 'sub' | 'mul' | 'div';
const ops = { add, sub, mul, div } as const;
const exact: Record<Op, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
};

/** Shapes of a and b that broadcast together: each a partner of a common shape, so either may be the larger. */
const pairArb = shapeArb(0, 4).chain((full) => fc.tuple(partnerArb(full), partnerArb(full)));

describe('add, sub, mul, div with broadcasting', () => {
  it('give the float32 rounding of each exact result', () => {
    fc.assert(
      fc.property(fc.constantFrom<Op>('add', 'sub', 'mul', 'div'), pairArb, fc.nat(), (op, [as, bs], seed) =>
        scope(() => {
          const special = [...SPECIAL, ...NONFINITE];
          const [a, b] = [seeded(sizeOf(as), seed, { spread: 8, special }), seeded(sizeOf(bs), ~seed, { special })];
          const out = ops[op](fromArray(a, as), fromArray(b, bs));
          const shape = broadcastShape(as, bs);
          expect(out.shape).toEqual(shape);
          const want = new Array<number>(sizeOf(shape));
          forEachIndex(shape, (index, i) => {
            want[i] = Math.fround(exact[op](a[offsetOf(index, as)]!, b[offsetOf(index, bs)]!));
          });
          expectSame(out.toArray(), want, `${op} [${as}] [${bs}]`);
        }),
      ),
      { numRuns: 300 },
    );
  });

  it('send back gradients summed over the broadcast dimensions', () => {
    fc.assert(
      fc.property(fc.constantFrom<Op>('add', 'sub', 'mul', 'div'), pairArb, fc.nat(), (op, [as, bs], seed) =>
        scope(() => {
          const a = seeded(sizeOf(as), seed, { spread: 3, special: [0, -0] });
          // Divisors away from 0, so the quotients stay finite.
          const b = seeded(sizeOf(bs), seed + 1, op === 'div' ? { lo: 0.25, hi: 2 } : { spread: 3 });
          if (op === 'div') b.forEach((v, i) => (b[i] = i % 2 ? -v : v));
          const [x, y] = [fromArray(a, as, { requiresGrad: true }), fromArray(b, bs, { requiresGrad: true })];
          const out = ops[op](x, y);
          const g = seeded(out.size, seed + 2, { spread: 2 });
          const [dx, dy] = gradients(out, g, [x, y]);
          const [ra, rb] = [new Sums(a.length), new Sums(b.length)];
          forEachIndex(out.shape, (index, i) => {
            const [ia, ib] = [offsetOf(index, as), offsetOf(index, bs)];
            const [d, p, q] = [g[i]!, a[ia]!, b[ib]!];
            const terms = { add: [d, d], sub: [d, -d], mul: [d * q, d * p], div: [d / q, (-d * p) / (q * q)] }[op];
            ra.add(ia, terms[0]!);
            rb.add(ib, terms[1]!);
          });
          // Each term takes up to three roundings (−g·((x / y) / y)), then the float32 sum.
          const tol = (r: Sums) => (k: number) => r.tolerance(k) + 2 * U * r.magnitude[k]!;
          expectClose(dx!, ra.value, tol(ra), `d${op}/da [${as}] [${bs}]`);
          expectClose(dy!, rb.value, tol(rb), `d${op}/db [${as}] [${bs}]`);
        }),
      ),
      { numRuns: 150 },
    );
  });
});

/** Shapes of condition, a and b, each a partner of a common shape. */
const tripleArb = shapeArb(0, 4).chain((full) => fc.tuple(partnerArb(full), partnerArb(full), partnerArb(full)));

describe('where with broadcasting', () => {
  it('copies from a where the condition is non-zero (NaN included), else from b', () => {
    fc.assert(
      fc.property(
        tripleArb,
        fc.constantFrom<'float32' | 'int32'>('float32', 'int32'),
        fc.constantFrom<'tensor' | 'number'>('tensor', 'number'),
        fc.nat(),
        ([cs, as, bs], dtype, kind, seed) =>
          scope(() => {
            const n = sizeOf(cs);
            const floatConditions = [0, -0, 1, -2, 0.5, NaN, Infinity, 2 ** -149];
            const c =
              dtype === 'int32'
                ? seeded(n, seed, { lo: -1, hi: 2, step: 1 })
                : seeded(n, seed, { special: floatConditions, rate: 1 });
            const cond = fromArray(c, cs, { dtype });
            const special = [...SPECIAL, ...NONFINITE];
            const [a, b] = [seeded(sizeOf(as), seed + 1, { special }), seeded(sizeOf(bs), seed + 2, { special })];
            // A one-element b may be given as a number.
            const bArg: Tensor | number = kind === 'number' && bs.length === 0 ? b[0]! : fromArray(b, bs);
            const out = where(cond, fromArray(a, as), bArg);
            const shape = broadcastShape(broadcastShape(cs, as), bs);
            expect(out.shape).toEqual(shape);
            const cv = cond.toArray();
            const want = new Array<number>(sizeOf(shape));
            forEachIndex(shape, (index, i) => {
              want[i] = cv[offsetOf(index, cs)] !== 0 ? a[offsetOf(index, as)]! : b[offsetOf(index, bs)]!;
            });
            expectSame(out.toArray(), want, `where [${cs}] [${as}] [${bs}]`);
          }),
      ),
      { numRuns: 300 },
    );
  });

  it('routes the gradient to a where the condition holds and to b elsewhere, summed over broadcasts', () => {
    fc.assert(
      fc.property(tripleArb, fc.nat(), ([cs, as, bs], seed) =>
        scope(() => {
          const c = seeded(sizeOf(cs), seed, { special: [0, 1, -0, NaN], rate: 1 });
          const x = fromArray(seeded(sizeOf(as), seed + 1), as, { requiresGrad: true });
          const y = fromArray(seeded(sizeOf(bs), seed + 2), bs, { requiresGrad: true });
          const out = where(fromArray(c, cs), x, y);
          const g = seeded(out.size, seed + 3, { spread: 2 });
          const [dx, dy] = gradients(out, g, [x, y]);
          const [wa, wb] = [new Sums(x.size), new Sums(y.size)];
          forEachIndex(out.shape, (index, i) => {
            // The other side gets a 0 term, which the op adds too.
            const pick = c[offsetOf(index, cs)] !== 0;
            wa.add(offsetOf(index, as), pick ? g[i]! : 0);
            wb.add(offsetOf(index, bs), pick ? 0 : g[i]!);
          });
          expectClose(dx!, wa.value, wa.tolerance, `dwhere/da [${cs}] [${as}] [${bs}]`);
          expectClose(dy!, wb.value, wb.tolerance, `dwhere/db [${cs}] [${as}] [${bs}]`);
        }),
      ),
      { numRuns: 150 },
    );
  });
});
