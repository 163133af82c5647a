import { record, registerGradient } from '../tape.js';
import { Tensor } from '../tensor.js';
import { sumToShape } from './broadcast.js';
import { gemm } from './gemm.js';

/**
 * Matrix product with PyTorch's rules: 1-D operands are promoted to a row or column and the added
 * dimension removed after; leading (batch) dimensions broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) throw new RangeError('matmul: both operands need at least one dimension');
  const x = a.ndim === 1 ? a.view([1, a.shape[0]!]) : a;
  const y = b.ndim === 1 ? b.view([b.shape[0]!, 1]) : b;
  const [m, k] = x.shape.slice(-2) as [number, number];
  const [k2, n] = y.shape.slice(-2) as [number, number];
  if (k !== k2) {
    throw new RangeError(
      `matmul: shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] do not match (${k} against ${k2})`,
    );
  }
  const bx = x.shape.slice(0, -2);
  const by = y.shape.slice(0, -2);
  const batch = broadcastBatch(bx, by, a, b);
  const out = new Tensor([...batch, m, n]);
  const count = batch.reduce((p, d) => p * d, 1);
  const [xd, yd, o] = [x.data, y.data, out.data];
  for (let i = 0; i < count; i++) {
    gemm(
      false,
      false,
      m,
      n,
      k,
      1,
      xd,
      batchOffset(i, batch, bx) * m * k,
      k,
      yd,
      batchOffset(i, batch, by) * k * n,
      n,
      0,
      o,
      i * m * n,
      n,
    );
  }
  const result =
    a.ndim === 1 || b.ndim === 1
      ? out.view(
          out.shape.filter((_, i) => !((a.ndim === 1 && i === out.ndim - 2) || (b.ndim === 1 && i === out.ndim - 1))),
        )
      : out;
  return record(result, 'matmul', [a, b]);
}

function broadcastBatch(bx: readonly number[], by: readonly number[], a: Tensor, b: Tensor): number[] {
  const n = Math.max(bx.length, by.length);
  return Array.from({ length: n }, (_, i) => {
    const p = bx[bx.length - n + i] ?? 1;
    const q = by[by.length - n + i] ?? 1;
    if (p !== q && p !== 1 && q !== 1) {
      throw new RangeError(
        `matmul: batch dimensions of [${a.shape.join(', ')}] and [${b.shape.join(', ')}] do not broadcast`,
      );
    }
    return Math.max(p, q);
  });
}

/** Index of batch `i` of the broadcast batch shape within an operand's own batch shape. */
function batchOffset(i: number, batch: readonly number[], own: readonly number[]): number {
  let offset = 0;
  let stride = 1;
  for (let d = batch.length - 1, e = own.length - 1; d >= 0; d--, e--) {
    const coord = i % batch[d]!;
    i = Math.floor(i / batch[d]!);
    if (e >= 0) {
      if (own[e] !== 1) offset += coord * stride;
      stride *= own[e]!;
    }
  }
  return offset;
}

/** op(A)·op(B) for 2-D or batched tensors of equal batch shape, without recording. */
function product(a: Tensor, b: Tensor, ta: boolean, tb: boolean): Tensor {
  const [ra, ca] = a.shape.slice(-2) as [number, number];
  const [rb, cb] = b.shape.slice(-2) as [number, number];
  const [m, k] = ta ? [ca, ra] : [ra, ca];
  const n = tb ? rb : cb;
  const batch = a.shape.slice(0, -2);
  const out = new Tensor([...batch, m, n]);
  const count = batch.reduce((p, d) => p * d, 1);
  for (let i = 0; i < count; i++) {
    gemm(ta, tb, m, n, k, 1, a.data, i * ra * ca, ca, b.data, i * rb * cb, cb, 0, out.data, i * m * n, n);
  }
  return out;
}

registerGradient('matmul', (g, { inputs: [a, b] }) => {
  // dA = dC·Bᵀ and dB = Aᵀ·dC in the promoted, broadcast shapes; broadcast batches are then summed away
  // and promoted dimensions dropped.
  const x = a!.ndim === 1 ? a!.view([1, a!.shape[0]!]) : a!;
  const y = b!.ndim === 1 ? b!.view([b!.shape[0]!, 1]) : b!;
  const batch = broadcastBatch(x.shape.slice(0, -2), y.shape.slice(0, -2), a!, b!);
  const full = (t: Tensor, rows: number, cols: number) => expand(t, [...batch, rows, cols]);
  const [m, k] = x.shape.slice(-2) as [number, number];
  const n = y.shape.at(-1)!;
  const gm = g.view([...batch, m, n]);
  const ga = product(gm, full(y, k, n), false, true);
  const gb = product(full(x, m, k), gm, true, false);
  return [sumToShape(ga, x.shape).view(a!.shape), sumToShape(gb, y.shape).view(b!.shape)];
});

/** A copy of `t` broadcast to `shape` (batch dimensions only). */
function expand(t: Tensor, shape: number[]): Tensor {
  if (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i])) return t;
  const out = new Tensor(shape);
  const [m, n] = shape.slice(-2) as [number, number];
  const batch = shape.slice(0, -2);
  const own = t.shape.slice(0, -2);
  const count = batch.reduce((p, d) => p * d, 1);
  for (let i = 0; i < count; i++) {
    out.data.set(
      t.data.subarray(batchOffset(i, batch, own) * m * n, (batchOffset(i, batch, own) + 1) * m * n),
      i * m * n,
    );
  }
  return out;
}
