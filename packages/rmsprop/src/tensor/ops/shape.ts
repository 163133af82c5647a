import { record, registerGradient, type GradientFn } from '../tape.js';
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
  // Trailing dimensions that stay in place move as contiguous blocks, one copy each.
  let moved = n;
  while (moved > 0 && order[moved - 1] === moved - 1) moved--;
  const block = shape.slice(moved).reduce((a, b) => a * b, 1);
  const index = new Array<number>(moved).fill(0);
  let src = 0;
  for (let i = 0; i < out.size; i += block) {
    if (block === 1) o[i] = x[src]!;
    else o.set(x.subarray(src, src + block), i);
    for (let d = moved - 1; d >= 0; d--) {
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

function axis(op: string, t: { ndim: number; shape: Shape }, dim: number, extra = 0): number {
  const n = t.ndim + extra;
  const d = dim < 0 ? dim + n : dim;
  if (!Number.isInteger(d) || d < 0 || d >= n)
    throw new RangeError(`${op}: dim ${dim} is not valid for shape [${t.shape.join(', ')}]`);
  return d;
}

/** Copies blocks between tensors viewed as [outer, size along dim, inner]. */
function copyBlocks(
  src: Float32Array,
  dst: Float32Array,
  outer: number,
  inner: number,
  srcDim: number,
  dstDim: number,
  count: number,
  srcStart: number,
  dstStart: number,
): void {
  for (let o = 0; o < outer; o++) {
    const from = (o * srcDim + srcStart) * inner;
    dst.set(src.subarray(from, from + count * inner), (o * dstDim + dstStart) * inner);
  }
}

const outerOf = (shape: Shape, d: number): number => shape.slice(0, d).reduce((a, b) => a * b, 1);
const innerOf = (shape: Shape, d: number): number => shape.slice(d + 1).reduce((a, b) => a * b, 1);

/** Joins tensors along an existing dimension; all other dimensions must agree. */
export function concat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RangeError('concat: needs at least one tensor');
  const first = tensors[0]!;
  const d = axis('concat', first, dim);
  for (const t of tensors) {
    if (t.ndim !== first.ndim || t.shape.some((s, i) => i !== d && s !== first.shape[i])) {
      throw new RangeError(
        `concat: shapes [${first.shape.join(', ')}] and [${t.shape.join(', ')}] differ outside dim ${dim}`,
      );
    }
  }
  const total = tensors.reduce((a, t) => a + t.shape[d]!, 0);
  const shape = first.shape.map((s, i) => (i === d ? total : s));
  const out = new Tensor(shape);
  const [outer, inner] = [outerOf(shape, d), innerOf(shape, d)];
  let at = 0;
  const starts: number[] = [];
  for (const t of tensors) {
    starts.push(at);
    copyBlocks(t.data, out.data, outer, inner, t.shape[d]!, total, t.shape[d]!, 0, at);
    at += t.shape[d]!;
  }
  return record(out, 'concat', tensors, { dim: d, starts });
}
registerGradient('concat', (g, { inputs, saved }) => {
  const { dim, starts } = saved as { dim: number; starts: number[] };
  return inputs.map((t, i) => narrowCopy(g, dim, starts[i]!, t.shape[dim]!));
});

/** Joins tensors of equal shape along a new dimension. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RangeError('stack: needs at least one tensor');
  const d = axis('stack', tensors[0]!, dim, 1);
  const shape = [...tensors[0]!.shape];
  for (const t of tensors) {
    if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
      throw new RangeError(`stack: shapes [${shape.join(', ')}] and [${t.shape.join(', ')}] differ`);
    }
  }
  const expanded = [...shape.slice(0, d), 1, ...shape.slice(d)];
  return concat(
    tensors.map((t) => reshape(t, expanded)),
    d,
  );
}

function narrowCopy(t: Tensor, d: number, start: number, length: number): Tensor {
  const shape = t.shape.map((s, i) => (i === d ? length : s));
  const out = new Tensor(shape);
  copyBlocks(t.data, out.data, outerOf(shape, d), innerOf(shape, d), t.shape[d]!, length, length, start, 0);
  return out;
}

/** Elements start ≤ i < end along `dim` (negative indices count from the end, as in Python). */
export function slice(t: Tensor, dim: number, start: number, end = Infinity): Tensor {
  const d = axis('slice', t, dim);
  const n = t.shape[d]!;
  const clampIndex = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
  const [s, e] = [clampIndex(start), clampIndex(end)];
  if (!Number.isInteger(s) || !Number.isInteger(e))
    throw new RangeError(`slice: start and end must be integers, got ${start} and ${end}`);
  const out = narrowCopy(t, d, s, Math.max(e - s, 0));
  return record(out, 'slice', [t], { dim: d, start: s });
}
registerGradient('slice', (g, { inputs: [x], saved }) => {
  const { dim, start } = saved as { dim: number; start: number };
  const out = new Tensor(x!.shape);
  out.data.fill(0);
  copyBlocks(
    g.data,
    out.data,
    outerOf(x!.shape, dim),
    innerOf(x!.shape, dim),
    g.shape[dim]!,
    x!.shape[dim]!,
    g.shape[dim]!,
    0,
    start,
  );
  return [out];
});

/** Rows of `t` along `dim` picked by an int32 tensor of indices. */
export function indexSelect(t: Tensor, dim: number, indices: Tensor): Tensor {
  return select('indexSelect', t, dim, indices, null);
}

/**
 * Embedding lookup: rows of `weight` [num, dim] for int32 `indices` of any shape; the row `paddingIdx`
 * (negative counts from the end) gets no gradient (PyTorch's `embedding`).
 */
export function embedding(indices: Tensor, weight: Tensor, paddingIdx: number | null = null): Tensor {
  if (weight.ndim !== 2) throw new RangeError(`embedding: weight must be [num, dim], got [${weight.shape.join(', ')}]`);
  const num = weight.shape[0]!;
  if (paddingIdx !== null && !(Number.isInteger(paddingIdx) && paddingIdx >= -num && paddingIdx < num))
    throw new RangeError(`embedding: paddingIdx must be an integer in [${-num}, ${num}), got ${paddingIdx}`);
  return select('embedding', weight, 0, indices, paddingIdx !== null && paddingIdx < 0 ? paddingIdx + num : paddingIdx);
}

function select(op: string, t: Tensor, dim: number, indices: Tensor, skip: number | null): Tensor {
  const d = axis(op, t, dim);
  if (indices.dtype !== 'int32') throw new TypeError(`${op}: indices must be int32, got ${indices.dtype}`);
  const n = t.shape[d]!;
  const bad = indices.ints.findIndex((i) => i < 0 || i >= n);
  if (bad >= 0) {
    throw new RangeError(
      `${op}: index ${indices.ints[bad]} at position ${bad} is out of range for size ${n} of dim ${dim}`,
    );
  }
  // Allocate before taking views: a growth of the memory would detach them.
  const out = new Tensor([...t.shape.slice(0, d), ...indices.shape, ...t.shape.slice(d + 1)]);
  const [ids, x, o] = [Int32Array.from(indices.ints), t.data, out.data];
  const [outer, inner] = [outerOf(t.shape, d), innerOf(t.shape, d)];
  for (let b = 0; b < outer; b++) {
    for (let k = 0; k < ids.length; k++) {
      const from = (b * n + ids[k]!) * inner;
      o.set(x.subarray(from, from + inner), (b * ids.length + k) * inner);
    }
  }
  return record(out, op, [t], { dim: d, ids, skip });
}
const selectGradient: GradientFn = (g, { inputs: [x], saved }) => {
  const { dim, ids, skip } = saved as { dim: number; ids: Int32Array; skip: number | null };
  const out = new Tensor(x!.shape);
  const [o, gd] = [out.data, g.data];
  o.fill(0);
  const n = x!.shape[dim]!;
  const [outer, inner] = [outerOf(x!.shape, dim), innerOf(x!.shape, dim)];
  for (let b = 0; b < outer; b++) {
    for (let k = 0; k < ids.length; k++) {
      if (ids[k] === skip) continue;
      const to = (b * n + ids[k]!) * inner;
      const from = (b * ids.length + k) * inner;
      for (let j = 0; j < inner; j++) o[to + j]! += gd[from + j]!;
    }
  }
  return [out];
};
registerGradient('indexSelect', selectGradient);
registerGradient('embedding', selectGradient);
