import { record, registerGradient } from '../tape.js';
import { Tensor } from '../tensor.js';
import { outputLength, pair, type Pair } from './window.js';

export interface PoolOptions {
  kernel: Pair;
  /** The kernel size by default. */
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  /** Round the output size up, so a partial window at the end counts. */
  ceilMode?: boolean;
}

interface Window {
  n: number;
  c: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  dh: number;
  dw: number;
  ho: number;
  wo: number;
}

function windowOf(op: string, input: Tensor, o: PoolOptions): Window {
  if (input.ndim !== 4) throw new RangeError(`${op}: input must be [N, C, H, W], got [${input.shape.join(', ')}]`);
  const [n, c, h, w] = input.shape as [number, number, number, number];
  const [kh, kw] = pair(op, 'kernel', o.kernel, 1);
  const [sh, sw] = pair(op, 'stride', o.stride ?? o.kernel, 1);
  const [ph, pw] = pair(op, 'padding', o.padding ?? 0, 0);
  const [dh, dw] = pair(op, 'dilation', o.dilation ?? 1, 1);
  if (2 * ph > kh || 2 * pw > kw)
    throw new RangeError(`${op}: padding must be at most half the kernel, got ${ph}, ${pw} for ${kh}×${kw}`);
  const ceil = o.ceilMode ?? false;
  const ho = outputLength(op, h, kh, sh, ph, ph, dh, ceil);
  const wo = outputLength(op, w, kw, sw, pw, pw, dw, ceil);
  return { n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, ho, wo };
}

/** Max pooling; the gradient goes to the (first) maximal element of each window. */
export function maxPool2d(input: Tensor, o: PoolOptions): Tensor {
  const g = windowOf('maxPool2d', input, o);
  const out = new Tensor([g.n, g.c, g.ho, g.wo]);
  const argmax = new Int32Array(out.size);
  const [x, y] = [input.data, out.data];
  for (let plane = 0; plane < g.n * g.c; plane++) {
    const base = plane * g.h * g.w;
    for (let oy = 0; oy < g.ho; oy++) {
      for (let ox = 0; ox < g.wo; ox++) {
        let best = -Infinity;
        let at = -1;
        for (let i = 0; i < g.kh; i++) {
          const iy = oy * g.sh - g.ph + i * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          for (let j = 0; j < g.kw; j++) {
            const ix = ox * g.sw - g.pw + j * g.dw;
            if (ix < 0 || ix >= g.w) continue;
            const v = x[base + iy * g.w + ix]!;
            if (v > best || Number.isNaN(v)) {
              best = v;
              at = base + iy * g.w + ix;
            }
          }
        }
        const k = (plane * g.ho + oy) * g.wo + ox;
        y[k] = best;
        argmax[k] = at;
      }
    }
  }
  return record(out, 'maxPool2d', [input], { argmax });
}
registerGradient('maxPool2d', (dy, { inputs: [input], saved }) => {
  const argmax = saved.argmax as Int32Array;
  const dx = new Tensor(input!.shape);
  const [d, o] = [dy.data, dx.data];
  o.fill(0);
  for (let k = 0; k < argmax.length; k++) if (argmax[k]! >= 0) o[argmax[k]!]! += d[k]!;
  return [dx];
});

/** Calls f(index into the input, divisor) for each input element of output position (oy, ox). */
function forWindow(
  g: Window,
  countIncludePad: boolean,
  oy: number,
  ox: number,
  f: (at: number, divisor: number) => void,
): void {
  // PyTorch's divisor: the window clipped to the padded input when padding counts, else to the input.
  const y0 = oy * g.sh - g.ph;
  const x0 = ox * g.sw - g.pw;
  const y1 = Math.min(y0 + g.kh, g.h + g.ph);
  const x1 = Math.min(x0 + g.kw, g.w + g.pw);
  const padded = (y1 - y0) * (x1 - x0);
  const [ya, xa, yb, xb] = [Math.max(y0, 0), Math.max(x0, 0), Math.min(y1, g.h), Math.min(x1, g.w)];
  const divisor = countIncludePad ? padded : (yb - ya) * (xb - xa);
  for (let iy = ya; iy < yb; iy++) for (let ix = xa; ix < xb; ix++) f(iy * g.w + ix, divisor);
}

/** Average pooling; padding counts towards the divisor unless `countIncludePad` is false. */
export function avgPool2d(input: Tensor, o: PoolOptions & { countIncludePad?: boolean }): Tensor {
  if (o.dilation !== undefined) throw new RangeError('avgPool2d: dilation is not supported (PyTorch has none either)');
  const g = windowOf('avgPool2d', input, o);
  const include = o.countIncludePad ?? true;
  const out = new Tensor([g.n, g.c, g.ho, g.wo]);
  const [x, y] = [input.data, out.data];
  for (let plane = 0; plane < g.n * g.c; plane++) {
    const base = plane * g.h * g.w;
    for (let oy = 0; oy < g.ho; oy++) {
      for (let ox = 0; ox < g.wo; ox++) {
        let s = 0;
        let div = 1;
        forWindow(g, include, oy, ox, (at, d) => {
          s += x[base + at]!;
          div = d;
        });
        y[(plane * g.ho + oy) * g.wo + ox] = s / div;
      }
    }
  }
  return record(out, 'avgPool2d', [input], { g, include });
}
registerGradient('avgPool2d', (dy, { inputs: [input], saved }) => {
  const { g, include } = saved as { g: Window; include: boolean };
  const dx = new Tensor(input!.shape);
  const [d, o] = [dy.data, dx.data];
  o.fill(0);
  for (let plane = 0; plane < g.n * g.c; plane++) {
    const base = plane * g.h * g.w;
    for (let oy = 0; oy < g.ho; oy++) {
      for (let ox = 0; ox < g.wo; ox++) {
        const v = d[(plane * g.ho + oy) * g.wo + ox]!;
        forWindow(g, include, oy, ox, (at, div) => (o[base + at]! += v / div));
      }
    }
  }
  return [dx];
});
