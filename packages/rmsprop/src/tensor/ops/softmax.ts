import {
  logSoftmaxRows,
  logSoftmaxRowsBackward,
  softmaxLine,
  softmaxLineBackward,
  softmaxRows,
  softmaxRowsBackward,
} from '../../kernels/index.js';
import { record, registerGradient } from '../tape.js';
import { Tensor, type Shape } from '../tensor.js';

/** `dim` counted from the front, checked against `shape`. */
function axisOf(shape: Shape, dim: number): number {
  const d = dim < 0 ? dim + shape.length : dim;
  if (!Number.isInteger(d) || d < 0 || d >= shape.length)
    throw new RangeError(`dim ${dim} is not valid for shape [${shape.join(', ')}]`);
  return d;
}

/** Calls f(base, stride, n) for every line of `shape` along `dim`. */
export function forEachLine(
  shape: readonly number[],
  dim: number,
  f: (base: number, stride: number, n: number) => void,
): void {
  const d = axisOf(shape, dim);
  const n = shape[d]!;
  const inner = shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, d).reduce((a, b) => a * b, 1);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) f(o * n * inner + i, inner, n);
}

/** Whether (log-)softmax of `t` along `dim` runs as the row kernels: float32, along the last axis. */
const rowWise = (t: Tensor, dim: number): boolean => axisOf(t.shape, dim) === t.ndim - 1 && t.dtype === 'float32';

/** Softmax or log-softmax along `dim`: the SIMD row kernels along the last axis, float64 lines along others. */
function softmaxOf(op: 'softmax' | 'logSoftmax', t: Tensor, dim: number): Tensor {
  const log = op === 'logSoftmax';
  const out = new Tensor(t.shape);
  if (rowWise(t, dim)) {
    const cols = t.shape.at(-1)!;
    (log ? logSoftmaxRows : softmaxRows)(t.ptr, t.size / Math.max(cols, 1), cols, out.ptr);
  } else {
    const [x, o] = [t.data, out.data];
    forEachLine(t.shape, dim, (base, stride, n) => softmaxLine(x, o, base, stride, n, log));
  }
  return record(out, op, [t], { dim });
}

function gradientOf(op: 'softmax' | 'logSoftmax', g: Tensor, y: Tensor, dim: number): Tensor {
  const log = op === 'logSoftmax';
  const out = new Tensor(g.shape);
  if (rowWise(y, dim)) {
    const cols = y.shape.at(-1)!;
    (log ? logSoftmaxRowsBackward : softmaxRowsBackward)(g.ptr, y.ptr, y.size / Math.max(cols, 1), cols, out.ptr);
  } else {
    const [gd, yd, o] = [g.data, y.data, out.data];
    forEachLine(g.shape, dim, (base, stride, n) => softmaxLineBackward(gd, yd, o, base, stride, n, log));
  }
  return out;
}

/** log softmax along `dim`, computed as (x − max) − log Σ exp(x − max) so it never overflows. */
export const logSoftmax = (t: Tensor, dim = -1): Tensor => softmaxOf('logSoftmax', t, dim);
/** softmax along `dim`. */
export const softmax = (t: Tensor, dim = -1): Tensor => softmaxOf('softmax', t, dim);

// logSoftmax: dx = g − softmax·Σg along the line; softmax: dx = y·(g − Σ g·y).
registerGradient('logSoftmax', (g, { saved }, y) => [gradientOf('logSoftmax', g, y, saved.dim as number)]);
registerGradient('softmax', (g, { saved }, y) => [gradientOf('softmax', g, y, saved.dim as number)]);
