import { record, registerGradient } from '../tape.js';
import { full } from '../creation.js';
import { Tensor } from '../tensor.js';
import { gemm } from './gemm.js';

/**
 * y = x·wᵀ + b for x [..., in], w [out, in] (PyTorch's layout), b [out]: one GEMM with w read transposed
 * in place, where matmul(x, transpose(w)) would copy w on every call.
 */
export function linear(x: Tensor, w: Tensor, b: Tensor | null = null): Tensor {
  if (w.ndim !== 2) throw new RangeError(`linear: weight must be [out, in], got [${w.shape.join(', ')}]`);
  const [out, inp] = w.shape as [number, number];
  if (x.ndim < 1 || x.shape.at(-1) !== inp) {
    throw new RangeError(
      `linear: input [${x.shape.join(', ')}] must end in ${inp} features for weight [${out}, ${inp}]`,
    );
  }
  if (b && (b.ndim !== 1 || b.shape[0] !== out))
    throw new RangeError(`linear: bias must be [${out}], got [${b.shape.join(', ')}]`);
  const rows = x.size / inp;
  const y = new Tensor([...x.shape.slice(0, -1), out]);
  const [yd, xd, wd] = [y.data, x.data, w.data];
  if (b) for (let r = 0; r < rows; r++) yd.set(b.data, r * out);
  gemm(false, true, rows, out, inp, 1, xd, 0, inp, wd, 0, inp, b ? 1 : 0, yd, 0, out);
  return record(y, 'linear', b ? [x, w, b] : [x, w]);
}

registerGradient('linear', (g, { inputs: [x, w, b] }) => {
  const [out, inp] = w!.shape as [number, number];
  const rows = x!.size / inp;
  const dx = new Tensor(x!.shape);
  const dw = new Tensor(w!.shape);
  const db = b ? new Tensor(b.shape) : null;
  const ones = b ? full([rows], 1) : null; // db = gᵀ·1, the column sums, as a GEMM
  const [gd, xd, wd] = [g.data, x!.data, w!.data];
  gemm(false, false, rows, inp, out, 1, gd, 0, out, wd, 0, inp, 0, dx.data, 0, inp); // dx = g·w
  gemm(true, false, out, inp, rows, 1, gd, 0, out, xd, 0, inp, 0, dw.data, 0, inp); // dw = gᵀ·x
  if (db) gemm(true, false, out, 1, rows, 1, gd, 0, out, ones!.data, 0, 1, 0, db.data, 0, 1);
  ones?.dispose();
  return db ? [dx, dw, db] : [dx, dw];
});
