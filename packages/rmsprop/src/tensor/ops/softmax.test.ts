// softmax and logSoftmax along any axis (negative included) against a float64 reference with naive index
// arithmetic: shapes of rank 1–4 with sizes 1–6, logits spread over 2^±6 with ±0, −∞ (masked), values far
// enough apart that e^(x − max) underflows, and rows holding NaN or +∞ (NaN rows). The last axis runs the
// SIMD row kernels, other axes float64 lines; both must stay within the kernels' bounds (softmax.test.ts in
// kernels/): softmax 4 ulps of each output, logSoftmax 3 ulps of 2|y| + ln n (the terms x − max and ln Σ).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, logSoftmax, scope, softmax } from '../index.js';
import { expectClose, gradients, NONFINITE, seeded, shapeArb, sizeOf, U } from './test-support.js';

/** Calls f(positions) for every line of `shape` along `axis`: the element indices of the line, in order. */
function forEachLine(shape: readonly number[], axis: number, f: (at: number[]) => void): void {
  const inner = sizeOf(shape.slice(axis + 1));
  const n = shape[axis]!;
  for (let o = 0; o < sizeOf(shape.slice(0, axis)); o++) {
    for (let i = 0; i < inner; i++) f(Array.from({ length: n }, (_, j) => (o * n + j) * inner + i));
  }
}

/** softmax and log-softmax of x along `axis` in float64, naively. */
function reference(x: ArrayLike<number>, shape: readonly number[], axis: number): [Float64Array, Float64Array] {
  const [p, lp] = [new Float64Array(x.length), new Float64Array(x.length)];
  forEachLine(shape, axis, (at) => {
    const m = at.reduce((a, k) => Math.max(a, x[k]!), -Infinity);
    const s = at.reduce((a, k) => a + Math.exp(x[k]! - m), 0);
    for (const k of at) {
      p[k] = Math.exp(x[k]! - m) / s;
      lp[k] = x[k]! - m - Math.log(s);
    }
  });
  return [p, lp];
}

const caseArb = shapeArb(1, 4, 6).chain((shape) =>
  fc.tuple(fc.constant(shape), fc.integer({ min: -shape.length, max: shape.length - 1 }), fc.nat()),
);

describe('softmax and logSoftmax along any axis', () => {
  it('match the float64 reference', () => {
    fc.assert(
      fc.property(caseArb, fc.boolean(), ([shape, dim, seed], nonFinite) =>
        scope(() => {
          const special = [0, -0, -Infinity, 88, -104, 200, 2 ** -149, ...(nonFinite ? NONFINITE : [])];
          const x = seeded(sizeOf(shape), seed, { spread: 6, special, rate: 0.15 });
          const axis = dim < 0 ? dim + shape.length : dim;
          const [p, lp] = reference(x, shape, axis);
          const what = `[${shape}] along ${dim}, seed ${seed}`;
          const [y, ly] = [softmax(fromArray(x, shape), dim), logSoftmax(fromArray(x, shape), dim)];
          expect(y.shape).toEqual(shape);
          expect(ly.shape).toEqual(shape);
          const n = shape[axis]!;
          expectClose(y.toArray(), p, (k) => 4 * U * Math.abs(p[k]!) + 2 ** -148, `softmax ${what}`);
          expectClose(ly.toArray(), lp, (k) => 3 * U * (2 * Math.abs(lp[k]!) + Math.log(n)), `logSoftmax ${what}`);
        }),
      ),
      { numRuns: 300 },
    );
  });

  it('send back y·(g − Σ g·y) and g − softmax·Σ g along the line', () => {
    fc.assert(
      fc.property(caseArb, ([shape, dim, seed]) =>
        scope(() => {
          const x = seeded(sizeOf(shape), seed, { spread: 3 });
          const g = seeded(x.length, seed + 1, { spread: 2 });
          const axis = dim < 0 ? dim + shape.length : dim;
          const [p, lp] = reference(x, shape, axis);
          const n = shape[axis]!;
          const [want, wantLog] = [new Float64Array(x.length), new Float64Array(x.length)];
          const [tol, tolLog] = [new Float64Array(x.length), new Float64Array(x.length)];
          forEachLine(shape, axis, (at) => {
            const gy = at.reduce((a, k) => a + g[k]! * p[k]!, 0);
            const gs = at.reduce((a, k) => a + g[k]!, 0);
            const [gyAbs, gsAbs] = [
              at.reduce((a, k) => a + Math.abs(g[k]! * p[k]!), 0),
              at.reduce((a, k) => a + Math.abs(g[k]!), 0),
            ];
            for (const k of at) {
              want[k] = p[k]! * (g[k]! - gy);
              wantLog[k] = g[k]! - p[k]! * gs;
              // The kernels' bounds, doubled for the error of the y they start from (4 ulps of softmax;
              // 3 ulps of 2|y| + ln n in log-softmax, which e^y turns into a relative error).
              tol[k] = 8 * U * p[k]! * (Math.abs(g[k]!) + gyAbs) + 2 ** -148;
              tolLog[k] =
                4 * U * (Math.abs(g[k]!) + p[k]! * gsAbs * (1 + 2 * Math.abs(lp[k]!) + Math.log(n))) + 2 ** -148;
            }
          });
          const what = `[${shape}] along ${dim}, seed ${seed}`;
          const t = fromArray(x, shape, { requiresGrad: true });
          expectClose(gradients(softmax(t, dim), g, [t])[0]!, want, (k) => tol[k]!, `dsoftmax ${what}`);
          expectClose(gradients(logSoftmax(t, dim), g, [t])[0]!, wantLog, (k) => tolLog[k]!, `dlogSoftmax ${what}`);
        }),
      ),
      { numRuns: 150 },
    );
  });
});
