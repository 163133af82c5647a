import { record, registerGradient } from '../tape.js';
import { Tensor } from '../tensor.js';

/** Calls f(base, stride, n) for every line of `shape` along `dim`. */
export function forEachLine(
  shape: readonly number[],
  dim: number,
  f: (base: number, stride: number, n: number) => void,
): void {
  const d = dim < 0 ? dim + shape.length : dim;
  if (!Number.isInteger(d) || d < 0 || d >= shape.length)
    throw new RangeError(`dim ${dim} is not valid for shape [${shape.join(', ')}]`);
  const n = shape[d]!;
  const inner = shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, d).reduce((a, b) => a * b, 1);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) f(o * n * inner + i, inner, n);
}

/** log softmax along `dim`, computed as x − max − log Σ exp(x − max) so it never overflows. */
export function logSoftmax(t: Tensor, dim = -1): Tensor {
  const out = new Tensor(t.shape);
  const [x, o] = [t.data, out.data];
  forEachLine(t.shape, dim, (base, stride, n) => {
    let m = -Infinity;
    for (let j = 0; j < n; j++) m = Math.max(m, x[base + j * stride]!);
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(x[base + j * stride]! - m);
    const lse = m + Math.log(s);
    for (let j = 0; j < n; j++) o[base + j * stride] = x[base + j * stride]! - lse;
  });
  return record(out, 'logSoftmax', [t], { dim });
}
registerGradient('logSoftmax', (g, { saved }, y) => {
  // dx = g − softmax·Σg along the line.
  const out = new Tensor(g.shape);
  const [gd, yd, o] = [g.data, y.data, out.data];
  forEachLine(g.shape, saved.dim as number, (base, stride, n) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += gd[base + j * stride]!;
    for (let j = 0; j < n; j++) o[base + j * stride] = gd[base + j * stride]! - Math.exp(yd[base + j * stride]!) * s;
  });
  return [out];
});

/** softmax along `dim`. */
export function softmax(t: Tensor, dim = -1): Tensor {
  const out = new Tensor(t.shape);
  const [x, o] = [t.data, out.data];
  forEachLine(t.shape, dim, (base, stride, n) => {
    let m = -Infinity;
    for (let j = 0; j < n; j++) m = Math.max(m, x[base + j * stride]!);
    let s = 0;
    for (let j = 0; j < n; j++) s += o[base + j * stride] = Math.exp(x[base + j * stride]! - m);
    for (let j = 0; j < n; j++) o[base + j * stride]! /= s;
  });
  return record(out, 'softmax', [t], { dim });
}
registerGradient('softmax', (g, { saved }, y) => {
  // dx = y·(g − Σ g·y) along the line.
  const out = new Tensor(g.shape);
  const [gd, yd, o] = [g.data, y.data, out.data];
  forEachLine(g.shape, saved.dim as number, (base, stride, n) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += gd[base + j * stride]! * yd[base + j * stride]!;
    for (let j = 0; j < n; j++) o[base + j * stride] = yd[base + j * stride]! * (gd[base + j * stride]! - s);
  });
  return [out];
});
