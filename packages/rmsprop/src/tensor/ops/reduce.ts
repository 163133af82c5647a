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

/** Σ over `axes` (all by default). */
export const sum = (t: Tensor, axes?: number | readonly number[], keepDims = false): Tensor =>
  reduce('sum', t, axes, keepDims, 0, (a, x) => a + x);

/** The mean over `axes` (all by default). */
export function mean(t: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const out = reduce('mean', t, axes, keepDims, 0, (a, x) => a + x);
  const count = t.size / Math.max(out.size, 1);
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i]! /= count;
  return out;
}

/** The maximum over `axes` (all by default); tied maxima share the gradient equally, as torch.amax does. */
export const max = (t: Tensor, axes?: number | readonly number[], keepDims = false): Tensor =>
  reduce('max', t, axes, keepDims, -Infinity, Math.max);

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

registerGradient('sum', (g, { inputs: [x], saved }) => [spread(g, x!, saved.kept as Shape, () => 1)]);
registerGradient('mean', (g, { inputs: [x], saved }) => [
  spread(g, x!, saved.kept as Shape, () => 1 / (saved.count as number)),
]);
registerGradient('max', (g, { inputs: [x], saved }, y) => {
  const kept = saved.kept as Shape;
  const ties = new Float32Array(y.size);
  const [xd, yd] = [x!.data, y.data];
  forEachBroadcast(kept, x!.shape, x!.shape, (i, io) => (ties[io]! += xd[i] === yd[io] ? 1 : 0));
  return [spread(g, x!, kept, (xs, ys, i, io) => (xs[i] === ys[io] ? 1 / ties[io]! : 0), y)];
});
