import { record, registerGradient } from '../tape.js';
import { sumColumns } from '../../kernels/index.js';
import { Tensor } from '../tensor.js';
import { gemm } from './gemm.js';

/** The rows of x [..., in]: x.size / in, also when in = 0. */
const rowsOf = (x: Tensor): number => x.shape.slice(0, -1).reduce((a, b) => a * b, 1);

/**
 * y = x·wᵀ + b for x [..., in], w [out, in] (PyTorch's layout), b [out]: one GEMM with w read transposed
 * in place, where matmul(x, transpose(w)) would copy w on every call.
 */
export function linear(x: Tensor, w: Tensor, b: Tensor | null = null): Tensor {
  const y = linearInto(new Tensor(linearShape(x, w, b)), x, w, b);
  return record(y, 'linear', b ? [x, w, b] : [x, w]);
}

/** The shape of linear(x, w, b), or an error naming the operand that does not fit. */
export function linearShape(x: Tensor, w: Tensor, b: Tensor | null): number[] {
  if (w.ndim !== 2) throw new RangeError(`linear: weight must be [out, in], got [${w.shape.join(', ')}]`);
  const [out, inp] = w.shape as [number, number];
  if (x.ndim < 1 || x.shape.at(-1) !== inp) {
    throw new RangeError(
      `linear: input [${x.shape.join(', ')}] must end in ${inp} features for weight [${out}, ${inp}]`,
    );
  }
  if (b && (b.ndim !== 1 || b.shape[0] !== out))
    throw new RangeError(`linear: bias must be [${out}], got [${b.shape.join(', ')}]`);
  return [...x.shape.slice(0, -1), out];
}

/** Writes x·wᵀ + b into y (of `linearShape`), without recording. */
export function linearInto(y: Tensor, x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  const [out, inp] = w.shape as [number, number];
  const rows = rowsOf(x);
  const [yd, xd, wd] = [y.data, x.data, w.data];
  if (b) for (let r = 0; r < rows; r++) yd.set(b.data, r * out);
  gemm(false, true, rows, out, inp, 1, xd, 0, inp, wd, 0, inp, b ? 1 : 0, yd, 0, out);
  return y;
}

/**
 * The gradients of y = x·wᵀ + b for the output's gradient g: dx = g·w, dw = gᵀ·x, db = the column sums
 * of g, each only for an input that requires one (a first layer's input is data).
 */
export function linearGradients(g: Tensor, x: Tensor, w: Tensor, b: Tensor | null): (Tensor | null)[] {
  const [out, inp] = w.shape as [number, number];
  const rows = rowsOf(x);
  const dx = x.requiresGrad ? new Tensor(x.shape) : null;
  const dw = w.requiresGrad ? new Tensor(w.shape) : null;
  const db = b?.requiresGrad ? new Tensor(b.shape) : null;
  // The GEMM packs its left operand four times over (broadcast), so when the rows are many and the
  // inputs few (an LSTM's input weights over a whole sequence), dwᵀ = xᵀ·g and a small transpose are cheaper.
  const flipped = dw && rows * (out - inp) > 3 * inp * out ? new Tensor([inp, out]) : null;
  const [gd, xd, wd] = [g.data, x.data, w.data];
  if (dx) gemm(false, false, rows, inp, out, 1, gd, 0, out, wd, 0, inp, 0, dx.data, 0, inp);
  if (flipped) {
    gemm(true, false, inp, out, rows, 1, xd, 0, inp, gd, 0, out, 0, flipped.data, 0, out);
    const [t, d] = [flipped.data, dw!.data];
    for (let i = 0; i < inp; i++) for (let o = 0; o < out; o++) d[o * inp + i] = t[i * out + o]!;
    flipped.dispose();
  } else if (dw) gemm(true, false, out, inp, rows, 1, gd, 0, out, xd, 0, inp, 0, dw.data, 0, inp);
  if (db) sumColumns(g.ptr, rows, out, db.ptr);
  return b ? [dx, dw, db] : [dx, dw];
}

registerGradient('linear', (g, { inputs: [x, w, b] }) => linearGradients(g, x!, w!, b ?? null));
