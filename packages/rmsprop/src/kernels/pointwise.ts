import { checkArray, checkInt, checkRegion, kernelsFor } from './check.js';
import { runSplit, shifted, SPLIT_ELEMENTS } from './thread-pool.js';

// The op codes of assembly/pointwise.ts.
const CODE = { exp: 0, log: 1, tanh: 2, sigmoid: 3, gelu: 4, tanhBackward: 5, sigmoidBackward: 6, geluBackward: 7 };

/** Checks n and the operands (each n floats at a byte offset), then runs op `code`. */
function run(fn: keyof typeof CODE, n: number, operands: Record<string, number>, out: number): void {
  checkInt(fn, 'n', n, 0);
  const ptrs = [0, 0];
  Object.entries(operands).forEach(([name, ptr], i) => {
    checkRegion(fn, name, `${name}Ptr`, ptr, n);
    ptrs[i] = ptr;
  });
  checkRegion(fn, 'out', 'outPtr', out, n);
  kernelsFor(fn);
  const [a, b] = ptrs as [number, number];
  runSplit('pointwise', n, SPLIT_ELEMENTS, (s, count) => [CODE[fn], shifted(a, s), shifted(b, s), out + 4 * s, count]);
}

// Every kernel below works on n float32 elements at byte offsets in the kernel memory, four at a time in
// SIMD (range reduction and Cephes polynomials, see assembly/transcendental.ts); out may be an input.
// Largest errors over all 2^32 float32 inputs against the float64 reference, in units in the last place
// of the exact result (subnormal results included): exp 0.99, log 0.83, tanh 1.51, sigmoid 2.40, gelu
// 3.30 (against its erfc approximation, itself within 1.2e-7 of Φ), GELU' 4.2 of |Φ(x)| + |x·φ(x)| (the
// two terms cancel near x = −0.75). Specials are exact: NaN gives NaN, exp overflows to ∞ and underflows
// through the subnormals to 0 as Math.exp rounded to float32 does, log(±0) = −∞, log(x < 0) = NaN,
// tanh(−0) = −0, and gelu(−∞) and GELU'(±∞) are NaN as their formulas (and PyTorch) give them.

/** out = eˣ. */
export function exp(xPtr: number, outPtr: number, n: number): void {
  run('exp', n, { x: xPtr }, outPtr);
}

/** out = ln x. */
export function log(xPtr: number, outPtr: number, n: number): void {
  run('log', n, { x: xPtr }, outPtr);
}

/** out = tanh x. */
export function tanh(xPtr: number, outPtr: number, n: number): void {
  run('tanh', n, { x: xPtr }, outPtr);
}

/** out = 1 / (1 + e^−x), without overflow for any x. */
export function sigmoid(xPtr: number, outPtr: number, n: number): void {
  run('sigmoid', n, { x: xPtr }, outPtr);
}

/** out = x·Φ(x): GELU with the exact normal CDF (PyTorch's default `approximate='none'`). */
export function gelu(xPtr: number, outPtr: number, n: number): void {
  run('gelu', n, { x: xPtr }, outPtr);
}

/** The gradient of tanh from its output y: out = g·(1 − y)(1 + y), that is g·(1 − y²) without cancellation. */
export function tanhBackward(gPtr: number, yPtr: number, outPtr: number, n: number): void {
  run('tanhBackward', n, { g: gPtr, y: yPtr }, outPtr);
}

/** The gradient of sigmoid from its output y: out = g·(y·(1 − y)). */
export function sigmoidBackward(gPtr: number, yPtr: number, outPtr: number, n: number): void {
  run('sigmoidBackward', n, { g: gPtr, y: yPtr }, outPtr);
}

/** The gradient of gelu from its input x: out = g·(Φ(x) + x·φ(x)). */
export function geluBackward(gPtr: number, xPtr: number, outPtr: number, n: number): void {
  run('geluBackward', n, { g: gPtr, x: xPtr }, outPtr);
}

/**
 * erfc(z) for z ≥ 0 by Numerical Recipes' erfcc (Chebyshev fitting; fractional error below 1.2e-7
 * everywhere), computed directly so that Φ(x) for x ≪ 0 keeps its digits where 1 + erf would cancel.
 */
function erfc(z: number): number {
  const t = 1 / (1 + 0.5 * z);
  const p =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return t * Math.exp(-z * z + p);
}

/** Φ(x), the standard normal CDF: ½erfc(−x/√2). */
export function normalCdf(x: number): number {
  const e = erfc(Math.abs(x) / Math.SQRT2);
  return x >= 0 ? 1 - 0.5 * e : 0.5 * e;
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** The references: `f` in float64 on each element, rounded once to float32 by the store. */
function map(
  fn: string,
  n: number,
  inputs: Record<string, Float32Array>,
  out: Float32Array,
  f: (a: number, b: number) => number,
): void {
  checkInt(fn, 'n', n, 0);
  for (const [name, a] of Object.entries(inputs)) checkArray(fn, name, a, n);
  checkArray(fn, 'out', out, n);
  const [a, b = a] = Object.values(inputs);
  for (let k = 0; k < n; k++) out[k] = f(a![k]!, b![k]!);
}

/** `exp` over plain arrays: the reference (Math.exp). */
export function expReference(x: Float32Array, out: Float32Array, n: number): void {
  map('expReference', n, { x }, out, Math.exp);
}

/** `log` over plain arrays: the reference (Math.log). */
export function logReference(x: Float32Array, out: Float32Array, n: number): void {
  map('logReference', n, { x }, out, Math.log);
}

/** `tanh` over plain arrays: the reference (Math.tanh). */
export function tanhReference(x: Float32Array, out: Float32Array, n: number): void {
  map('tanhReference', n, { x }, out, Math.tanh);
}

/** `sigmoid` over plain arrays: the reference. */
export function sigmoidReference(x: Float32Array, out: Float32Array, n: number): void {
  map('sigmoidReference', n, { x }, out, (v) => 1 / (1 + Math.exp(-v)));
}

/** `gelu` over plain arrays: the reference. */
export function geluReference(x: Float32Array, out: Float32Array, n: number): void {
  map('geluReference', n, { x }, out, (v) => v * normalCdf(v));
}

/** `tanhBackward` over plain arrays: the reference. */
export function tanhBackwardReference(g: Float32Array, y: Float32Array, out: Float32Array, n: number): void {
  map('tanhBackwardReference', n, { g, y }, out, (d, v) => d * (1 - v * v));
}

/** `sigmoidBackward` over plain arrays: the reference. */
export function sigmoidBackwardReference(g: Float32Array, y: Float32Array, out: Float32Array, n: number): void {
  map('sigmoidBackwardReference', n, { g, y }, out, (d, v) => d * (v * (1 - v)));
}

/** `geluBackward` over plain arrays: the reference, with GELU'(x) rounded to float32 before the product. */
export function geluBackwardReference(g: Float32Array, x: Float32Array, out: Float32Array, n: number): void {
  map(
    'geluBackwardReference',
    n,
    { g, x },
    out,
    (d, v) => d * Math.fround(normalCdf(v) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v)),
  );
}
