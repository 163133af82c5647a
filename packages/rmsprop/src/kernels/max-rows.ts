import { checkArray, checkInt, checkRegion, kernelsFor } from './check.js';
import { runRows } from './thread-pool.js';

// The maximum over the last axis of a row-major [rows, cols] matrix in the kernel memory, folded as
// Math.max folds (NaN if any element is NaN, +0 above −0, −∞ for an empty row), and its gradient, which
// tied maxima share equally (torch.amax's rule).

function check(
  fn: string,
  rows: number,
  cols: number,
  matrices: Record<string, number>,
  vectors: Record<string, number>,
): void {
  checkInt(fn, 'rows', rows, 0);
  checkInt(fn, 'cols', cols, 0);
  for (const [name, ptr] of Object.entries(matrices)) checkRegion(fn, name, `${name}Ptr`, ptr, rows * cols);
  for (const [name, ptr] of Object.entries(vectors)) checkRegion(fn, name, `${name}Ptr`, ptr, rows);
  kernelsFor(fn);
}

/** Elements a thread takes at least: a smaller share costs more to hand over than it saves. */
const LEAST = 2 ** 16;

/** out[r] = max_c x[r, c]. */
export function maxRows(xPtr: number, rows: number, cols: number, outPtr: number): void {
  check('maxRows', rows, cols, { x: xPtr }, { out: outPtr });
  runRows('maxRows', rows, cols, LEAST, (r, n) => [xPtr + 4 * r * cols, n, cols, outPtr + 4 * r]);
}

/** out[r, c] = g[r] / ties where x[r, c] = y[r] (ties: how many elements of the row do), else 0. */
export function maxRowsBackward(
  gPtr: number,
  xPtr: number,
  yPtr: number,
  rows: number,
  cols: number,
  outPtr: number,
): void {
  check('maxRowsBackward', rows, cols, { x: xPtr, out: outPtr }, { g: gPtr, y: yPtr });
  runRows('maxRowsBackward', rows, cols, LEAST, (r, n) => [
    ...[gPtr + 4 * r, xPtr + 4 * r * cols, yPtr + 4 * r, n, cols, outPtr + 4 * r * cols],
  ]);
}

function checkArrays(
  fn: string,
  rows: number,
  cols: number,
  matrices: Record<string, Float32Array>,
  vectors: Record<string, Float32Array>,
): void {
  checkInt(fn, 'rows', rows, 0);
  checkInt(fn, 'cols', cols, 0);
  for (const [name, a] of Object.entries(matrices)) checkArray(fn, name, a, rows * cols);
  for (const [name, a] of Object.entries(vectors)) checkArray(fn, name, a, rows);
}

/** `maxRows` over plain arrays: the reference. */
export function maxRowsReference(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  checkArrays('maxRowsReference', rows, cols, { x }, { out });
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, x[r * cols + c]!);
    out[r] = m;
  }
}

/** `maxRowsBackward` over plain arrays: the reference. */
export function maxRowsBackwardReference(
  g: Float32Array,
  x: Float32Array,
  y: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
): void {
  checkArrays('maxRowsBackwardReference', rows, cols, { x, out }, { g, y });
  for (let r = 0; r < rows; r++) {
    let ties = 0;
    for (let c = 0; c < cols; c++) ties += x[r * cols + c] === y[r] ? 1 : 0;
    for (let c = 0; c < cols; c++) out[r * cols + c] = x[r * cols + c] === y[r] ? g[r]! / ties : 0;
  }
}
