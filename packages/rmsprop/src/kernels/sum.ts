import { checkArray, checkInt, checkRegion, kernelsFor } from './check.js';
import { runRows } from './thread-pool.js';

/** Elements a thread takes at least: a smaller share costs more to hand over than it saves. */
const LEAST = 2 ** 16;

/** Σ of the n floats at byte offset `xPtr`, accumulated in float64 (SIMD, four lanes in two pairs). */
export function sum(xPtr: number, n: number): number {
  checkInt('sum', 'n', n, 0);
  checkRegion('sum', 'x', 'xPtr', xPtr, n);
  return kernelsFor('sum').sum(xPtr, n);
}

function checkDivisor(fn: string, divisor: number): void {
  if (!(divisor > 0) || !Number.isFinite(divisor)) {
    throw new RangeError(`${fn}: divisor must be a finite number > 0, got ${divisor}`);
  }
}

/**
 * out[r] = (Σ_c x[r, c]) / divisor for a row-major [rows, cols] matrix: the sum (divisor 1) or mean
 * (divisor cols) over the last axis, accumulated in float64 and rounded to float32 once.
 */
export function sumRows(xPtr: number, rows: number, cols: number, outPtr: number, divisor = 1): void {
  checkInt('sumRows', 'rows', rows, 0);
  checkInt('sumRows', 'cols', cols, 0);
  checkDivisor('sumRows', divisor);
  checkRegion('sumRows', 'x', 'xPtr', xPtr, rows * cols);
  checkRegion('sumRows', 'out', 'outPtr', outPtr, rows);
  kernelsFor('sumRows');
  runRows('sumRows', rows, cols, LEAST, (r, n) => [xPtr + 4 * r * cols, n, cols, outPtr + 4 * r, divisor]);
}

/**
 * out[c] = Σ_r x[r, c] for a row-major [rows, cols] matrix, accumulated in float64 and rounded once:
 * the sum over every axis but the last (a linear layer's bias gradient).
 */
export function sumColumns(xPtr: number, rows: number, cols: number, outPtr: number): void {
  checkInt('sumColumns', 'rows', rows, 0);
  checkInt('sumColumns', 'cols', cols, 0);
  checkRegion('sumColumns', 'x', 'xPtr', xPtr, rows * cols);
  checkRegion('sumColumns', 'out', 'outPtr', outPtr, cols);
  kernelsFor('sumColumns').sumColumns(xPtr, rows, cols, outPtr);
}

/** out[r, c] = g[r]·scale (in float32) for a [rows, cols] out: the gradient of sumRows (scale 1/divisor). */
export function broadcastRows(gPtr: number, rows: number, cols: number, outPtr: number, scale = 1): void {
  checkInt('broadcastRows', 'rows', rows, 0);
  checkInt('broadcastRows', 'cols', cols, 0);
  checkRegion('broadcastRows', 'g', 'gPtr', gPtr, rows);
  checkRegion('broadcastRows', 'out', 'outPtr', outPtr, rows * cols);
  kernelsFor('broadcastRows');
  runRows('broadcastRows', rows, cols, LEAST, (r, n) => [gPtr + 4 * r, n, cols, outPtr + 4 * r * cols, scale]);
}

/** `sum` over a plain array: the reference (float64, in order). */
export function sumReference(x: Float32Array, n: number): number {
  checkInt('sumReference', 'n', n, 0);
  checkArray('sumReference', 'x', x, n);
  let s = 0;
  for (let k = 0; k < n; k++) s += x[k]!;
  return s;
}

/** `sumRows` over plain arrays: the reference. */
export function sumRowsReference(x: Float32Array, rows: number, cols: number, out: Float32Array, divisor = 1): void {
  checkInt('sumRowsReference', 'rows', rows, 0);
  checkInt('sumRowsReference', 'cols', cols, 0);
  checkDivisor('sumRowsReference', divisor);
  checkArray('sumRowsReference', 'x', x, rows * cols);
  checkArray('sumRowsReference', 'out', out, rows);
  for (let r = 0; r < rows; r++) out[r] = sumReference(x.subarray(r * cols), cols) / divisor;
}

/** `sumColumns` over plain arrays: the reference. */
export function sumColumnsReference(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  checkInt('sumColumnsReference', 'rows', rows, 0);
  checkInt('sumColumnsReference', 'cols', cols, 0);
  checkArray('sumColumnsReference', 'x', x, rows * cols);
  checkArray('sumColumnsReference', 'out', out, cols);
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x[r * cols + c]!;
    out[c] = s;
  }
}

/** `broadcastRows` over plain arrays: the reference. */
export function broadcastRowsReference(
  g: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
  scale = 1,
): void {
  checkInt('broadcastRowsReference', 'rows', rows, 0);
  checkInt('broadcastRowsReference', 'cols', cols, 0);
  checkArray('broadcastRowsReference', 'g', g, rows);
  checkArray('broadcastRowsReference', 'out', out, rows * cols);
  const s = Math.fround(scale);
  for (let r = 0; r < rows; r++) out.fill(Math.fround(g[r]! * s), r * cols, (r + 1) * cols);
}
