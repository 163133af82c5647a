// crossEntropy, mseLoss and bceWithLogits against float64 references written from PyTorch's definitions,
// over random shapes ([N, C] and [N, C, d…] logits; broadcasting mse operands; any-rank bce), every
// reduction, ignoreIndex (the default −100 and a class index), labelSmoothing, soft targets and posWeight
// of any shape that broadcasts to the input's. The losses are computed in float64 and rounded once per element, so each element is within
// one rounding of the reference, plus what float64 loses where terms of size |x| cancel (2^−50·|x|); sums
// add U·|total|. Gradients against the analytic ones: softmax − target scaled by the reduction,
// 2(x − y)·g summed over broadcasts, and (1 − y)·σ(x) − posWeight·y·σ(−x).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bceWithLogits, crossEntropy, fromArray, mseLoss, scope } from '../index.js';
import type { Reduction } from './loss.js';
import {
  broadcastShape,
  expectClose,
  forEachIndex,
  gradients,
  offsetOf,
  partnerArb,
  seeded,
  seededInts,
  shapeArb,
  sizeOf,
  Sums,
  TINY,
  U,
  unravel,
} from './test-support.js';

/** float64's own rounding, for terms of the given size that cancel. */
const F64 = 2 ** -50;
const reductionArb = fc.constantFrom<Reduction>('mean', 'sum', 'none');

/** A reduction of float64 losses, each within tol[i], as the ops do it: Σ, Σ/count or the elements. */
function reduce(losses: number[], tol: number[], reduction: Reduction, count = losses.length): [number[], number[]] {
  if (reduction === 'none') return [losses, tol];
  const total = losses.reduce((a, b) => a + b, 0);
  const t = tol.reduce((a, b) => a + b, 0);
  const scale = reduction === 'mean' ? 1 / count : 1;
  return [[total * scale], [t * scale + U * Math.abs(total * scale) + TINY]];
}

describe('crossEntropy', () => {
  it('is log Σ eˣ − x[label] per position (mixed with the mean over classes by labelSmoothing), and sends back softmax − target', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        shapeArb(0, 2, 3),
        reductionArb,
        fc.option(fc.nat()),
        fc.constantFrom(0, 0, 0.1, 0.35, 1),
        fc.nat(),
        (n, classes, extra, reduction, ignore, smoothing, seed) =>
          scope(() => {
            const ignoreIndex = ignore === null ? -100 : ignore % classes;
            const shape = [n, classes, ...extra];
            const targetShape = [n, ...extra];
            const inner = sizeOf(extra);
            const x = seeded(sizeOf(shape), seed, { spread: 6, special: [0, -0, 2 ** -149], rate: 0.1 });
            // Labels, a few of them the ignored index.
            const labels = seededInts(sizeOf(targetShape), seed + 1, -1, classes).map((v) => (v < 0 ? ignoreIndex : v));
            const logits = fromArray(x, shape, { requiresGrad: true });
            const out = crossEntropy(logits, fromArray(labels, targetShape, { dtype: 'int32' }), {
              reduction,
              ignoreIndex,
              labelSmoothing: smoothing,
            });
            expect(out.shape).toEqual(reduction === 'none' ? targetShape : []);
            const [losses, tol, probs] = [[] as number[], [] as number[], new Float64Array(x.length)];
            let count = 0;
            for (let k = 0; k < labels.length; k++) {
              // Position k = (sample b, spatial s) reads the logits at (b, j, s) for every class j.
              const [b, s] = [Math.floor(k / inner), k % inner];
              const at = (j: number) => (b * classes + j) * inner + s;
              const label = labels[k]!;
              if (label === ignoreIndex) {
                [losses[k], tol[k]] = [0, 0];
                continue;
              }
              count++;
              let m = -Infinity;
              for (let j = 0; j < classes; j++) m = Math.max(m, x[at(j)]!);
              let sum = 0;
              for (let j = 0; j < classes; j++) sum += Math.exp(x[at(j)]! - m);
              const lse = m + Math.log(sum);
              let mean = 0;
              for (let j = 0; j < classes; j++) {
                mean += (lse - x[at(j)]!) / classes;
                probs[at(j)] = Math.exp(x[at(j)]! - lse);
              }
              losses[k] = (1 - smoothing) * (lse - x[at(label)]!) + smoothing * mean;
              tol[k] = U * Math.abs(losses[k]!) + F64 * (Math.abs(lse) + Math.abs(m) + 1) + TINY;
            }
            const [want, wantTol] = reduce(losses, tol, reduction, count);
            const what = `crossEntropy [${shape}] ${JSON.stringify({ reduction, ignoreIndex, smoothing, seed })}`;
            // All positions ignored: the mean is 0/0 = NaN, as in PyTorch.
            expectClose(out.toArray(), want, (k) => wantTol[k]!, what);
            if (reduction === 'mean' && count === 0) return;
            const g = seeded(out.size, seed + 2, { spread: 2 });
            const dx = new Float64Array(x.length);
            const dxTol = new Float64Array(x.length);
            for (let k = 0; k < labels.length; k++) {
              const [b, s] = [Math.floor(k / inner), k % inner];
              if (labels[k] === ignoreIndex) continue;
              const scale = reduction === 'none' ? g[k]! : reduction === 'sum' ? g[0]! : g[0]! / count;
              for (let j = 0; j < classes; j++) {
                const at = (b * classes + j) * inner + s;
                const target = (j === labels[k] ? 1 - smoothing : 0) + smoothing / classes;
                dx[at] = (probs[at]! - target) * scale;
                // The softmax rounded to float32, the difference and the product rounded.
                dxTol[at] = 3 * U * Math.abs(scale) * (probs[at]! + target) + TINY;
              }
            }
            expectClose(gradients(out, g, [logits])[0]!, dx, (k) => dxTol[k]!, `d${what}`);
          }),
      ),
      { numRuns: 300 },
    );
  });
});

describe('mseLoss', () => {
  it('is the mean (sum, elements) of (x − y)² over the broadcast shape, and sends back 2(x − y)·g', () => {
    fc.assert(
      fc.property(
        shapeArb(0, 3).chain((full) => fc.tuple(partnerArb(full), partnerArb(full))),
        reductionArb,
        fc.nat(),
        ([xs, ys], reduction, seed) =>
          scope(() => {
            const [a, b] = [seeded(sizeOf(xs), seed, { spread: 4 }), seeded(sizeOf(ys), seed + 1, { spread: 4 })];
            const [x, y] = [fromArray(a, xs, { requiresGrad: true }), fromArray(b, ys, { requiresGrad: true })];
            const out = mseLoss(x, y, reduction);
            const shape = broadcastShape(xs, ys);
            expect(out.shape).toEqual(reduction === 'none' ? shape : []);
            const [losses, tol, diff] = [[] as number[], [] as number[], [] as number[]];
            forEachIndex(shape, (index, i) => {
              diff[i] = a[offsetOf(index, xs)]! - b[offsetOf(index, ys)]!;
              losses[i] = diff[i]! ** 2;
              // x − y rounded, squared and rounded: 3 roundings.
              tol[i] = 3 * U * losses[i]! + TINY;
            });
            const [want, wantTol] = reduce(losses, tol, reduction);
            const what = `mseLoss [${xs}] [${ys}] ${reduction}, seed ${seed}`;
            expectClose(out.toArray(), want, (k) => wantTol[k]!, what);
            const g = seeded(out.size, seed + 2, { spread: 2 });
            const [da, db] = [new Sums(a.length), new Sums(b.length)];
            forEachIndex(shape, (index, i) => {
              const d =
                (2 * diff[i]! * (reduction === 'none' ? g[i]! : g[0]!)) / (reduction === 'mean' ? losses.length : 1);
              // mul(d, d) sends g·d back from each side: two terms.
              for (const half of [d / 2, d / 2]) {
                da.add(offsetOf(index, xs), half);
                db.add(offsetOf(index, ys), -half);
              }
            });
            // Each term: x − y, the mean's g/n and g·d (twice, added) rounded, then the broadcast sums.
            const tolOf = (s: Sums) => (k: number) => s.tolerance(k) + 3 * U * s.magnitude[k]!;
            const [gx, gy] = gradients(out, g, [x, y]);
            expectClose(gx!, da.value, tolOf(da), `d${what}/dx`);
            expectClose(gy!, db.value, tolOf(db), `d${what}/dy`);
          }),
      ),
      { numRuns: 200 },
    );
  });
});

const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
const sigma = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

describe('bceWithLogits', () => {
  it('is −[p·y·log σ(x) + (1 − y)·log(1 − σ(x))], p the posWeight broadcast to x, and sends back its derivative', () => {
    fc.assert(
      fc.property(
        shapeArb(1, 3).chain((shape) => fc.tuple(fc.constant(shape), fc.option(partnerArb(shape)))),
        reductionArb,
        fc.boolean(),
        fc.nat(),
        ([shape, pwShape], reduction, soft, seed) =>
          scope(() => {
            const n = sizeOf(shape);
            const xs = seeded(n, seed, { spread: 6, special: [0, -0, 100, -100, 2 ** -140], rate: 0.1 });
            const ys = soft ? seeded(n, seed + 1, { lo: 0, hi: 1 }) : seeded(n, seed + 1, { lo: 0, hi: 1, step: 1 });
            // posWeight of any shape that broadcasts to the input's: per class ([C]), per sample ([N, 1]), …
            const pw = pwShape ? seeded(sizeOf(pwShape), seed + 2, { lo: 0, hi: 3 }) : null;
            const x = fromArray(xs, shape, { requiresGrad: true });
            const out = bceWithLogits(x, fromArray(ys, shape), {
              reduction,
              ...(pw && pwShape ? { posWeight: fromArray(pw, pwShape) } : {}),
            });
            expect(out.shape).toEqual(reduction === 'none' ? shape : []);
            const p = (i: number) => (pw && pwShape ? pw[offsetOf(unravel(i, shape), pwShape)]! : 1);
            const [losses, tol] = [[] as number[], [] as number[]];
            for (let i = 0; i < n; i++) {
              const [v, y] = [xs[i]!, ys[i]!];
              losses[i] = p(i) * y * softplus(-v) + (1 - y) * softplus(v);
              // The stable form adds (1 − y)·x and terms of size |w|·(|x| + 1) that cancel when the loss is small.
              const w = 1 + (p(i) - 1) * y;
              tol[i] = U * Math.abs(losses[i]!) + F64 * (Math.abs(v) + Math.abs(w) * (Math.abs(v) + 1)) + TINY;
            }
            const [want, wantTol] = reduce(losses, tol, reduction);
            const what = `bceWithLogits [${shape}] ${JSON.stringify({ pwShape, reduction, soft, seed })}`;
            expectClose(out.toArray(), want, (k) => wantTol[k]!, what);
            const g = seeded(out.size, seed + 3, { spread: 2 });
            const dx: number[] = [];
            const dxTol: number[] = [];
            for (let i = 0; i < n; i++) {
              const [v, y] = [xs[i]!, ys[i]!];
              const scale = reduction === 'none' ? g[i]! : reduction === 'sum' ? g[0]! : g[0]! / n;
              dx[i] = scale * ((1 - y) * sigma(v) - p(i) * y * sigma(-v));
              // 1 − y − w/(1 + eˣ) in float64 cancels terms of size 1 + |w|; g/n and the product are rounded.
              dxTol[i] = 3 * U * Math.abs(dx[i]!) + F64 * Math.abs(scale) * (2 + Math.abs(1 + (p(i) - 1) * y)) + TINY;
            }
            expectClose(gradients(out, g, [x])[0]!, dx, (k) => dxTol[k]!, `d${what}`);
          }),
      ),
      { numRuns: 200 },
    );
  });
});

it('bceWithLogits refuses a posWeight that does not broadcast to the input', () => {
  scope(() => {
    const x = fromArray([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(() => bceWithLogits(x, x, { posWeight: fromArray([1, 2]) })).toThrow(RangeError);
    expect(() => bceWithLogits(x, x, { posWeight: fromArray([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3]) })).toThrow(
      'bceWithLogits: shapes [3, 3] and [2, 3] do not broadcast (size 3 against 2)',
    );
    expect(() => bceWithLogits(x, x, { posWeight: fromArray([1, 2, 3, 4, 5, 6], [1, 2, 3]) })).toThrow(
      'bceWithLogits: posWeight [1, 2, 3] does not broadcast to the input [2, 3]',
    );
  });
});
