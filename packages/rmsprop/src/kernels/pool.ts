import { checkArray, checkInt, checkRegion, checkSpan, kernelsFor } from './check.js';
import { runParts, splitRange } from './thread-pool.js';

/**
 * The windows of 2-D pooling over `planes` planes of h × w floats (N·C of an NCHW tensor): output
 * (oy, ox) reads rows iy = oy·sh − ph + i·dh and columns ix = ox·sw − pw + j·dw for i < kh, j < kw.
 */
export interface PoolWindow {
  planes: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  /** Zeros on each side; at most half the kernel, as PyTorch requires. */
  ph: number;
  pw: number;
  /** Dilations (average pooling has none: 1). */
  dh: number;
  dw: number;
  ho: number;
  wo: number;
}

/** Checks the window; returns the element counts of the input and of the output. */
function checkWindow(fn: string, g: PoolWindow): { x: number; y: number } {
  for (const k of ['planes', 'h', 'w', 'ph', 'pw', 'ho', 'wo'] as const) checkInt(fn, k, g[k], 0);
  for (const k of ['kh', 'kw', 'sh', 'sw', 'dh', 'dw'] as const) checkInt(fn, k, g[k], 1);
  if (2 * g.ph > g.kh) throw new RangeError(`${fn}: ph must be at most kh / 2 = ${g.kh / 2}, got ${g.ph}`);
  if (2 * g.pw > g.kw) throw new RangeError(`${fn}: pw must be at most kw / 2 = ${g.kw / 2}, got ${g.pw}`);
  // Every window starts inside the input or its top/left padding (PyTorch's rule, also in ceil mode).
  const maxHo = Math.floor((g.h + g.ph - 1) / g.sh) + 1;
  const maxWo = Math.floor((g.w + g.pw - 1) / g.sw) + 1;
  if (g.ho > maxHo) {
    throw new RangeError(
      `${fn}: ho must be at most ${maxHo} (the last window must start inside the input), got ${g.ho}`,
    );
  }
  if (g.wo > maxWo) {
    throw new RangeError(
      `${fn}: wo must be at most ${maxWo} (the last window must start inside the input), got ${g.wo}`,
    );
  }
  checkSpan(fn, 'ho·sh + kh·dh + ph + h', g.ho * g.sh + g.kh * g.dh + g.ph + g.h);
  checkSpan(fn, 'wo·sw + kw·dw + pw + w', g.wo * g.sw + g.kw * g.dw + g.pw + g.w);
  return { x: g.planes * g.h * g.w, y: g.planes * g.ho * g.wo };
}

/** Input elements a thread pools at least: a smaller share costs more to hand over than it saves. */
const LEAST_INPUTS = 2 ** 15;

/**
 * Ranges of planes, one per thread: planes are independent (max pooling's indices stay in their plane),
 * so every output is computed as on one thread.
 */
const planeRanges = (g: PoolWindow) => splitRange(g.planes, 1, Math.ceil(LEAST_INPUTS / Math.max(g.h * g.w, 1)));

function checkAvg(fn: string, g: PoolWindow): { x: number; y: number } {
  const size = checkWindow(fn, g);
  if (g.dh !== 1 || g.dw !== 1) {
    throw new RangeError(`${fn}: dh and dw must be 1 (average pooling has no dilation), got ${g.dh} and ${g.dw}`);
  }
  return size;
}

/**
 * Max pooling: y at `yPtr` gets the maximum of each window and the int32 array at `argmaxPtr` the index
 * of that element in x (plane·h·w + iy·w + ix). A NaN wins over any number and a later NaN over an
 * earlier one; among equal maxima the first in row-major order wins (PyTorch's rules). A window with no
 * element inside the input gives −∞ and index −1.
 */
export function maxPool(xPtr: number, yPtr: number, argmaxPtr: number, window: PoolWindow): void {
  const size = checkWindow('maxPool', window);
  checkRegion('maxPool', 'x', 'xPtr', xPtr, size.x);
  checkRegion('maxPool', 'y', 'yPtr', yPtr, size.y);
  checkRegion('maxPool', 'argmax', 'argmaxPtr', argmaxPtr, size.y);
  kernelsFor('maxPool');
  const { h, w, kh, kw, sh, sw, ph, pw, dh, dw, ho, wo } = window;
  const shape = [h, w, kh, kw, sh, sw, ph, pw, dh, dw, ho, wo];
  const parts = planeRanges(window).map(([first, planes]) => [xPtr, yPtr, argmaxPtr, planes, ...shape, first]);
  runParts('maxPool', parts);
}

/**
 * The gradient of max pooling over `window`'s planes, from the indices `maxPool` wrote: dx[argmax[k]] +=
 * dy[k] (dx is accumulated into, not cleared). An index outside its own plane of x, such as the −1 of
 * an empty window, is skipped.
 */
export function maxPoolBackward(dyPtr: number, argmaxPtr: number, dxPtr: number, window: PoolWindow): void {
  const size = checkWindow('maxPoolBackward', window);
  checkRegion('maxPoolBackward', 'dy', 'dyPtr', dyPtr, size.y);
  checkRegion('maxPoolBackward', 'argmax', 'argmaxPtr', argmaxPtr, size.y);
  checkRegion('maxPoolBackward', 'dx', 'dxPtr', dxPtr, size.x);
  kernelsFor('maxPoolBackward');
  const [outputs, inputs] = [window.ho * window.wo, window.h * window.w];
  const parts = planeRanges(window).map(([first, planes]) => [dyPtr, argmaxPtr, dxPtr, planes, outputs, inputs, first]);
  runParts('maxPoolBackward', parts);
}

/**
 * Calls f(output index, input index or −1 for an empty window, first of window) for each element of
 * each max-pooling window, in row-major window order.
 */
function forEachMaxWindow(g: PoolWindow, f: (out: number, at: number) => void, start: (out: number) => void): void {
  for (let p = 0; p < g.planes; p++) {
    const base = p * g.h * g.w;
    for (let oy = 0; oy < g.ho; oy++) {
      for (let ox = 0; ox < g.wo; ox++) {
        const out = (p * g.ho + oy) * g.wo + ox;
        start(out);
        for (let i = 0; i < g.kh; i++) {
          const iy = oy * g.sh - g.ph + i * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          for (let j = 0; j < g.kw; j++) {
            const ix = ox * g.sw - g.pw + j * g.dw;
            if (ix >= 0 && ix < g.w) f(out, base + iy * g.w + ix);
          }
        }
      }
    }
  }
}

/** `maxPool` over plain arrays: the reference. */
export function maxPoolReference(x: Float32Array, y: Float32Array, argmax: Int32Array, window: PoolWindow): void {
  const size = checkWindow('maxPoolReference', window);
  checkArray('maxPoolReference', 'x', x, size.x);
  checkArray('maxPoolReference', 'y', y, size.y);
  checkArray('maxPoolReference', 'argmax', argmax, size.y);
  forEachMaxWindow(
    window,
    (out, at) => {
      const v = x[at]!;
      if (v > y[out]! || Number.isNaN(v)) {
        y[out] = v;
        argmax[out] = at;
      }
    },
    (out) => {
      y[out] = -Infinity;
      argmax[out] = -1;
    },
  );
}

/** `maxPoolBackward` over plain arrays: the reference. */
export function maxPoolBackwardReference(
  dy: Float32Array,
  argmax: Int32Array,
  dx: Float32Array,
  window: PoolWindow,
): void {
  const size = checkWindow('maxPoolBackwardReference', window);
  checkArray('maxPoolBackwardReference', 'dy', dy, size.y);
  checkArray('maxPoolBackwardReference', 'argmax', argmax, size.y);
  checkArray('maxPoolBackwardReference', 'dx', dx, size.x);
  const [outputs, inputs] = [window.ho * window.wo, window.h * window.w];
  for (let k = 0; k < size.y; k++) {
    const lo = Math.floor(k / outputs) * inputs;
    const at = argmax[k]!;
    if (at >= lo && at < lo + inputs) dx[at]! += dy[k]!;
  }
}

/**
 * Average pooling: each window's sum (float32, row by row) divided by PyTorch's divisor: the window
 * clipped to the padded input when padding counts (`countIncludePad`), else clipped to the input; the
 * overhang of a ceil-mode window never counts. Windows are dilation-free (dh = dw = 1).
 */
export function avgPool(xPtr: number, yPtr: number, window: PoolWindow, countIncludePad: boolean): void {
  const size = checkAvg('avgPool', window);
  checkRegion('avgPool', 'x', 'xPtr', xPtr, size.x);
  checkRegion('avgPool', 'y', 'yPtr', yPtr, size.y);
  kernelsFor('avgPool');
  runAvg('avgPool', [xPtr, window.h * window.w], [yPtr, window.ho * window.wo], window, countIncludePad);
}

/** The gradient of average pooling: dx[window] += dy / divisor (dx is accumulated into, not cleared). */
export function avgPoolBackward(dyPtr: number, dxPtr: number, window: PoolWindow, countIncludePad: boolean): void {
  const size = checkAvg('avgPoolBackward', window);
  checkRegion('avgPoolBackward', 'dy', 'dyPtr', dyPtr, size.y);
  checkRegion('avgPoolBackward', 'dx', 'dxPtr', dxPtr, size.x);
  kernelsFor('avgPoolBackward');
  runAvg('avgPoolBackward', [dyPtr, window.ho * window.wo], [dxPtr, window.h * window.w], window, countIncludePad);
}

/** Runs an average-pooling kernel over ranges of planes: its two operands, each with its floats per plane. */
function runAvg(
  kernel: 'avgPool' | 'avgPoolBackward',
  [a, aPlane]: [number, number],
  [b, bPlane]: [number, number],
  g: PoolWindow,
  include: boolean,
): void {
  const shape = [g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.ho, g.wo, +include];
  const parts = planeRanges(g).map(([p0, planes]) => [a + 4 * p0 * aPlane, b + 4 * p0 * bPlane, planes, ...shape]);
  runParts(kernel, parts);
}

/** Calls f(output index, input index, divisor) for each element of each average-pooling window. */
function forEachAvgWindow(
  g: PoolWindow,
  include: boolean,
  f: (out: number, at: number, divisor: number) => void,
  start: (out: number, divisor: number) => void,
): void {
  for (let p = 0; p < g.planes; p++) {
    const base = p * g.h * g.w;
    for (let oy = 0; oy < g.ho; oy++) {
      for (let ox = 0; ox < g.wo; ox++) {
        const y0 = oy * g.sh - g.ph;
        const x0 = ox * g.sw - g.pw;
        const y1 = Math.min(y0 + g.kh, g.h + g.ph);
        const x1 = Math.min(x0 + g.kw, g.w + g.pw);
        const [ya, xa, yb, xb] = [Math.max(y0, 0), Math.max(x0, 0), Math.min(y1, g.h), Math.min(x1, g.w)];
        const divisor = include ? (y1 - y0) * (x1 - x0) : (yb - ya) * (xb - xa);
        const out = (p * g.ho + oy) * g.wo + ox;
        start(out, divisor);
        for (let iy = ya; iy < yb; iy++) for (let ix = xa; ix < xb; ix++) f(out, base + iy * g.w + ix, divisor);
      }
    }
  }
}

/** `avgPool` over plain arrays: the reference (float32 sums in the kernel's order). */
export function avgPoolReference(x: Float32Array, y: Float32Array, window: PoolWindow, countIncludePad: boolean): void {
  const size = checkAvg('avgPoolReference', window);
  checkArray('avgPoolReference', 'x', x, size.x);
  checkArray('avgPoolReference', 'y', y, size.y);
  let sum = 0;
  let last = -1;
  let lastDivisor = 1;
  const finish = () => {
    if (last >= 0) y[last] = sum / lastDivisor;
  };
  forEachAvgWindow(
    window,
    countIncludePad,
    (_, at) => (sum = Math.fround(sum + x[at]!)),
    (out, divisor) => {
      finish();
      [sum, last, lastDivisor] = [0, out, divisor];
    },
  );
  finish();
}

/** `avgPoolBackward` over plain arrays: the reference. */
export function avgPoolBackwardReference(
  dy: Float32Array,
  dx: Float32Array,
  window: PoolWindow,
  countIncludePad: boolean,
): void {
  const size = checkAvg('avgPoolBackwardReference', window);
  checkArray('avgPoolBackwardReference', 'dy', dy, size.y);
  checkArray('avgPoolBackwardReference', 'dx', dx, size.x);
  forEachAvgWindow(
    window,
    countIncludePad,
    (out, at, divisor) => (dx[at]! += Math.fround(dy[out]! / divisor)),
    () => {},
  );
}
