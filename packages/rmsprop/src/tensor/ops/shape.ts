import { record, registerGradient } from '../tape.js';
import { Tensor, type Shape } from '../tensor.js';

/** The same elements under another shape (one dimension may be −1), sharing memory, with a gradient. */
export function reshape(t: Tensor, shape: Shape): Tensor {
  return record(t.view(shape), 'reshape', [t]);
}
registerGradient('reshape', (g, { inputs: [x] }) => [g.view(x!.shape)]);

/** Reorders dimensions: output dimension i is input dimension `order[i]`. */
export function permute(t: Tensor, order: readonly number[]): Tensor {
  const n = t.ndim;
  if (order.length !== n || [...order].sort((a, b) => a - b).some((d, i) => d !== i)) {
    throw new RangeError(
      `permute: [${order.join(', ')}] is not an order of the ${n} dimensions of [${t.shape.join(', ')}]`,
    );
  }
  const shape = order.map((d) => t.shape[d]!);
  const inStrides = new Array<number>(n);
  for (let d = n - 1, s = 1; d >= 0; d--) {
    inStrides[d] = s;
    s *= t.shape[d]!;
  }
  const strides = order.map((d) => inStrides[d]!);
  const out = new Tensor(shape, t.dtype);
  const [x, o] = t.dtype === 'float32' ? [t.data, out.data] : [t.ints, out.ints];
  const index = new Array<number>(n).fill(0);
  let src = 0;
  for (let i = 0; i < out.size; i++) {
    o[i] = x[src]!;
    for (let d = n - 1; d >= 0; d--) {
      index[d]!++;
      src += strides[d]!;
      if (index[d]! < shape[d]!) break;
      src -= strides[d]! * shape[d]!;
      index[d] = 0;
    }
  }
  return record(out, 'permute', [t], { order });
}
registerGradient('permute', (g, { saved }) => {
  const order = saved.order as number[];
  const inverse = order.map((_, i) => order.indexOf(i));
  return [permute(g, inverse)];
});

/** Swaps two dimensions (the last two by default). */
export function transpose(t: Tensor, dim0 = -2, dim1 = -1): Tensor {
  const n = t.ndim;
  const [a, b] = [dim0 < 0 ? dim0 + n : dim0, dim1 < 0 ? dim1 + n : dim1];
  if (!(a >= 0 && a < n && b >= 0 && b < n))
    throw new RangeError(`transpose: dimensions ${dim0}, ${dim1} are not valid for shape [${t.shape.join(', ')}]`);
  const order = t.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(t, order);
}
