// The ops' SIMD fast paths (same shapes, a one-element operand, sums over everything or the last axis)
// give what the general loops give: each element of add/sub/mul/div is the float32-rounded result, signs of
// zero included, and the gradients of the fast paths equal the formulas they stand for.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, backward, div, fromArray, mean, mul, neg, relu, scope, sub, sum, type Tensor } from '../index.js';

const ops = { add, sub, mul, div } as const;
const exact = {
  add: (x: number, y: number) => Math.fround(x + y),
  sub: (x: number, y: number) => Math.fround(x - y),
  mul: (x: number, y: number) => Math.fround(x * y),
  div: (x: number, y: number) => Math.fround(x / y),
};
const value = fc.oneof(
  fc.float({ noDefaultInfinity: false, noNaN: false }),
  fc.constantFrom(0, -0, 1, -1, 0.5, Infinity, NaN),
);
const same = (got: ArrayLike<number>, want: ArrayLike<number>) =>
  Array.from(got).every((g, i) => Object.is(g, want[i]));

describe('elementwise fast paths', () => {
  it('same shapes and one-element operands on either side give the float32 result of each element', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('add', 'sub', 'mul', 'div' as const),
        fc.array(value, { minLength: 1, maxLength: 23 }),
        fc.array(value, { minLength: 23, maxLength: 23 }),
        value,
        (op, xs, ys, s) =>
          scope(() => {
            const n = xs.length;
            const [x, y, k] = [fromArray(xs), fromArray(ys.slice(0, n)), fromArray([s])];
            const [xf, yf, sf] = [x.toArray(), y.toArray(), Math.fround(s)];
            const f = exact[op];
            expect(
              same(
                ops[op](x, y).toArray(),
                xf.map((a, i) => f(a, yf[i]!)),
              ),
            ).toBe(true);
            expect(
              same(
                ops[op](x, k).toArray(),
                xf.map((a) => f(a, sf)),
              ),
            ).toBe(true);
            expect(
              same(
                ops[op](k, x).toArray(),
                xf.map((a) => f(sf, a)),
              ),
            ).toBe(true);
            expect(
              same(
                ops[op](x, s).toArray(),
                xf.map((a) => f(a, sf)),
              ),
            ).toBe(true);
            expect(
              same(
                neg(x).toArray(),
                xf.map((a) => -a),
              ),
            ).toBe(true);
          }),
      ),
      { numRuns: 300 },
    );
  });

  it('gradients of same-shaped and scalar operands', () => {
    scope(() => {
      const x = fromArray([1, -2, 3, 0.5], [2, 2], { requiresGrad: true });
      const y = fromArray([2, 4, -1, 8], [2, 2], { requiresGrad: true });
      const s = fromArray([3], [], { requiresGrad: true });
      const g = fromArray([1, 2, 3, 4], [2, 2]);
      const grads = (t: Tensor) => {
        for (const v of [x, y, s]) v.grad = null;
        backward(t, g);
        return [x.grad?.toArray(), y.grad?.toArray(), s.grad?.toArray()];
      };
      expect(grads(sub(x, y))).toEqual([[1, 2, 3, 4], [-1, -2, -3, -4], undefined]);
      expect(grads(mul(x, y))).toEqual([[2, 8, -3, 32], [1, -4, 9, 2], undefined]);
      expect(grads(mul(s, x))).toEqual([[3, 6, 9, 12], undefined, [1 - 4 + 9 + 2]]);
      expect(grads(sub(s, x))).toEqual([[-1, -2, -3, -4], undefined, [10]]);
      // PyTorch's −g·((x / y) / y) for the divisor.
      const [dx, dy] = grads(div(x, y));
      expect(dx).toEqual([0.5, 0.5, -3, 0.5]);
      expect(dy).toEqual([-0.25, 0.25, -9, -1 / 32]);
    });
  });

  it('relu gives 0 for NaN, and its gradient passes g only where x > 0', () => {
    scope(() => {
      const x = fromArray([NaN, -1, 0, 2, -0, 3], [6], { requiresGrad: true });
      expect(relu(x).toArray()).toEqual([0, 0, 0, 2, 0, 3]);
      backward(relu(x), fromArray([Infinity, NaN, 5, 7, 1, -2]));
      expect(x.grad!.toArray()).toEqual([0, 0, 0, 7, 0, -2]);
    });
  });
});

describe('sum and mean fast paths', () => {
  it('over everything and over the last axis agree with float64 sums, and spread their gradients back', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
        fc.nat(),
        fc.boolean(),
        (shape, seed, keepDims) =>
          scope(() => {
            const n = shape.reduce((a, b) => a * b, 1);
            const values = Array.from({ length: n }, (_, i) => Math.sin(seed + i * 7.1) * 10);
            const x = fromArray(values, shape, { requiresGrad: true });
            const xs = x.toArray();
            const last = shape.at(-1)!;
            const rows = Array.from({ length: n / last }, (_, r) =>
              xs.slice(r * last, (r + 1) * last).reduce((a, b) => a + b, 0),
            );
            const total = xs.reduce((a, b) => a + b, 0);
            expect(sum(x).item()).toBe(Math.fround(total));
            expect(mean(x).item()).toBe(Math.fround(total / n));
            const rowSum = sum(x, -1, keepDims);
            expect(rowSum.shape).toEqual(keepDims ? [...shape.slice(0, -1), 1] : shape.slice(0, -1));
            expect(rowSum.toArray()).toEqual(rows.map(Math.fround));
            expect(mean(x, shape.length - 1).toArray()).toEqual(rows.map((r) => Math.fround(r / last)));
            backward(
              mean(x, -1),
              fromArray(
                rows.map((_, r) => r + 1),
                rowSum.shape.slice(0, keepDims ? -1 : undefined),
              ),
            );
            const spread = xs.map((_, i) => Math.fround(Math.floor(i / last) + 1) * Math.fround(1 / last));
            expect(x.grad!.toArray()).toEqual(spread.map(Math.fround));
          }),
      ),
      { numRuns: 200 },
    );
  });
});
