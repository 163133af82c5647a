// The reads of every gradient before an optimizer step: whether it is finite, and its sum of squares
// when clipping by norm needs it (assembly/reduce.ts).
import { checkArray, checkInt, checkRegion, kernelsFor } from './check.js';

/** Σ clamp(g, −clip, clip)² in f64 over n floats at byte offset gPtr; non-finite exactly when some g is. */
export function sumSquares(gPtr: number, n: number, clip = Infinity): number {
  checkInt('sumSquares', 'n', n, 0);
  checkRegion('sumSquares', 'the gradient', 'gPtr', gPtr, n);
  return kernelsFor('sumSquares').sumSquares(gPtr, n, clip);
}

/** Whether all n floats at byte offset gPtr are finite. */
export function allFinite(gPtr: number, n: number): boolean {
  checkInt('allFinite', 'n', n, 0);
  checkRegion('allFinite', 'the gradient', 'gPtr', gPtr, n);
  return kernelsFor('allFinite').allFinite(gPtr, n) === 1;
}

/** The reference of `sumSquares`, on an array. */
export function sumSquaresReference(g: ArrayLike<number>, n: number, clip = Infinity): number {
  checkInt('sumSquaresReference', 'n', n, 0);
  checkArray('sumSquaresReference', 'the gradient', g, n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const x = Math.min(Math.max(g[i]!, -clip), clip);
    s += x * x;
  }
  return s;
}

/** The reference of `allFinite`, on an array. */
export function allFiniteReference(g: ArrayLike<number>, n: number): boolean {
  checkInt('allFiniteReference', 'n', n, 0);
  checkArray('allFiniteReference', 'the gradient', g, n);
  let s = 0;
  for (let i = 0; i < n; i++) s += g[i]! * 0; // NaN from any NaN or ±Infinity
  return s === 0;
}
