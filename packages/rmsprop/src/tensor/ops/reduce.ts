import { broadcastRows, maxRows, maxRowsBackward, sum as sumKernel, sumRows } from '../../kernels/index.js';
import { record, registerGradient } from '../tape.js';
import { Tensor, type Shape } from '../tensor.js';
import { forEachBroadcast } from './broadcast.js';

/** Normalises `axes` (negative counts from the end; undefined means all) and checks them. */
function axesOf(op: string, t: Tensor, axes?: number | readonly number[]): number[] {
  const list = axes === undefined ? t.shape.map((_, i) => i) : typeof axes === 'number' ? [axes] : [...axes];
  const out = list.map((a) => (a < 0 ? a + t.ndim : a));
  out.forEach((a, i) => {
    if (!Number.isInteger(a) || a < 0 || a >= Math.max(t.ndim, 1) || out.indexOf(a) !== i) {
      throw new RangeError(`${op}: axis ${list[i]} is not valid for shape [${t.shape.join(', ')}] (or is repeated)`);
    }
  });
  return out;
}

const keptShape = (shape: Shape, axes: number[]): number[] => shape.map((d, i) => (axes.includes(i) ? 1 : d));
const droppedShape = (shape: Shape, axes: number[]): number[] => shape.filter((_, i) => !axes.includes(i));

/** Which SIMD kernel a sum over `axes` of `t` can use: over everything, over the last axis, or none. */
function sumKind(t: Tensor, axes: number[]): 'all' | 'rows' | null {
  if (t.dtype !== 'float32') return null;
  if (axes.length === t.ndim || t.size <= 1) return 'all';
  return axes.length === 1 && axes[0] === t.ndim - 1 ? 'rows' : null;
}

function reduce(
  op: string,
  t: Tensor,
  axes: number | readonly number[] | undefined,
  keepDims: boolean,
  init: number,
  f: (acc: number, x: number) => number,
): Tensor {
  const ax = axesOf(op, t, axes);
  const kept = keptShape(t.shape, ax);
  const out = new Tensor(keepDims ? kept : droppedShape(t.shape, ax));
  const [x, o] = [t.data, out.data];
  o.fill(init);
  forEachBroadcast(kept, t.shape, t.shape, (i, io) => (o[io] = f(o[io]!, x[i]!)));
  return record(out, op, [t], { kept, count: t.size / Math.max(out.size, 1) });
}

/** Σ (or the mean, dividing by the count) over `axes`: f64 SIMD kernels over everything or the last axis. */
function sumOrMean(op: 'sum' | 'mean', t: Tensor, axes: number | readonly number[] | undefined, keepDims: boolean) {
  const ax = axesOf(op, t, axes);
  const kind = sumKind(t, ax);
  if (!kind) {
    const out = reduce(op, t, axes, keepDims, 0, (a, x) => a + x);
    if (op === 'mean') {
      const count = t.size / Math.max(out.size, 1);
      const o = out.data;
      for (let i = 0; i < o.length; i++) o[i]! /= count;
    }
    return out;
  }
  const kept = keptShape(t.shape, ax);
  const out = new Tensor(keepDims ? kept : droppedShape(t.shape, ax));
  const count = t.size / Math.max(out.size, 1);
  const divisor = op === 'mean' ? count : 1;
  if (kind === 'all') out.data.fill(sumKernel(t.ptr, t.size) / divisor);
  else sumRows(t.ptr, out.size, count, out.ptr, divisor);
  return record(out, op, [t], { kept, count, kind });
}

/** Σ over `axes` (all by default). */
export const sum = (t: Tensor, axes?: number | readonly number[], keepDims = false): Tensor =>
  sumOrMean('sum', t, axes, keepDims);

/** The mean over `axes` (all by default). */
export const mean = (t: Tensor, axes?: number | readonly number[], keepDims = false): Tensor =>
  sumOrMean('mean', t, axes, keepDims);

/** How many elements each output gathers when `axes` are the last axes of `t` (all of them included), else null. */
function trailing(t: Tensor, axes: number[]): number | null {
  if (!axes.every((a) => a >= t.ndim - axes.length)) return null;
  return t.shape.slice(t.ndim - axes.length).reduce((a, b) => a * b, 1);
}

/**
 * The maximum over `axes` (all by default), NaN if any element is; tied maxima share the gradient equally,
 * as torch.amax does. A SIMD row kernel where the axes are the last ones (the whole tensor included).
 */
export function max(t: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const ax = axesOf('max', t, axes);
  const cols = t.dtype === 'float32' ? trailing(t, ax) : null;
  if (cols === null) return reduce('max', t, axes, keepDims, -Infinity, Math.max);
  const kept = keptShape(t.shape, ax);
  const out = new Tensor(keepDims ? kept : droppedShape(t.shape, ax));
  maxRows(t.ptr, out.size, cols, out.ptr);
  return record(out, 'max', [t], { kept, cols });
}

/** The gradient of a reduction, spread back over the reduced axes with a per-element weight. */
function spread(
  g: Tensor,
  input: Tensor,
  kept: Shape,
  weight: (x: Float32Array, y: Float32Array, i: number, io: number) => number,
  y?: Tensor,
): Tensor {
  const out = new Tensor(input.shape);
  const [gd, o, xd, yd] = [g.data, out.data, input.data, y?.data ?? g.data];
  forEachBroadcast(kept, input.shape, input.shape, (i, io) => (o[i] = gd[io]! * weight(xd, yd, i, io)));
  return out;
}

/** The gradient of a sum scaled by `scale`: g spread over the summed axes (a kernel for the last axis). */
function sumGradient(g: Tensor, x: Tensor, saved: Readonly<Record<string, unknown>>, scale: number): Tensor {
  if (saved.kind === 'all') {
    const out = new Tensor(x.shape);
    out.data.fill(g.data[0]! * scale);
    return out;
  }
  if (saved.kind === 'rows') {
    const out = new Tensor(x.shape);
    broadcastRows(g.ptr, g.size, saved.count as number, out.ptr, scale);
    return out;
  }
  return spread(g, x, saved.kept as Shape, () => scale);
}

registerGradient('sum', (g, { inputs: [x], saved }) => [sumGradient(g, x!, saved, 1)]);
registerGradient('mean', (g, { inputs: [x], saved }) => [sumGradient(g, x!, saved, 1 / (saved.count as number))]);
registerGradient('max', (g, { inputs: [x], saved }, y) => {
  if (saved.cols !== undefined) {
    const out = new Tensor(x!.shape);
    maxRowsBackward(g.ptr, x!.ptr, y.ptr, y.size, saved.cols as number, out.ptr);
    return [out];
  }
  const kept = saved.kept as Shape;
  const ties = new Float32Array(y.size);
  const [xd, yd] = [x!.data, y.data];
  forEachBroadcast(kept, x!.shape, x!.shape, (i, io) => (ties[io]! += xd[i] === yd[io] ? 1 : 0));
  return [spread(g, x!, kept, (xs, ys, i, io) => (xs[i] === ys[io] ? 1 / ties[io]! : 0), y)];
});
