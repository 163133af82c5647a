import { avgPool, avgPoolBackward, maxPool, maxPoolBackward, type PoolWindow } from '../../kernels/index.js';
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

/** The kernels' window over the N·C planes, with N and C kept for the output shape. */
type Window = PoolWindow & { n: number; c: number };

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
  return { n, c, planes: n * c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, ho, wo };
}

function float32(op: string, t: Tensor): void {
  if (t.dtype !== 'float32') throw new TypeError(`${op}: needs a float32 tensor, got ${t.dtype}`);
}

/**
 * Max pooling; the gradient goes to the maximal element of each window (the first of tied maxima, or the
 * last NaN), whose index the forward pass keeps in an int32 tensor.
 */
export function maxPool2d(input: Tensor, o: PoolOptions): Tensor {
  const g = windowOf('maxPool2d', input, o);
  float32('maxPool2d', input);
  const out = new Tensor([g.n, g.c, g.ho, g.wo]);
  const argmax = new Tensor(out.shape, 'int32');
  maxPool(input.ptr, out.ptr, argmax.ptr, g);
  record(out, 'maxPool2d', [input], { argmax, g });
  // Without a graph to send gradients through, the indices are not needed.
  if (!out.node) argmax.dispose();
  return out;
}
registerGradient('maxPool2d', (dy, { inputs: [input], saved }) => {
  const { argmax, g } = saved as { argmax: Tensor; g: Window };
  const dx = new Tensor(input!.shape);
  dx.data.fill(0);
  maxPoolBackward(dy.ptr, argmax.ptr, dx.ptr, g);
  return [dx];
});

/**
 * Average pooling; padding counts towards the divisor unless `countIncludePad` is false, and the overhang
 * of a ceil-mode window never counts (PyTorch's divisors).
 */
export function avgPool2d(input: Tensor, o: PoolOptions & { countIncludePad?: boolean }): Tensor {
  if (o.dilation !== undefined) throw new RangeError('avgPool2d: dilation is not supported (PyTorch has none either)');
  const g = windowOf('avgPool2d', input, o);
  float32('avgPool2d', input);
  const include = o.countIncludePad ?? true;
  const out = new Tensor([g.n, g.c, g.ho, g.wo]);
  avgPool(input.ptr, out.ptr, g, include);
  return record(out, 'avgPool2d', [input], { g, include });
}
registerGradient('avgPool2d', (dy, { inputs: [input], saved }) => {
  const { g, include } = saved as { g: Window; include: boolean };
  const dx = new Tensor(input!.shape);
  dx.data.fill(0);
  avgPoolBackward(dy.ptr, dx.ptr, g, include);
  return [dx];
});
