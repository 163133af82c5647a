import { checkArray, checkInt, checkRegion, kernelsFor } from './check.js';
import { runRows } from './thread-pool.js';

// Softmax and log-softmax over the last axis of a row-major [rows, cols] matrix in the kernel memory, and
// their gradients: per row the maximum, Σ e^(x − max) accumulated in float64, then the outputs, with the
// SIMD exp of pointwise.ts. out may be the input (in place); a gradient's out may be g or y.

function checkRows(fn: string, rows: number, cols: number, operands: Record<string, number>): void {
  checkInt(fn, 'rows', rows, 0);
  checkInt(fn, 'cols', cols, 0);
  for (const [name, ptr] of Object.entries(operands)) checkRegion(fn, name, `${name}Ptr`, ptr, rows * cols);
  kernelsFor(fn);
}

/** Elements a thread takes at least (an exp each, and two passes): less costs more to hand over than it saves. */
const LEAST = 2 ** 14;

/** Row `row` of a matrix of `cols` floats at byte offset `ptr`. */
const at = (ptr: number, row: number, cols: number): number => ptr + 4 * row * cols;

/** out[r, :] = softmax(x[r, :]) = e^(x − max) / Σ e^(x − max). */
export function softmaxRows(xPtr: number, rows: number, cols: number, outPtr: number): void {
  checkRows('softmaxRows', rows, cols, { x: xPtr, out: outPtr });
  runRows('softmaxRows', rows, cols, LEAST, (r, n) => [at(xPtr, r, cols), n, cols, at(outPtr, r, cols), 0]);
}

/** out[r, :] = log softmax(x[r, :]) = (x − max) − ln Σ e^(x − max). */
export function logSoftmaxRows(xPtr: number, rows: number, cols: number, outPtr: number): void {
  checkRows('logSoftmaxRows', rows, cols, { x: xPtr, out: outPtr });
  runRows('softmaxRows', rows, cols, LEAST, (r, n) => [at(xPtr, r, cols), n, cols, at(outPtr, r, cols), 1]);
}

/** The gradient of softmaxRows from the output y: out = y·(g − Σ g·y) along each row. */
export function softmaxRowsBackward(gPtr: number, yPtr: number, rows: number, cols: number, outPtr: number): void {
  checkRows('softmaxRowsBackward', rows, cols, { g: gPtr, y: yPtr, out: outPtr });
  runRows('softmaxRowsBackward', rows, cols, LEAST, (r, n) => [
    ...[at(gPtr, r, cols), at(yPtr, r, cols), n, cols, at(outPtr, r, cols), 0],
  ]);
}

/** The gradient of logSoftmaxRows from the output y: out = g − e^y·Σ g along each row. */
export function logSoftmaxRowsBackward(gPtr: number, yPtr: number, rows: number, cols: number, outPtr: number): void {
  checkRows('logSoftmaxRowsBackward', rows, cols, { g: gPtr, y: yPtr, out: outPtr });
  runRows('softmaxRowsBackward', rows, cols, LEAST, (r, n) => [
    ...[at(gPtr, r, cols), at(yPtr, r, cols), n, cols, at(outPtr, r, cols), 1],
  ]);
}

/**
 * Softmax (or log-softmax, `log`) in float64 of the n elements of x at base, base + stride, …, into the
 * same places of out: the reference of the kernels, and the tensor ops' path along other axes.
 */
export function softmaxLine(
  x: Float32Array,
  out: Float32Array,
  base: number,
  stride: number,
  n: number,
  log: boolean,
): void {
  let m = -Infinity;
  for (let j = 0; j < n; j++) m = Math.max(m, x[base + j * stride]!);
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp(x[base + j * stride]! - m);
  if (log) {
    // (x − max) − ln Σ, not x − (max + ln Σ): the latter loses ln Σ when |max| is large.
    const ls = Math.log(s);
    for (let j = 0; j < n; j++) out[base + j * stride] = x[base + j * stride]! - m - ls;
  } else {
    for (let j = 0; j < n; j++) out[base + j * stride] = Math.exp(x[base + j * stride]! - m) / s;
  }
}

/**
 * The gradient of softmaxLine from the output's gradient g and the output y, along the same line: e^y is
 * rounded to float32 (so that an infinite g meets an underflowed e^y as it does in the kernel).
 */
export function softmaxLineBackward(
  g: Float32Array,
  y: Float32Array,
  out: Float32Array,
  base: number,
  stride: number,
  n: number,
  log: boolean,
): void {
  let s = 0;
  for (let j = 0; j < n; j++) s += g[base + j * stride]! * (log ? 1 : y[base + j * stride]!);
  for (let j = 0; j < n; j++) {
    const [d, v] = [g[base + j * stride]!, y[base + j * stride]!];
    out[base + j * stride] = log ? d - Math.fround(Math.exp(v)) * s : v * (d - s);
  }
}

function checkArrays(fn: string, rows: number, cols: number, arrays: Record<string, Float32Array>): void {
  checkInt(fn, 'rows', rows, 0);
  checkInt(fn, 'cols', cols, 0);
  for (const [name, a] of Object.entries(arrays)) checkArray(fn, name, a, rows * cols);
}

/** `softmaxRows` over plain arrays: the reference. */
export function softmaxRowsReference(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  checkArrays('softmaxRowsReference', rows, cols, { x, out });
  for (let r = 0; r < rows; r++) softmaxLine(x, out, r * cols, 1, cols, false);
}

/** `logSoftmaxRows` over plain arrays: the reference. */
export function logSoftmaxRowsReference(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  checkArrays('logSoftmaxRowsReference', rows, cols, { x, out });
  for (let r = 0; r < rows; r++) softmaxLine(x, out, r * cols, 1, cols, true);
}

/** `softmaxRowsBackward` over plain arrays: the reference. */
export function softmaxRowsBackwardReference(
  g: Float32Array,
  y: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
): void {
  checkArrays('softmaxRowsBackwardReference', rows, cols, { g, y, out });
  for (let r = 0; r < rows; r++) softmaxLineBackward(g, y, out, r * cols, 1, cols, false);
}

/** `logSoftmaxRowsBackward` over plain arrays: the reference. */
export function logSoftmaxRowsBackwardReference(
  g: Float32Array,
  y: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
): void {
  checkArrays('logSoftmaxRowsBackwardReference', rows, cols, { g, y, out });
  for (let r = 0; r < rows; r++) softmaxLineBackward(g, y, out, r * cols, 1, cols, true);
}
