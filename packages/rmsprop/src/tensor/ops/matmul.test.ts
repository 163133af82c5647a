// matmul (2-D, batched, broadcast batches, 1-D operands promoted and dropped as PyTorch does) and linear
// against float64 triple loops: sizes 1–7 (1, and not multiples of the kernel's 4 × 8 tile; 0 too for
// matmul, whose empty inner dimension gives zeros), batch shapes of rank 0–2 with sizes set to 1 or
// dropped on either side, values spread over 2^±4 with ±0 and subnormals. A float32 dot product of k terms
// in any order is within the γ bound (k + 1)·U·Σ|aᵢbᵢ|; the gradients, products summed again over
// broadcast batches, within the same bound of all their terms.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, linear, matmul, scope, zeros } from '../index.js';
import {
  broadcastShape,
  expectClose,
  forEachIndex,
  gradients,
  offsetOf,
  partnerArb,
  seeded,
  shapeArb,
  sizeOf,
  Sums,
} from './test-support.js';

const fill = { spread: 4, special: [0, -0, 2 ** -130], rate: 0.1 };
const size = fc.integer({ min: 1, max: 7 });
/** matmul's m, k and n may also be 0 (an empty inner dimension gives zeros, as in PyTorch). */
const sizeOrEmpty = fc.integer({ min: 0, max: 7 });

interface Case {
  m: number;
  k: number;
  n: number;
  /** Batch shapes of a and b (ignored for a 1-D operand). */
  batchA: number[];
  batchB: number[];
  vecA: boolean;
  vecB: boolean;
  seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .tuple(sizeOrEmpty, sizeOrEmpty, sizeOrEmpty, shapeArb(0, 2, 3), fc.boolean(), fc.boolean(), fc.nat())
  .chain(([m, k, n, batch, vecA, vecB, seed]) =>
    fc.tuple(partnerArb(batch), partnerArb(batch)).map(([a, b]) => ({
      m,
      k,
      n,
      batchA: vecA ? [] : a,
      batchB: vecB ? [] : b,
      vecA,
      vecB,
      seed,
    })),
  );

/**
 * The product a·b in float64 with Σ|aᵢbᵢ| of each output; with g, also the gradients dA = Σ g·Bᵀ and
 * dB = Σ Aᵀ·g over every batch element, in each operand's own shape, with their Σ|term| and term counts.
 */
function product(c: Case, a: Float32Array, b: Float32Array, g: Float32Array | null) {
  const { m, k, n, batchA, batchB } = c;
  const batch = broadcastShape(batchA, batchB);
  const [out, da, db] = [new Sums(sizeOf(batch) * m * n), new Sums(a.length), new Sums(b.length)];
  forEachIndex(batch, (index, bi) => {
    const [oa, ob] = [offsetOf(index, batchA) * m * k, offsetOf(index, batchB) * k * n];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const o = (bi * m + i) * n + j;
        for (let p = 0; p < k; p++) {
          const [x, y] = [a[oa + i * k + p]!, b[ob + p * n + j]!];
          out.add(o, x * y);
          if (g) {
            da.add(oa + i * k + p, g[o]! * y);
            db.add(ob + p * n + j, x * g[o]!);
          }
        }
      }
    }
  });
  return { batch, out, da, db };
}

const shapesOf = (c: Case): [number[], number[]] => [
  c.vecA ? [c.k] : [...c.batchA, c.m, c.k],
  c.vecB ? [c.k] : [...c.batchB, c.k, c.n],
];

/** A case's shapes (a 1-D operand counts as one row or column) and seeded values. */
function operands(c: Case) {
  const effective = { ...c, m: c.vecA ? 1 : c.m, n: c.vecB ? 1 : c.n };
  const [sa, sb] = shapesOf(effective);
  return { effective, sa, sb, a: seeded(sizeOf(sa), c.seed, fill), b: seeded(sizeOf(sb), c.seed + 1, fill) };
}

describe('matmul', () => {
  it('matches the float64 product on batched, broadcast and 1-D operands', () => {
    fc.assert(
      fc.property(caseArb, (c) =>
        scope(() => {
          const { effective, sa, sb, a, b } = operands(c);
          const { batch, out } = product(effective, a, b, null);
          const y = matmul(fromArray(a, sa), fromArray(b, sb));
          expect(y.shape).toEqual([...batch, ...(c.vecA ? [] : [c.m]), ...(c.vecB ? [] : [c.n])]);
          expectClose(y.toArray(), out.value, out.tolerance, `matmul [${sa}]·[${sb}]`);
        }),
      ),
      { numRuns: 300 },
    );
  });

  it('sends back g·Bᵀ and Aᵀ·g summed over broadcast batches', () => {
    fc.assert(
      fc.property(caseArb, (c) =>
        scope(() => {
          const { effective, sa, sb, a, b } = operands(c);
          const [x, w] = [fromArray(a, sa, { requiresGrad: true }), fromArray(b, sb, { requiresGrad: true })];
          const y = matmul(x, w);
          const g = seeded(y.size, c.seed + 2, { spread: 2 });
          const { da, db } = product(effective, a, b, g);
          const [dx, dw] = gradients(y, g, [x, w]);
          const what = `matmul [${sa}]·[${sb}]`;
          expectClose(dx!, da.value, da.tolerance, `d${what}/da`);
          expectClose(dw!, db.value, db.tolerance, `d${what}/db`);
        }),
      ),
      { numRuns: 150 },
    );
  });
});

describe('linear', () => {
  it('gives x·wᵀ + b, and sends back g·w, gᵀ·x and the column sums of g', () => {
    fc.assert(
      fc.property(shapeArb(0, 2, 4), size, size, fc.boolean(), fc.nat(), (lead, inp, outp, hasBias, seed) =>
        scope(() => {
          const rows = sizeOf(lead);
          const [xs, ws, bs] = [
            seeded(rows * inp, seed, fill),
            seeded(outp * inp, seed + 1, fill),
            seeded(outp, seed + 2, fill),
          ];
          const x = fromArray(xs, [...lead, inp], { requiresGrad: true });
          const w = fromArray(ws, [outp, inp], { requiresGrad: true });
          const b = hasBias ? fromArray(bs, [outp], { requiresGrad: true }) : null;
          const y = linear(x, w, b);
          expect(y.shape).toEqual([...lead, outp]);
          const g = seeded(y.size, seed + 3, { spread: 2 });
          const [want, dx, dw, db] = [new Sums(y.size), new Sums(xs.length), new Sums(ws.length), new Sums(outp)];
          for (let r = 0; r < rows; r++) {
            for (let o = 0; o < outp; o++) {
              const at = r * outp + o;
              if (b) want.add(at, bs[o]!);
              for (let i = 0; i < inp; i++) {
                want.add(at, xs[r * inp + i]! * ws[o * inp + i]!);
                dx.add(r * inp + i, g[at]! * ws[o * inp + i]!);
                dw.add(o * inp + i, g[at]! * xs[r * inp + i]!);
              }
              db.add(o, g[at]!);
            }
          }
          const what = `linear [${lead}, ${inp}]·[${outp}, ${inp}]ᵀ${b ? ' + b' : ''}`;
          expectClose(y.toArray(), want.value, want.tolerance, what);
          const grads = gradients(y, g, b ? [x, w, b] : [x, w]);
          expectClose(grads[0]!, dx.value, dx.tolerance, `d${what}/dx`);
          expectClose(grads[1]!, dw.value, dw.tolerance, `d${what}/dw`);
          if (b) expectClose(grads[2]!, db.value, db.tolerance, `d${what}/db`);
        }),
      ),
      { numRuns: 150 },
    );
  });
});

describe('linear with no input features', () => {
  it('gives the bias in every row, and gradients of the right shapes', () => {
    const [x, w, b] = [
      zeros([3, 0], { requiresGrad: true }),
      zeros([2, 0], { requiresGrad: true }),
      fromArray([1, -2]),
    ];
    b.requiresGrad = true;
    const y = linear(x, w, b);
    expect(y.toArray()).toEqual([1, -2, 1, -2, 1, -2]);
    y.backward(fromArray([1, 2, 3, 4, 5, 6], [3, 2]));
    expect(b.grad!.toArray()).toEqual([9, 12]);
    expect(w.grad!.shape).toEqual([2, 0]);
    expect(x.grad!.shape).toEqual([3, 0]);
  });
});
