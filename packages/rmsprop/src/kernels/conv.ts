import { checkArray, checkInt, checkRegion, checkSpan, kernelsFor } from './check.js';
import { getThreads, runParts, shifted, splitRange } from './thread-pool.js';

/**
 * The windows of a 2-D convolution (NCHW) as im2col and col2im walk them, for one group: output (y, x)
 * reads input row iy = y·sh − top + i·dh and column ix = x·sw − left + j·dw for kernel tap (i, j). The
 * padding below and to the right is whatever ho and wo imply, so asymmetric padding needs no field.
 */
export interface Im2colShape {
  /** Channels unfolded (those of one group). */
  c: number;
  /** Input height and width. */
  h: number;
  w: number;
  /** Kernel height and width. */
  kh: number;
  kw: number;
  /** Strides. */
  sh: number;
  sw: number;
  /** Zeros above and to the left of the input. */
  top: number;
  left: number;
  /** Dilations. */
  dh: number;
  dw: number;
  /** Output height and width. */
  ho: number;
  wo: number;
}

/** Checks the shape, `samples` and `xStride`; returns the element counts of the input and of col. */
function checkIm2col(fn: string, s: Im2colShape, samples: number, xStride: number): { x: number; col: number } {
  for (const k of ['c', 'h', 'w', 'top', 'left', 'ho', 'wo'] as const) checkInt(fn, k, s[k], 0);
  for (const k of ['kh', 'kw', 'sh', 'sw', 'dh', 'dw'] as const) checkInt(fn, k, s[k], 1);
  checkInt(fn, 'samples', samples, 0);
  const plane = s.c * s.h * s.w;
  if (!Number.isInteger(xStride) || xStride < plane) {
    throw new RangeError(
      `${fn}: xStride must be an integer ≥ c·h·w = ${plane} (samples must not overlap), got ${xStride}`,
    );
  }
  checkSpan(fn, 'ho·sh + kh·dh + top + h', s.ho * s.sh + s.kh * s.dh + s.top + s.h);
  checkSpan(fn, 'wo·sw + kw·dw + left + w', s.wo * s.sw + s.kw * s.dw + s.left + s.w);
  return {
    x: samples === 0 || plane === 0 ? 0 : (samples - 1) * xStride + plane,
    col: s.c * s.kh * s.kw * samples * s.ho * s.wo,
  };
}

/** Elements of col a thread moves at least: a smaller share costs more to hand over than it saves. */
const LEAST_COLUMNS = 2 ** 15;

/**
 * The arguments of im2col or col2im for each thread: over ranges of channels where there are enough
 * (each thread's rows of col are then contiguous), else over ranges of samples (each thread fills some
 * columns of every row). Either way every element is moved, or summed in the same order, as on one thread.
 */
function parts(xPtr: number, colPtr: number, s: Im2colShape, samples: number, xStride: number): number[][] {
  const colStride = samples * s.ho * s.wo;
  const { h, w, kh, kw, sh, sw, top, left, dh, dw, ho, wo } = s;
  const window = [h, w, kh, kw, sh, sw, top, left, dh, dw, ho, wo];
  const args = (x: number, col: number, c: number, n: number) => [x, col, c, ...window, n, xStride, colStride];
  const rowsPerChannel = kh * kw;
  if (s.c >= getThreads()) {
    const least = Math.ceil(LEAST_COLUMNS / Math.max(rowsPerChannel * colStride, 1));
    return splitRange(s.c, 1, least).map(([c0, count]) =>
      args(xPtr + 4 * c0 * h * w, colPtr + 4 * c0 * rowsPerChannel * colStride, count, samples),
    );
  }
  const least = Math.ceil(LEAST_COLUMNS / Math.max(s.c * rowsPerChannel * ho * wo, 1));
  return splitRange(samples, 1, least).map(([n0, count]) =>
    args(xPtr + 4 * n0 * xStride, colPtr + 4 * n0 * ho * wo, s.c, count),
  );
}

/**
 * Unfolds the windows of `samples` inputs of c × h × w floats (sample n at byte `xPtr + 4·n·xStride`)
 * into col, a [c·kh·kw, samples·ho·wo] row-major matrix at `colPtr`: row (ci·kh + i)·kw + j, column
 * (n·ho + y)·wo + x holds input[n, ci, iy, ix] (0 outside the input). With all samples of a group in one
 * col, a convolution is one GEMM per group. Pointers are byte offsets in the kernel memory.
 */
export function im2col(xPtr: number, colPtr: number, shape: Im2colShape, samples = 1, xStride?: number): void {
  const stride = xStride ?? shape.c * shape.h * shape.w;
  const size = checkIm2col('im2col', shape, samples, stride);
  checkRegion('im2col', 'the input', 'xPtr', xPtr, size.x);
  checkRegion('im2col', 'col', 'colPtr', colPtr, size.col);
  kernelsFor('im2col');
  runParts('im2col', parts(xPtr, colPtr, shape, samples, stride));
}

/**
 * The adjoint of `im2col`: adds every element of col into the input position it was read from (dx is
 * accumulated into, not cleared). Elements that im2col filled with padding zeros are skipped.
 */
export function col2im(colPtr: number, dxPtr: number, shape: Im2colShape, samples = 1, xStride?: number): void {
  const stride = xStride ?? shape.c * shape.h * shape.w;
  const size = checkIm2col('col2im', shape, samples, stride);
  checkRegion('col2im', 'col', 'colPtr', colPtr, size.col);
  checkRegion('col2im', 'dx', 'dxPtr', dxPtr, size.x);
  kernelsFor('col2im');
  runParts(
    'col2im',
    parts(dxPtr, colPtr, shape, samples, stride).map(([dx, col, ...rest]) => [col!, dx!, ...rest]),
  );
}

/** Calls f(col index, input index or −1) in the order both kernels visit the elements of col. */
function forEachColumn(s: Im2colShape, samples: number, xStride: number, f: (at: number, from: number) => void): void {
  const { c, h, w, kh, kw, sh, sw, top, left, dh, dw, ho, wo } = s;
  let at = 0;
  for (let ci = 0; ci < c; ci++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        for (let n = 0; n < samples; n++) {
          for (let y = 0; y < ho; y++) {
            const iy = y * sh - top + i * dh;
            for (let xo = 0; xo < wo; xo++, at++) {
              const ix = xo * sw - left + j * dw;
              f(at, iy >= 0 && iy < h && ix >= 0 && ix < w ? n * xStride + (ci * h + iy) * w + ix : -1);
            }
          }
        }
      }
    }
  }
}

/** `im2col` over plain arrays (element 0 is the first element of each operand): the reference. */
export function im2colReference(
  x: Float32Array,
  col: Float32Array,
  shape: Im2colShape,
  samples = 1,
  xStride?: number,
): void {
  const stride = xStride ?? shape.c * shape.h * shape.w;
  const size = checkIm2col('im2colReference', shape, samples, stride);
  checkArray('im2colReference', 'the input', x, size.x);
  checkArray('im2colReference', 'col', col, size.col);
  forEachColumn(shape, samples, stride, (at, from) => (col[at] = from < 0 ? 0 : x[from]!));
}

/** `col2im` over plain arrays: the reference (float32 sums, in the kernel's order). */
export function col2imReference(
  col: Float32Array,
  dx: Float32Array,
  shape: Im2colShape,
  samples = 1,
  xStride?: number,
): void {
  const stride = xStride ?? shape.c * shape.h * shape.w;
  const size = checkIm2col('col2imReference', shape, samples, stride);
  checkArray('col2imReference', 'col', col, size.col);
  checkArray('col2imReference', 'dx', dx, size.x);
  forEachColumn(shape, samples, stride, (at, from) => {
    if (from >= 0) dx[from]! += col[at]!;
  });
}

/**
 * Where `copyRows` moves `outer × rows` rows of `cols` floats: row (o, r) starts at o·srcOuter + r·srcRow
 * in the source and o·dstOuter + r·dstRow in the destination (all counted in floats).
 */
export interface RowLayout {
  outer: number;
  rows: number;
  cols: number;
  srcOuter: number;
  srcRow: number;
  dstOuter: number;
  dstRow: number;
}

/** Checks the layout; returns the element counts the source and destination span. */
function checkRows(fn: string, l: RowLayout): { src: number; dst: number } {
  for (const k of ['outer', 'rows', 'cols', 'srcOuter', 'srcRow', 'dstOuter', 'dstRow'] as const) {
    checkInt(fn, k, l[k], 0);
  }
  const empty = l.outer === 0 || l.rows === 0 || l.cols === 0;
  const span = (o: number, r: number) => (empty ? 0 : (l.outer - 1) * o + (l.rows - 1) * r + l.cols);
  return { src: span(l.srcOuter, l.srcRow), dst: span(l.dstOuter, l.dstRow) };
}

/**
 * Copies rows between strided layouts, adding bias[o] to the rows of outer index o when `biasPtr` is
 * given: how a convolution moves its GEMM's [O, N·HW] result into [N, O, HW] (and the gradient back).
 * Source and destination may be the same rows (an in-place bias) but must not otherwise overlap.
 */
export function copyRows(srcPtr: number, dstPtr: number, layout: RowLayout, biasPtr: number | null = null): void {
  const size = checkRows('copyRows', layout);
  checkRegion('copyRows', 'the source', 'srcPtr', srcPtr, size.src);
  checkRegion('copyRows', 'the destination', 'dstPtr', dstPtr, size.dst);
  if (biasPtr !== null) checkRegion('copyRows', 'bias', 'biasPtr', biasPtr, layout.outer);
  kernelsFor('copyRows');
  const { outer, rows, cols, srcOuter, srcRow, dstOuter, dstRow } = layout;
  const bias = biasPtr ?? 0;
  // Over ranges of the outer index where there are enough, else over ranges of rows: copies, so any split
  // gives the same result.
  const byOuter = outer >= getThreads();
  const least = Math.ceil(LEAST_COLUMNS / Math.max(cols * (byOuter ? rows : outer), 1));
  const ranges = splitRange(byOuter ? outer : rows, 1, least);
  const strides = [srcOuter, srcRow, dstOuter, dstRow];
  const parts = ranges.map(([first, count]) => {
    const [src, dst] = byOuter ? [first * srcOuter, first * dstOuter] : [first * srcRow, first * dstRow];
    const [o, r] = byOuter ? [count, rows] : [outer, count];
    return [srcPtr + 4 * src, dstPtr + 4 * dst, o, r, cols, ...strides, byOuter ? shifted(bias, first) : bias];
  });
  runParts('copyRows', parts);
}

/** `copyRows` over plain arrays: the reference. */
export function copyRowsReference(
  src: Float32Array,
  dst: Float32Array,
  layout: RowLayout,
  bias: Float32Array | null = null,
): void {
  const size = checkRows('copyRowsReference', layout);
  checkArray('copyRowsReference', 'the source', src, size.src);
  checkArray('copyRowsReference', 'the destination', dst, size.dst);
  if (bias) checkArray('copyRowsReference', 'bias', bias, layout.outer);
  const { outer, rows, cols, srcOuter, srcRow, dstOuter, dstRow } = layout;
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < rows; r++) {
      const [s, d] = [o * srcOuter + r * srcRow, o * dstOuter + r * dstRow];
      for (let k = 0; k < cols; k++) dst[d + k] = bias ? src[s + k]! + bias[o]! : src[s + k]!;
    }
  }
}
