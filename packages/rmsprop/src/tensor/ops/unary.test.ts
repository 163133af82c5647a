// The elementwise one-input ops against float64 references: random shapes (rank 0–3, sizes 1–7, so the
// SIMD kernels' tails run), values spread over 2^±6 with ±0, subnormals, 1e±30, ±3e38, ±∞ and NaN.
// neg, abs, relu, leakyRelu and clamp are one rounding (or none), and sqrt of a float32 computed in float64
// then rounded is correctly rounded (53 ≥ 2·24 + 2 bits, so the double rounding is innocuous): exact.
// pow rounds Math.pow once: within one float32 ulp of a reference computed another way. exp, log, tanh,
// sigmoid and gelu are the SIMD kernels, within the ulps kernels/pointwise.ts documents (measured over all
// float32 inputs) of Math's float64 functions (relu maps NaN to 0, as documented). Gradients: 40 random
// cases per op against g times the derivative, within the rounding the op's formula makes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abs,
  clamp,
  exp,
  fromArray,
  gelu,
  leakyRelu,
  log,
  neg,
  pow,
  relu,
  scope,
  sigmoid,
  sqrt,
  tanh,
  type Tensor,
} from '../index.js';
import {
  expectClose,
  expectEqual,
  expectSame,
  gradients,
  NONFINITE,
  seeded,
  shapeArb,
  sizeOf,
  SPECIAL,
  TINY,
  U,
  ulp,
} from './test-support.js';

/** erfc in float64 (to ~1e−14): the Taylor series of erf below 2, the Laplace continued fraction above. */
function erfc(z: number): number {
  if (z < 0) return 2 - erfc(-z);
  if (z < 2) {
    let [term, sum] = [z, z];
    for (let n = 1; n < 60; n++) {
      term *= (-z * z) / n;
      sum += term / (2 * n + 1);
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc z = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))).
  let f = z;
  for (let k = 120; k >= 1; k--) f = z + k / 2 / f;
  return Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
}
/** The standard normal CDF and density. */
const cdf = (x: number): number => erfc(-x / Math.SQRT2) / 2;
const density = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
const sigma = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** xᵖ by C99's pow (Annex F) for the specials, repeated products for integer p, e^(p·ln x) otherwise. */
function power(x: number, p: number): number {
  if (p === 0) return 1;
  if (Number.isNaN(x)) return NaN;
  if (Number.isInteger(p)) {
    let r = 1;
    for (let i = 0; i < Math.abs(p); i++) r *= x;
    return p < 0 ? 1 / r : r;
  }
  if (x === 0) return p > 0 ? 0 : Infinity;
  if (x === Infinity) return p > 0 ? Infinity : 0;
  if (x === -Infinity) return p > 0 ? Infinity : 0;
  if (x < 0) return NaN;
  return Math.exp(p * Math.log(x));
}

type Case = { name: string; run: (t: Tensor) => Tensor; ref: (x: number) => number; tol?: (want: number) => number };

/** Ops compared bit for bit (no `tol`), as numbers (clamp: the sign of a zero at a zero bound is open), or within `tol`. */
function cases(slope: number, lo: number, hi: number, p: number): Case[] {
  return [
    { name: 'neg', run: neg, ref: (x) => -x },
    { name: 'abs', run: abs, ref: (x) => (x < 0 || Object.is(x, -0) ? -x : x) },
    { name: 'sqrt', run: sqrt, ref: (x) => Math.fround(Math.sqrt(x)) },
    // NaN to 0, as documented (PyTorch propagates NaN).
    { name: 'relu', run: relu, ref: (x) => (x > 0 ? x : 0) },
    { name: `leakyRelu ${slope}`, run: (t) => leakyRelu(t, slope), ref: (x) => (x > 0 ? x : Math.fround(slope * x)) },
    { name: `clamp ${lo} ${hi}`, run: (t) => clamp(t, lo, hi), ref: (x) => (x < lo ? lo : x > hi ? hi : x) },
    { name: `pow ${p}`, run: (t) => pow(t, p), ref: (x) => power(x, p), tol: ulp },
    { name: 'exp', run: exp, ref: Math.exp, tol: ulp },
    { name: 'log', run: log, ref: Math.log, tol: ulp },
    { name: 'tanh', run: tanh, ref: Math.tanh, tol: (w) => 2 * ulp(w) },
    { name: 'sigmoid', run: sigmoid, ref: sigma, tol: (w) => 3 * ulp(w) },
    // 3.30 ulps from the kernel's erfc approximation, which is within 1.2e−7 (≤ 2 ulps) relative of erfc.
    { name: 'gelu', run: gelu, ref: (x) => x * cdf(x), tol: (w) => 6 * ulp(w) },
  ];
}

const exponents = [0, 1, 2, 3, -1, -2, 0.5, -0.5, 1.5, 2.5, 1 / 3];
const bounds = [-Infinity, -1, -0.5, 0, 0.25, 1, Infinity];

describe('unary ops', () => {
  it('match their float64 references on random shapes and special values', () => {
    fc.assert(
      fc.property(
        shapeArb(0, 3, 7),
        fc.nat(),
        fc.constantFrom(0.01, 0.2, 0, 1, -0.5, 0.1234567),
        fc.constantFrom(...bounds),
        fc.constantFrom(...bounds),
        fc.constantFrom(...exponents),
        (shape, seed, slope, a, b, p) =>
          scope(() => {
            const x = seeded(sizeOf(shape), seed, { spread: 6, special: [...SPECIAL, ...NONFINITE, a, b], rate: 0.3 });
            const t = fromArray(x, shape);
            for (const { name, run, ref, tol } of cases(slope, Math.min(a, b), Math.max(a, b), p)) {
              const out = run(t);
              expect(out.shape).toEqual(shape);
              const want = Array.from(x, ref);
              const what = `${name} of [${shape}], seed ${seed}`;
              if (tol) expectClose(out.toArray(), want, (k) => tol(want[k]!), what);
              else if (name.startsWith('clamp')) expectEqual(out.toArray(), want.map(Math.fround), what);
              else expectSame(out.toArray(), want, what);
            }
          }),
      ),
      { numRuns: 150 },
    );
  });

  it('gelu reaches x·Φ(x) far into the tails', () => {
    scope(() => {
      const x = Float32Array.from({ length: 161 }, (_, i) => -14 + i * 0.175);
      const want = Array.from(x, (v) => v * cdf(v));
      expectClose(gelu(fromArray(x)).toArray(), want, (k) => 6 * ulp(want[k]!), 'gelu');
    });
  });
});

interface GradCase {
  name: string;
  run: (t: Tensor) => Tensor;
  /** Inputs for this op: away from where it is undefined. */
  fill: Parameters<typeof seeded>[2];
  /** The derivative times g, and its tolerance (none: exact). */
  ref: (x: number, g: number) => number;
  tol?: (x: number, g: number, want: number) => number;
}

function gradCases(slope: number, lo: number, hi: number, p: number): GradCase[] {
  const any = { spread: 3, special: [0, -0, lo, hi].filter(Number.isFinite) };
  const positive = { lo: 0.05, hi: 4 };
  return [
    { name: 'neg', run: neg, fill: any, ref: (_, g) => -g },
    // sign(0) = 0: PyTorch's convention.
    { name: 'abs', run: abs, fill: any, ref: (x, g) => g * Math.sign(x) },
    {
      name: 'sqrt',
      run: sqrt,
      fill: positive,
      ref: (x, g) => g / (2 * Math.sqrt(x)),
      tol: (_, __, w) => 2 * U * Math.abs(w),
    },
    { name: 'relu', run: relu, fill: any, ref: (x, g) => (x > 0 ? g : 0) },
    {
      name: 'leakyRelu',
      run: (t) => leakyRelu(t, slope),
      fill: any,
      ref: (x, g) => (x > 0 ? g : Math.fround(g * slope)),
    },
    // The gradient flows at the bounds too (PyTorch's convention).
    { name: 'clamp', run: (t) => clamp(t, lo, hi), fill: any, ref: (x, g) => (x >= lo && x <= hi ? g : 0) },
    {
      name: `pow ${p}`,
      run: (t) => pow(t, p),
      fill: Number.isInteger(p) ? any : positive,
      ref: (x, g) => (p === 0 ? 0 : g * p * power(x, p - 1)),
      tol: (_, __, w) => 2 * U * Math.abs(w) + TINY,
    },
    // g·y with y within an ulp: 3 roundings' worth; g / x: one.
    { name: 'exp', run: exp, fill: any, ref: (x, g) => g * Math.exp(x), tol: (_, __, w) => 4 * U * Math.abs(w) + TINY },
    { name: 'log', run: log, fill: positive, ref: (x, g) => g / x, tol: (_, __, w) => U * Math.abs(w) },
    // g·(1 − y)(1 + y) from y = tanh x within 1.51 ulps (≤ 3.02·U·|y|), whose error moves the result by 2|y|·that.
    {
      name: 'tanh',
      run: tanh,
      fill: any,
      ref: (x, g) => g * (1 - Math.tanh(x) ** 2),
      tol: (x, g, w) => 8 * U * Math.abs(g) * Math.tanh(x) ** 2 + 5 * U * Math.abs(w) + TINY,
    },
    // g·y(1 − y) from y within 2.40 ulps (≤ 4.8·U·y), moving the result by |1 − 2y| ≤ 1 times that.
    {
      name: 'sigmoid',
      run: sigmoid,
      fill: any,
      ref: (x, g) => g * sigma(x) * sigma(-x),
      tol: (x, g, w) => 6 * U * Math.abs(g) * sigma(x) + 4 * U * Math.abs(w) + TINY,
    },
    // 4.2 ulps of Φ(x) + |x·φ(x)| against its reference, whose Φ is within 1.2e−7 relative.
    {
      name: 'gelu',
      run: gelu,
      fill: any,
      ref: (x, g) => g * (cdf(x) + x * density(x)),
      tol: (x, g, w) => 12 * U * Math.abs(g) * (cdf(x) + Math.abs(x * density(x))) + U * Math.abs(w) + TINY,
    },
  ];
}

describe('unary ops, gradients', () => {
  it('equal g times the derivative', () => {
    fc.assert(
      fc.property(
        shapeArb(0, 3, 7),
        fc.nat(),
        fc.constantFrom(0.01, 0.2, -0.5),
        fc.constantFrom(-1, -0.5, 0),
        fc.constantFrom(0, 0.25, 1),
        fc.constantFrom(...exponents),
        (shape, seed, slope, lo, hi, p) =>
          scope(() => {
            for (const { name, run, fill, ref, tol } of gradCases(slope, lo, hi, p)) {
              const x = seeded(sizeOf(shape), seed, fill);
              const t = fromArray(x, shape, { requiresGrad: true });
              const g = seeded(x.length, seed + 1, { spread: 2 });
              const [dx] = gradients(run(t), g, [t]);
              const want = Array.from(x, (v, i) => ref(v, g[i]!));
              const what = `d${name} of [${shape}], seed ${seed}`;
              if (tol) expectClose(dx!, want, (k) => tol(x[k]!, g[k]!, want[k]!), what);
              else expectEqual(dx!, want, what);
            }
          }),
      ),
      { numRuns: 40 },
    );
  });
});
