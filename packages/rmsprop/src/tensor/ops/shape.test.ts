// permute, transpose, reshape, concat, stack, slice, indexSelect and embedding against references written
// with naive index arithmetic: random shapes (rank 0–4, sizes 1–5; empty pieces, slices and index lists
// too), dims given positive or negative, values with ±0, ±∞ and NaN. These ops copy, so the forwards and
// the gradients of the copies (permute's inverse, concat's and stack's split, slice's scatter into zeros)
// must be bit for bit; indexSelect's and embedding's gradients add up repeated indices in float32, within
// the γ bound of those sums, and skip the padding row.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  concat,
  embedding,
  fromArray,
  indexSelect,
  permute,
  reshape,
  scope,
  slice,
  stack,
  transpose,
} from '../index.js';
import {
  expectClose,
  expectSame,
  forEachIndex,
  gradients,
  NONFINITE,
  seeded,
  seededInts,
  shapeArb,
  sizeOf,
  SPECIAL,
  Sums,
  unravel,
} from './test-support.js';

const special = [...SPECIAL, ...NONFINITE];

/** The row-major position of a multi-index of `shape`. */
const ravel = (index: readonly number[], shape: readonly number[]): number =>
  index.reduce((p, i, d) => p * shape[d]! + i, 0);

/** A shuffle of 0…n−1 from a seed. */
function shuffled(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const r = seeded(n, seed, { lo: 0, hi: 1 });
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r[i]! * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** A shape and a dimension of it, given positive or negative (`extra` more dimensions allowed, for stack). */
const dimArb = (minRank: number, maxRank: number, extra = 0) =>
  shapeArb(minRank, maxRank).chain((shape) =>
    fc.tuple(fc.constant(shape), fc.integer({ min: -shape.length - extra, max: shape.length + extra - 1 }), fc.nat()),
  );

describe('permute, transpose and reshape', () => {
  it('move every element to its permuted place and back (float32 and int32)', () => {
    fc.assert(
      fc.property(shapeArb(0, 4), fc.nat(), fc.boolean(), (shape, seed, ints) =>
        scope(() => {
          const order = shuffled(shape.length, seed);
          const values = ints ? seededInts(sizeOf(shape), seed, -1000, 1000) : seeded(sizeOf(shape), seed, { special });
          const x = fromArray(values, shape, { dtype: ints ? 'int32' : 'float32', requiresGrad: !ints });
          const out = permute(x, order);
          const outShape = order.map((d) => shape[d]!);
          expect(out.shape).toEqual(outShape);
          const want: number[] = [];
          forEachIndex(outShape, (o, i) => {
            const index = new Array<number>(shape.length);
            order.forEach((d, j) => (index[d] = o[j]!));
            want[i] = values[ravel(index, shape)]!;
          });
          const what = `permute [${shape}] by [${order}]`;
          expectSame(out.toArray(), want, what);
          if (ints) return;
          // The gradient is g permuted back: element i of the output's gradient lands where element i came from.
          const g = seeded(out.size, seed + 1, { special });
          const back = new Array<number>(x.size);
          forEachIndex(outShape, (o, i) => {
            const index = new Array<number>(shape.length);
            order.forEach((d, j) => (index[d] = o[j]!));
            back[ravel(index, shape)] = g[i]!;
          });
          expectSame(gradients(out, g, [x])[0]!, back, `d${what}`);
        }),
      ),
      { numRuns: 200 },
    );
  });

  it('transpose swaps two dimensions; reshape keeps the order of the elements', () => {
    fc.assert(
      fc.property(dimArb(1, 4), fc.integer({ min: -4, max: 3 }), ([shape, d0, seed], other) =>
        scope(() => {
          const n = shape.length;
          const d1 = Math.max(-n, Math.min(n - 1, other));
          const [a, b] = [d0 < 0 ? d0 + n : d0, d1 < 0 ? d1 + n : d1];
          const values = seeded(sizeOf(shape), seed, { special });
          const x = fromArray(values, shape, { requiresGrad: true });
          const out = transpose(x, d0, d1);
          const outShape = shape.map((_, i) => shape[i === a ? b : i === b ? a : i]!);
          expect(out.shape).toEqual(outShape);
          const want: number[] = [];
          const g = seeded(out.size, seed + 1, { special });
          const back = new Array<number>(x.size);
          forEachIndex(outShape, (o, i) => {
            const index = o.map((_, k) => o[k === a ? b : k === b ? a : k]!);
            want[i] = values[ravel(index, shape)]!;
            back[ravel(index, shape)] = g[i]!;
          });
          expectSame(out.toArray(), want, `transpose [${shape}] ${d0} ${d1}`);
          expectSame(gradients(out, g, [x])[0]!, back, `dtranspose [${shape}] ${d0} ${d1}`);
          // reshape to the reversed shape with one size inferred, and its gradient: the same order.
          const target = [...shape].reverse().map((d, i) => (i === seed % n ? -1 : d));
          const r = reshape(x, target);
          expect(r.shape).toEqual([...shape].reverse());
          expectSame(r.toArray(), values, `reshape [${shape}] to [${target}]`);
          expectSame(gradients(r, g, [x])[0]!, g, `dreshape [${shape}] to [${target}]`);
        }),
      ),
      { numRuns: 150 },
    );
  });
});

describe('concat and stack', () => {
  it('concat places each piece at its offset along dim, and splits the gradient back', () => {
    fc.assert(
      fc.property(
        dimArb(1, 4),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 }),
        ([shape, dim, seed], sizes) =>
          scope(() => {
            const d = dim < 0 ? dim + shape.length : dim;
            const shapes = sizes.map((s) => shape.map((v, i) => (i === d ? s : v)));
            const pieces = shapes.map((s, k) => seeded(sizeOf(s), seed + k, { special }));
            const inputs = pieces.map((p, k) => fromArray(p, shapes[k]!, { requiresGrad: true }));
            const out = concat(inputs, dim);
            const outShape = shape.map((v, i) => (i === d ? sizes.reduce((a, b) => a + b, 0) : v));
            expect(out.shape).toEqual(outShape);
            const g = seeded(out.size, seed + 9, { special });
            const want: number[] = [];
            const back = shapes.map((s) => new Array<number>(sizeOf(s)));
            forEachIndex(outShape, (o, i) => {
              let [k, at] = [0, o[d]!];
              while (at >= sizes[k]!) at -= sizes[k++]!;
              const index = o.map((v, j) => (j === d ? at : v));
              want[i] = pieces[k]![ravel(index, shapes[k]!)]!;
              back[k]![ravel(index, shapes[k]!)] = g[i]!;
            });
            const what = `concat of [${shapes.map((s) => `[${s}]`)}] along ${dim}`;
            expectSame(out.toArray(), want, what);
            gradients(out, g, inputs).forEach((dx, k) => expectSame(dx!, back[k]!, `d${what}, piece ${k}`));
          }),
      ),
      { numRuns: 200 },
    );
  });

  it('stack puts tensor k at index k of a new dimension, and splits the gradient back', () => {
    fc.assert(
      fc.property(dimArb(0, 3, 1), fc.integer({ min: 1, max: 4 }), ([shape, dim, seed], count) =>
        scope(() => {
          const d = dim < 0 ? dim + shape.length + 1 : dim;
          const values = Array.from({ length: count }, (_, k) => seeded(sizeOf(shape), seed + k, { special }));
          const inputs = values.map((v) => fromArray(v, shape, { requiresGrad: true }));
          const out = stack(inputs, dim);
          const outShape = [...shape.slice(0, d), count, ...shape.slice(d)];
          expect(out.shape).toEqual(outShape);
          const g = seeded(out.size, seed + 9, { special });
          const want: number[] = [];
          const back = values.map((v) => new Array<number>(v.length));
          forEachIndex(outShape, (o, i) => {
            const index = o.filter((_, j) => j !== d);
            want[i] = values[o[d]!]![ravel(index, shape)]!;
            back[o[d]!]![ravel(index, shape)] = g[i]!;
          });
          const what = `stack of ${count} [${shape}] along ${dim}`;
          expectSame(out.toArray(), want, what);
          gradients(out, g, inputs).forEach((dx, k) => expectSame(dx!, back[k]!, `d${what}, tensor ${k}`));
        }),
      ),
      { numRuns: 200 },
    );
  });
});

describe('slice', () => {
  it("takes start ≤ i < end along dim with Python's clamping of negative and out-of-range bounds", () => {
    fc.assert(
      fc.property(
        dimArb(1, 4),
        fc.integer({ min: -7, max: 7 }),
        fc.option(fc.integer({ min: -7, max: 7 })),
        ([shape, dim, seed], start, end) =>
          scope(() => {
            const d = dim < 0 ? dim + shape.length : dim;
            const n = shape[d]!;
            const bound = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
            const [s, e] = [bound(start), end === null ? n : bound(end)];
            const values = seeded(sizeOf(shape), seed, { special });
            const x = fromArray(values, shape, { requiresGrad: true });
            const out = end === null ? slice(x, dim, start) : slice(x, dim, start, end);
            const outShape = shape.map((v, i) => (i === d ? Math.max(e - s, 0) : v));
            expect(out.shape).toEqual(outShape);
            const g = seeded(out.size, seed + 1, { special });
            const want: number[] = [];
            const back = new Array<number>(x.size).fill(0);
            forEachIndex(outShape, (o, i) => {
              const index = o.map((v, j) => (j === d ? v + s : v));
              want[i] = values[ravel(index, shape)]!;
              back[ravel(index, shape)] = g[i]!;
            });
            const what = `slice [${shape}] along ${dim} from ${start} to ${end}`;
            expectSame(out.toArray(), want, what);
            expectSame(gradients(out, g, [x])[0]!, back, `d${what}`);
          }),
      ),
      { numRuns: 200 },
    );
  });
});

describe('indexSelect and embedding', () => {
  it('indexSelect gathers along dim, and adds the gradient of repeated indices', () => {
    fc.assert(
      fc.property(dimArb(1, 4), shapeArb(0, 2, 4), fc.boolean(), ([shape, dim, seed], idShape, empty) =>
        scope(() => {
          const d = dim < 0 ? dim + shape.length : dim;
          const n = shape[d]!;
          const idsShape = empty ? [0] : idShape;
          // Few rows, many picks: repeats are common.
          const picks = seededInts(sizeOf(idsShape), seed, 0, n);
          const values = seeded(sizeOf(shape), seed + 1, { special: [0, -0, 1e30, 2 ** -140], spread: 4 });
          const x = fromArray(values, shape, { requiresGrad: true });
          const out = indexSelect(x, dim, fromArray(picks, idsShape, { dtype: 'int32' }));
          const outShape = [...shape.slice(0, d), ...idsShape, ...shape.slice(d + 1)];
          expect(out.shape).toEqual(outShape);
          const g = seeded(out.size, seed + 2, { spread: 2 });
          const want: number[] = [];
          const back = new Sums(x.size);
          const r = idsShape.length;
          forEachIndex(outShape, (o, i) => {
            const k = ravel(o.slice(d, d + r), idsShape);
            const index = [...o.slice(0, d), picks[k]!, ...o.slice(d + r)];
            const at = ravel(index, shape);
            want[i] = values[at]!;
            back.add(at, g[i]!);
          });
          const what = `indexSelect [${shape}] along ${dim} at [${Array.from(picks)}] of shape [${idsShape}]`;
          expectSame(out.toArray(), want, what);
          expectClose(gradients(out, g, [x])[0]!, back.value, back.tolerance, `d${what}`);
        }),
      ),
      { numRuns: 200 },
    );
  });

  it('embedding looks rows up for indices of any shape, and the padding row gets no gradient', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 7 }),
        shapeArb(0, 3, 4),
        fc.option(fc.integer()),
        fc.nat(),
        (num, width, idShape, padding, seed) =>
          scope(() => {
            // A negative paddingIdx counts from the end, as in PyTorch.
            const given = padding === null ? null : (((padding % (2 * num)) + 2 * num) % (2 * num)) - num;
            const paddingIdx = given === null ? null : given < 0 ? given + num : given;
            const picks = seededInts(sizeOf(idShape), seed, 0, num);
            const values = seeded(num * width, seed + 1, { special });
            const weight = fromArray(values, [num, width], { requiresGrad: true });
            const out = embedding(fromArray(picks, idShape, { dtype: 'int32' }), weight, given);
            expect(out.shape).toEqual([...idShape, width]);
            const g = seeded(out.size, seed + 2, { spread: 2 });
            const want: number[] = [];
            const back = new Sums(values.length);
            for (let i = 0; i < out.size; i++) {
              const [k, j] = [Math.floor(i / width), i % width];
              const at = picks[k]! * width + j;
              want[i] = values[at]!;
              if (picks[k] !== paddingIdx) back.add(at, g[i]!);
            }
            const what = `embedding [${num}, ${width}] at [${Array.from(picks)}] of shape [${idShape}], padding ${given}`;
            expectSame(out.toArray(), want, what);
            expectClose(gradients(out, g, [weight])[0]!, back.value, back.tolerance, `d${what}`);
          }),
      ),
      { numRuns: 200 },
    );
  });
});

it('embedding refuses a paddingIdx outside [−num, num)', () => {
  scope(() => {
    const [ids, weight] = [fromArray([0, 1], [2], { dtype: 'int32' }), fromArray([1, 2, 3, 4], [2, 2])];
    expect(() => embedding(ids, weight, 2)).toThrow('embedding: paddingIdx must be an integer in [-2, 2), got 2');
    expect(() => embedding(ids, weight, -3)).toThrow(RangeError);
  });
});

// unravel is the inverse of ravel: a check of the references' own index arithmetic.
it('the index helpers agree', () => {
  forEachIndex([2, 3, 4], (index, i) => {
    expect(ravel(index, [2, 3, 4])).toBe(i);
    expect(unravel(i, [2, 3, 4])).toEqual(index);
  });
});
