// Shared by the ops' property tests (not part of the build: see tsconfig.build.json): seeded values, random
// shapes, the naive row-major index arithmetic the float64 references are written with, tolerances and
// comparisons. The references use none of the library's code (only `gradients` runs its tape).
import fc from 'fast-check';
import { expect } from 'vitest';
import { backward, fromArray, type Tensor } from '../index.js';

export { expectSame } from '../../kernels/test-support.js';

/** The unit roundoff of float32: one rounding to nearest errs by at most U·|exact result| (normal range). */
export const U = 2 ** -24;
/** The smallest positive float32: a rounding among the subnormals errs by at most half of it. */
export const TINY = 2 ** -149;

/** Values that find edge cases: signed zeros, subnormals, tiny and huge magnitudes (3e38 overflows when doubled). */
export const SPECIAL: readonly number[] = [0, -0, 1, -1, 2 ** -130, -(2 ** -140), 1e-30, -1e-30, 1e30, 3e38, -3e38];
export const NONFINITE: readonly number[] = [Infinity, -Infinity, NaN];

export interface Fill {
  /** Uniform in [lo, hi) before `spread` and `step` (default [−1, 1)). */
  lo?: number;
  hi?: number;
  /** Multiplies each value by 2^k, k a uniform integer in [−spread, spread]. */
  spread?: number;
  /** Rounds to multiples of `step` (ties for max, exact zeros). */
  step?: number;
  /** Takes each element from these instead, with probability `rate` (default 1/6). */
  special?: readonly number[];
  rate?: number;
}

/** A seeded uniform generator in [0, 1) (mulberry32), so every case replays from its seed. */
export function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** n float32 values from a seed. */
export function seeded(n: number, seed: number, o: Fill = {}): Float32Array {
  const { lo = -1, hi = 1, spread = 0, step = 0, special = [], rate = 1 / 6 } = o;
  const next = uniform(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v = lo + (hi - lo) * next();
    if (spread) v *= 2 ** Math.round((2 * next() - 1) * spread);
    if (step) v = Math.round(v / step) * step;
    if (special.length && next() < rate) v = special[Math.floor(next() * special.length)]!;
    out[i] = v;
  }
  return out;
}

/** Seeded int32 values in [lo, hi). */
export function seededInts(n: number, seed: number, lo: number, hi: number): Int32Array {
  const next = uniform(seed);
  return Int32Array.from({ length: n }, () => lo + Math.floor((hi - lo) * next()));
}

/** A shape of rank minRank…maxRank with sizes 1…maxDim (1, and sizes that are not multiples of four). */
export const shapeArb = (minRank: number, maxRank: number, maxDim = 5): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: minRank, maxLength: maxRank });

/** A shape that broadcasts to `shape`: some leading dimensions dropped, some others set to 1. */
export const partnerArb = (shape: readonly number[]): fc.Arbitrary<number[]> =>
  fc
    .tuple(
      fc.integer({ min: 0, max: shape.length }),
      fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
    )
    .map(([drop, ones]) => shape.slice(drop).map((d, i) => (ones[drop + i] ? 1 : d)));

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** NumPy's broadcast of two shapes, assumed compatible. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => Math.max(a[a.length - n + i] ?? 1, b[b.length - n + i] ?? 1));
}

/** The multi-index of row-major element i of `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return index;
}

/**
 * The row-major position in `shape` of the element that `index` (of a shape `shape` broadcasts to, aligned
 * on the right) reads: size-1 dimensions read their only element.
 */
export function offsetOf(index: readonly number[], shape: readonly number[]): number {
  let offset = 0;
  let stride = 1;
  for (let d = shape.length - 1, e = index.length - 1; d >= 0; d--, e--) {
    if (shape[d] !== 1) offset += index[e]! * stride;
    stride *= shape[d]!;
  }
  return offset;
}

/** Calls f(index, i) for every element i of `shape` in row-major order. */
export function forEachIndex(shape: readonly number[], f: (index: number[], i: number) => void): void {
  const n = sizeOf(shape);
  for (let i = 0; i < n; i++) f(unravel(i, shape), i);
}

/**
 * The error bound of a float32 sum of `terms` values each within one rounding of exact (products, quotients),
 * in any order, whose magnitudes add up to `magnitude`: (terms + 1)·U·magnitude (the γ bound of recursive
 * summation plus the rounding of each term), and one subnormal spacing per term.
 */
export const sumTolerance = (terms: number, magnitude: number): number =>
  (terms + 1) * U * magnitude + Math.max(terms, 1) * TINY;

/**
 * Float64 sums per element, each with its Σ|term| and number of terms: a reference product or gradient,
 * and the `sumTolerance` of the float32 sums the op makes of the same terms.
 */
export class Sums {
  readonly value: Float64Array;
  readonly magnitude: Float64Array;
  readonly terms: Int32Array;
  constructor(n: number) {
    [this.value, this.magnitude, this.terms] = [new Float64Array(n), new Float64Array(n), new Int32Array(n)];
  }
  add(at: number, v: number): void {
    this.value[at]! += v;
    this.magnitude[at]! += Math.abs(v);
    this.terms[at]!++;
  }
  readonly tolerance = (k: number): number => sumTolerance(this.terms[k]!, this.magnitude[k]!);
}

/** The spacing of float32 numbers at |x| (2^−149 among the subnormals). */
export function ulp(x: number): number {
  const a = Math.abs(x);
  if (a < 2 ** -126) return TINY;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return 2 ** (e - 23);
}

/**
 * `got` against the float64 reference `want`: NaN for NaN; where the reference rounds to ±∞ in float32,
 * exactly that; elsewhere |got − want| ≤ tol(k) (signs of zero are not compared).
 */
export function expectClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  tol: (k: number) => number,
  what: string,
): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    const [g, w] = [got[k]!, want[k]!];
    const wf = Math.fround(w);
    const ok = Number.isNaN(w) ? Number.isNaN(g) : Number.isFinite(wf) ? Math.abs(g - w) <= tol(k) : g === wf;
    if (!ok) expect.fail(`${what}[${k}] = ${g}, reference ${w} (tolerance ${tol(k)})`);
  }
}

/** Equal as numbers: NaN for NaN, +0 and −0 alike. */
export function expectEqual(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    const [g, w] = [got[k]!, want[k]!];
    if (!(g === w || (Number.isNaN(g) && Number.isNaN(w)))) expect.fail(`${what}[${k}] = ${g}, reference ${w}`);
  }
}

/**
 * Backpropagates the gradient `g` (values for `out`'s shape) and returns each input's gradient as a copy
 * (null where none arrived). The inputs' old gradients are cleared first.
 */
export function gradients(out: Tensor, g: ArrayLike<number>, inputs: readonly Tensor[]): (number[] | null)[] {
  for (const t of inputs) {
    t.grad?.dispose();
    t.grad = null;
  }
  backward(out, fromArray(g, out.shape));
  return inputs.map((t) => (t.grad ? t.grad.toArray() : null));
}
