// conv2d, maxPool2d and avgPool2d as whole ops against direct float64 loops over their windows, written
// from PyTorch's definitions: random batch (1–3, so both the one-sample and the several-samples-per-GEMM
// paths run), channels and groups, sizes 1–9, kernels 1–4, strides, dilations, padding as a number, a pair,
// 'same' or 'valid', ceil mode and countIncludePad. Convolution and average pooling are float32 sums of
// products (im2col + GEMM, window sums): within the γ bound (terms + 1)·U·Σ|term|, as are their gradients
// (col2im and the weight GEMM accumulate over windows and samples). Max pooling picks an element: exact,
// with PyTorch's rules (the first of tied maxima, NaN wins, the last NaN); its gradient goes to that element.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { avgPool2d, conv2d, fromArray, maxPool2d, scope } from '../index.js';
import { expectClose, expectSame, gradients, NONFINITE, seeded, Sums, sumTolerance, U } from './test-support.js';

const small = (min: number, max: number) => fc.integer({ min, max });
const pairArb = (min: number, max: number) => fc.tuple(small(min, max), small(min, max));

interface ConvCase {
  n: number;
  groups: number;
  /** Input and output channels per group. */
  cg: number;
  og: number;
  h: number;
  w: number;
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  padding: [number, number] | number | 'same' | 'valid';
  bias: boolean;
  seed: number;
}

const convArb: fc.Arbitrary<ConvCase> = fc
  .record({
    n: small(1, 3),
    groups: small(1, 3),
    cg: small(1, 3),
    og: small(1, 3),
    h: small(1, 9),
    w: small(1, 9),
    kernel: pairArb(1, 4),
    stride: pairArb(1, 3),
    dilation: pairArb(1, 3),
    padding: fc.oneof(pairArb(0, 2), small(0, 2), fc.constantFrom<'same' | 'valid'>('same', 'valid')),
    bias: fc.boolean(),
    seed: fc.nat(),
  })
  .map((c) => {
    // 'same' needs stride 1; the input must hold one dilated window after padding.
    const stride: [number, number] = c.padding === 'same' ? [1, 1] : c.stride;
    const [[top, left], [bottom, right]] = padsOf(c);
    const h = Math.max(c.h, c.dilation[0] * (c.kernel[0] - 1) + 1 - top - bottom);
    const w = Math.max(c.w, c.dilation[1] * (c.kernel[1] - 1) + 1 - left - right);
    return { ...c, stride, h, w };
  });

/** [top, left] and [bottom, right] padding, PyTorch's 'same' putting the odd pixel at the bottom and right. */
function padsOf(c: Pick<ConvCase, 'padding' | 'kernel' | 'dilation'>): [[number, number], [number, number]] {
  if (c.padding === 'valid')
    return [
      [0, 0],
      [0, 0],
    ];
  if (c.padding === 'same') {
    const total = [0, 1].map((a) => c.dilation[a]! * (c.kernel[a]! - 1));
    const before: [number, number] = [Math.floor(total[0]! / 2), Math.floor(total[1]! / 2)];
    return [before, [total[0]! - before[0], total[1]! - before[1]]];
  }
  const p: [number, number] = typeof c.padding === 'number' ? [c.padding, c.padding] : c.padding;
  return [p, p];
}

describe('conv2d', () => {
  it('matches direct loops over the windows, with groups, stride, padding and dilation, and its gradients', () => {
    fc.assert(
      fc.property(convArb, (c) =>
        scope(() => {
          const [cin, cout, [kh, kw], [sh, sw], [dh, dw]] = [
            c.groups * c.cg,
            c.groups * c.og,
            c.kernel,
            c.stride,
            c.dilation,
          ];
          const [[top, left], [bottom, right]] = padsOf(c);
          const ho = Math.floor((c.h + top + bottom - dh * (kh - 1) - 1) / sh) + 1;
          const wo = Math.floor((c.w + left + right - dw * (kw - 1) - 1) / sw) + 1;
          const fill = { spread: 3, special: [0, -0, 2 ** -130], rate: 0.05 };
          const xs = seeded(c.n * cin * c.h * c.w, c.seed, fill);
          const ws = seeded(cout * c.cg * kh * kw, c.seed + 1, fill);
          const bs = seeded(cout, c.seed + 2, fill);
          const x = fromArray(xs, [c.n, cin, c.h, c.w], { requiresGrad: true });
          const weight = fromArray(ws, [cout, c.cg, kh, kw], { requiresGrad: true });
          const bias = c.bias ? fromArray(bs, [cout], { requiresGrad: true }) : null;
          const y = conv2d(x, weight, bias, {
            stride: c.stride,
            padding: c.padding,
            dilation: c.dilation,
            groups: c.groups,
          });
          expect(y.shape).toEqual([c.n, cout, ho, wo]);
          const g = seeded(y.size, c.seed + 3, { spread: 2 });
          const [want, dx, dwt, db] = [new Sums(y.size), new Sums(xs.length), new Sums(ws.length), new Sums(cout)];
          for (let b = 0; b < c.n; b++) {
            for (let o = 0; o < cout; o++) {
              const group = Math.floor(o / c.og);
              for (let oy = 0; oy < ho; oy++) {
                for (let ox = 0; ox < wo; ox++) {
                  const at = ((b * cout + o) * ho + oy) * wo + ox;
                  if (bias) want.add(at, bs[o]!);
                  db.add(o, g[at]!);
                  for (let ci = 0; ci < c.cg; ci++) {
                    for (let i = 0; i < kh; i++) {
                      for (let j = 0; j < kw; j++) {
                        const [iy, ix] = [oy * sh - top + i * dh, ox * sw - left + j * dw];
                        if (iy < 0 || iy >= c.h || ix < 0 || ix >= c.w) continue;
                        const xi = ((b * cin + group * c.cg + ci) * c.h + iy) * c.w + ix;
                        const wi = ((o * c.cg + ci) * kh + i) * kw + j;
                        want.add(at, xs[xi]! * ws[wi]!);
                        dx.add(xi, g[at]! * ws[wi]!);
                        dwt.add(wi, g[at]! * xs[xi]!);
                      }
                    }
                  }
                }
              }
            }
          }
          const what = `conv2d ${JSON.stringify(c)}`;
          expectClose(y.toArray(), want.value, want.tolerance, what);
          const grads = gradients(y, g, bias ? [x, weight, bias] : [x, weight]);
          expectClose(grads[0]!, dx.value, dx.tolerance, `dx of ${what}`);
          expectClose(grads[1]!, dwt.value, dwt.tolerance, `dweight of ${what}`);
          if (bias) expectClose(grads[2]!, db.value, db.tolerance, `dbias of ${what}`);
        }),
      ),
      { numRuns: 200 },
    );
  });
});

interface PoolCase {
  n: number;
  c: number;
  h: number;
  w: number;
  kernel: [number, number];
  /** null: the kernel size (the default). */
  stride: [number, number] | null;
  padding: [number, number];
  dilation: [number, number];
  ceilMode: boolean;
  countIncludePad: boolean;
  seed: number;
}

const poolArb = (dilated: boolean): fc.Arbitrary<PoolCase> =>
  fc
    .record({
      n: small(1, 2),
      c: small(1, 3),
      h: small(1, 9),
      w: small(1, 9),
      kernel: pairArb(1, 4),
      stride: fc.option(pairArb(1, 3)),
      padding: pairArb(0, 2),
      dilation: dilated ? pairArb(1, 3) : fc.constant<[number, number]>([1, 1]),
      ceilMode: fc.boolean(),
      countIncludePad: fc.boolean(),
      seed: fc.nat(),
    })
    .map((p) => {
      // Padding at most half the kernel (PyTorch's rule); the padded input holds one dilated window.
      const padding: [number, number] = [
        Math.min(p.padding[0], p.kernel[0] >> 1),
        Math.min(p.padding[1], p.kernel[1] >> 1),
      ];
      const h = Math.max(p.h, p.dilation[0] * (p.kernel[0] - 1) + 1 - 2 * padding[0]);
      const w = Math.max(p.w, p.dilation[1] * (p.kernel[1] - 1) + 1 - 2 * padding[1]);
      return { ...p, padding, h, w };
    });

/** PyTorch's pooling output size: the last window must start inside the input or its left padding. */
function pooledLength(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = n + 2 * p - d * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= n + p) out--;
  return out;
}

/** Calls f(output index, first input index of the plane, window origin) for every output of a pooling. */
function forEachWindow(p: PoolCase, f: (out: number, plane: number, y0: number, x0: number) => void): [number, number] {
  const [kh, kw] = p.kernel;
  const [sh, sw] = p.stride ?? p.kernel;
  const ho = pooledLength(p.h, kh, sh, p.padding[0], p.dilation[0], p.ceilMode);
  const wo = pooledLength(p.w, kw, sw, p.padding[1], p.dilation[1], p.ceilMode);
  for (let plane = 0; plane < p.n * p.c; plane++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        f((plane * ho + oy) * wo + ox, plane * p.h * p.w, oy * sh - p.padding[0], ox * sw - p.padding[1]);
      }
    }
  }
  return [ho, wo];
}

const poolOptions = (p: PoolCase) => ({
  kernel: p.kernel,
  stride: p.stride ?? undefined,
  padding: p.padding,
  ceilMode: p.ceilMode,
});

describe('maxPool2d', () => {
  it('takes the maximum of each window (first of ties, NaN wins), and sends g to it', () => {
    fc.assert(
      fc.property(poolArb(true), fc.boolean(), (p, nan) =>
        scope(() => {
          const special = [0, -0, Infinity, -Infinity, ...(nan ? [NaN] : [])];
          const xs = seeded(p.n * p.c * p.h * p.w, p.seed, { lo: -2, hi: 2, step: 0.5, special, rate: 0.1 });
          const x = fromArray(xs, [p.n, p.c, p.h, p.w], { requiresGrad: true });
          const y = maxPool2d(x, { ...poolOptions(p), dilation: p.dilation });
          const want: number[] = [];
          const argmax: number[] = [];
          const [ho, wo] = forEachWindow(p, (out, plane, y0, x0) => {
            let [best, at] = [-Infinity, -1];
            for (let i = 0; i < p.kernel[0]; i++) {
              for (let j = 0; j < p.kernel[1]; j++) {
                const [iy, ix] = [y0 + i * p.dilation[0], x0 + j * p.dilation[1]];
                if (iy < 0 || iy >= p.h || ix < 0 || ix >= p.w) continue;
                const v = xs[plane + iy * p.w + ix]!;
                if (v > best || Number.isNaN(v)) [best, at] = [v, plane + iy * p.w + ix];
              }
            }
            want[out] = best;
            argmax[out] = at;
          });
          expect(y.shape).toEqual([p.n, p.c, ho, wo]);
          const what = `maxPool2d ${JSON.stringify(p)}`;
          expectSame(y.toArray(), want, what);
          const g = seeded(y.size, p.seed + 1, { spread: 2 });
          const dx = new Sums(xs.length);
          argmax.forEach((at, k) => at >= 0 && dx.add(at, g[k]!));
          expectClose(gradients(y, g, [x])[0]!, dx.value, dx.tolerance, `d${what}`);
        }),
      ),
      { numRuns: 300 },
    );
  });
});

describe('avgPool2d', () => {
  it("divides each window's sum by PyTorch's divisor, and spreads g/divisor back", () => {
    fc.assert(
      fc.property(poolArb(false), (p) =>
        scope(() => {
          const xs = seeded(p.n * p.c * p.h * p.w, p.seed, { spread: 3, special: [0, -0, ...NONFINITE], rate: 0.02 });
          const x = fromArray(xs, [p.n, p.c, p.h, p.w], { requiresGrad: true });
          const y = avgPool2d(x, { ...poolOptions(p), countIncludePad: p.countIncludePad });
          const g = seeded(y.size, p.seed + 1, { spread: 2 });
          const [want, tol] = [[] as number[], [] as number[]];
          const dx = new Sums(xs.length);
          const [ho, wo] = forEachWindow(p, (out, plane, y0, x0) => {
            const [kh, kw] = p.kernel;
            // The window clipped to the padded input (the overhang of a ceil-mode window never counts), or
            // to the input itself without countIncludePad.
            const [y1, x1] = [Math.min(y0 + kh, p.h + p.padding[0]), Math.min(x0 + kw, p.w + p.padding[1])];
            const [ya, xa, yb, xb] = [Math.max(y0, 0), Math.max(x0, 0), Math.min(y1, p.h), Math.min(x1, p.w)];
            const divisor = p.countIncludePad ? (y1 - y0) * (x1 - x0) : (yb - ya) * (xb - xa);
            let [s, m] = [0, 0];
            for (let iy = ya; iy < yb; iy++) {
              for (let ix = xa; ix < xb; ix++) {
                const at = plane + iy * p.w + ix;
                s += xs[at]!;
                m += Math.abs(xs[at]!);
                dx.add(at, g[out]! / divisor);
              }
            }
            want[out] = s / divisor;
            // The window's float32 sum over the divisor, then the quotient's rounding.
            tol[out] = sumTolerance((yb - ya) * (xb - xa), m) / divisor + U * Math.abs(s / divisor);
          });
          expect(y.shape).toEqual([p.n, p.c, ho, wo]);
          const what = `avgPool2d ${JSON.stringify(p)}`;
          expectClose(y.toArray(), want, (k) => tol[k]!, what);
          expectClose(gradients(y, g, [x])[0]!, dx.value, dx.tolerance, `d${what}`);
        }),
      ),
      { numRuns: 300 },
    );
  });
});
