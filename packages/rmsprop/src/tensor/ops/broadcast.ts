import { noGrad } from '../tape.js';
import { Tensor, type Shape } from '../tensor.js';

/** NumPy's broadcasting: shapes are aligned on the right; each pair of sizes must match or be 1. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new RangeError(
        `${op}: shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast (size ${x} against ${y})`,
      );
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Strides of `shape` read as `out` (0 along broadcast dimensions). */
function broadcastStrides(shape: Shape, out: Shape): number[] {
  const strides = new Array<number>(out.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const j = out.length - shape.length + i;
    strides[j] = shape[i] === 1 ? 0 : s;
    s *= shape[i]!;
  }
  return strides;
}

/** Calls f(i, ia, ib) for every element i of `out` with the matching element indices of a and b. */
export function forEachBroadcast(a: Shape, b: Shape, out: Shape, f: (i: number, ia: number, ib: number) => void): void {
  const sa = broadcastStrides(a, out);
  const sb = broadcastStrides(b, out);
  const nd = out.length;
  const index = new Array<number>(nd).fill(0);
  let ia = 0;
  let ib = 0;
  const size = out.reduce((x, y) => x * y, 1);
  for (let i = 0; i < size; i++) {
    f(i, ia, ib);
    for (let d = nd - 1; d >= 0; d--) {
      index[d]!++;
      ia += sa[d]!;
      ib += sb[d]!;
      if (index[d]! < out[d]!) break;
      ia -= sa[d]! * out[d]!;
      ib -= sb[d]! * out[d]!;
      index[d] = 0;
    }
  }
}

/** Sums `g` down to `shape` over the dimensions broadcasting expanded (the gradient of a broadcast). */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  return noGrad(() => {
    const out = new Tensor(shape);
    const o = out.data;
    const x = g.data;
    o.fill(0);
    forEachBroadcast(shape, g.shape, g.shape, (i, io) => {
      o[io]! += x[i]!;
    });
    return out;
  });
}

/** A number as a 0-dimensional tensor, so ops can take scalars. */
export function asTensor(x: Tensor | number): Tensor {
  if (x instanceof Tensor) return x;
  const t = new Tensor([]);
  t.data[0] = x;
  return t;
}
