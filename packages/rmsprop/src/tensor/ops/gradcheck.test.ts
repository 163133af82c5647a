// Finite-difference checks of every op's gradient (see gradcheck.ts), on inputs drawn away from the
// kinks of each op.
import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  clamp,
  div,
  exp,
  fromArray,
  Generator,
  gelu,
  leakyRelu,
  log,
  matmul,
  max,
  mean,
  mul,
  neg,
  permute,
  pow,
  relu,
  reshape,
  sigmoid,
  sqrt,
  sub,
  sum,
  tanh,
  transpose,
  where,
  type Tensor,
  concat,
  stack,
  slice,
  indexSelect,
  softmax,
  logSoftmax,
  crossEntropy,
  mseLoss,
  bceWithLogits,
  dropout,
  conv2d,
  maxPool2d,
  avgPool2d,
  linear,
  lstmLayer,
  gruLayer,
  rnnLayer,
  gradcheck,
} from '../index.js';

interface Input {
  shape: number[];
  /** Values are drawn from [lo, hi], away from kinks the test must not straddle. */
  lo?: number;
  hi?: number;
  avoid?: number[];
  /** Distinct values 0.25 apart, so no finite difference changes which element is a maximum. */
  distinct?: boolean;
}

function draw(g: Generator, { shape, lo = -2, hi = 2, avoid = [], distinct = false }: Input): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  if (distinct) {
    const v = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.25);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(g.uniform() * (i + 1));
      [v[i], v[j]] = [v[j]!, v[i]!];
    }
    return v;
  }
  return Array.from({ length: n }, () => {
    let x: number;
    do x = lo + (hi - lo) * g.uniform();
    while (avoid.some((a) => Math.abs(x - a) < 0.05));
    return x;
  });
}

function check(f: (...xs: Tensor[]) => Tensor, inputs: Input[], seed = 1): void {
  const g = new Generator(seed);
  const tensors = inputs.map((i) => fromArray(draw(g, i), i.shape));
  expect(gradcheck(f, tensors, { generator: g })).toBeNull();
}

const m = (...shape: number[]): Input => ({ shape });
const ids = (values: number[], shape: number[]) => fromArray(values, shape, { dtype: 'int32' });
const positive = (...shape: number[]): Input => ({ shape, lo: 0.3, hi: 3 });
const awayFromZero = (...shape: number[]): Input => ({ shape, avoid: [0] });

describe('gradients by finite differences', () => {
  const cases: [string, (...x: Tensor[]) => Tensor, Input[]][] = [
    ['add', add, [m(3, 4), m(3, 4)]],
    ['add, broadcast', add, [m(2, 3, 4), m(4)]],
    ['sub, broadcast both ways', sub, [m(3, 1), m(1, 4)]],
    ['mul, broadcast', mul, [m(2, 3), m(2, 1)]],
    ['div', div, [m(3, 2), positive(3, 2)]],
    ['div, scalar-shaped divisor', div, [m(4), positive()]],
    ['neg', neg, [m(5)]],
    ['exp', exp, [m(2, 3)]],
    ['log', log, [positive(2, 3)]],
    ['sqrt', sqrt, [positive(7)]],
    ['abs', abs, [awayFromZero(6)]],
    ['pow 3', (x) => pow(x, 3), [m(5)]],
    ['pow −0.5', (x) => pow(x, -0.5), [positive(5)]],
    ['clamp', (x) => clamp(x, -0.5, 0.7), [{ shape: [9], avoid: [-0.5, 0.7] }]],
    ['where', (x, y) => where(fromArray([1, 0, 1, 0, 0, 1], [2, 3]), x, y), [m(2, 3), m(3)]],
    ['relu', relu, [awayFromZero(8)]],
    ['leakyRelu', (x) => leakyRelu(x, 0.1), [awayFromZero(8)]],
    ['tanh', tanh, [m(6)]],
    ['sigmoid', sigmoid, [m(6)]],
    ['gelu', gelu, [m(6)]],
    ['sum, all', (x) => sum(x), [m(3, 4)]],
    ['sum, axis 1 keepDims', (x) => sum(x, 1, true), [m(3, 4, 2)]],
    ['sum, axes 0 and −1', (x) => sum(x, [0, -1]), [m(3, 4, 2)]],
    ['mean, axis 0', (x) => mean(x, 0), [m(5, 3)]],
    ['max, axis 1', (x) => max(x, 1), [m(4, 5)]],
    ['matmul 2-D', matmul, [m(3, 4), m(4, 5)]],
    ['matmul batched, broadcast batch', matmul, [m(2, 3, 4), m(4, 2)]],
    ['matmul batch against batch', matmul, [m(2, 1, 3, 2), m(3, 2, 4)]],
    ['matmul vector·matrix', matmul, [m(4), m(4, 3)]],
    ['matmul matrix·vector', matmul, [m(3, 4), m(4)]],
    ['matmul vector·vector', matmul, [m(5), m(5)]],
    ['reshape', (x) => mul(reshape(x, [2, -1]), fromArray([1, 2, 3, 4, 5, 6], [2, 3])), [m(3, 2)]],
    [
      'permute',
      (x) =>
        mul(
          permute(x, [2, 0, 1]),
          fromArray(
            Array.from({ length: 24 }, (_, i) => i),
            [4, 2, 3],
          ),
        ),
      [m(2, 3, 4)],
    ],
    ['transpose', (x) => matmul(transpose(x), x), [m(3, 2)]],
    ['a composition', (x, y) => mean(tanh(add(matmul(x, y), 0.5))), [m(4, 3), m(3, 2)]],
    ['linear', (x, w, b) => linear(x, w, b), [m(2, 3, 4), m(5, 4), m(5)]],
    ['linear without bias', (x, w) => linear(x, w), [m(3, 4), m(2, 4)]],
    ['linear, many rows and few inputs (dwᵀ = xᵀ·g)', (x, w, b) => linear(x, w, b), [m(30, 2), m(7, 2), m(7)]],
    [
      'lstmLayer, hidden 2 (staged tail)',
      (x, wIh, wHh, h0, c0, b) => lstmLayer(x, wIh, b!, wHh, h0, c0),
      [m(3, 2, 5), m(8, 5), m(8, 2), m(2, 2), m(2, 2), m(8)],
    ],
    [
      'lstmLayer, hidden 4, one step, no bias',
      (x, wIh, wHh, h0, c0) => lstmLayer(x, wIh, null, wHh, h0, c0),
      [m(1, 3, 2), m(16, 2), m(16, 4), m(3, 4), m(3, 4)],
    ],
    [
      'gruLayer, hidden 3 (staged tail)',
      (x, wIh, wHh, h0, bIh, bHh) => gruLayer(x, wIh, bIh!, wHh, bHh!, h0),
      [m(3, 2, 4), m(9, 4), m(9, 3), m(2, 3), m(9), m(9)],
    ],
    [
      'gruLayer, hidden 4, one step, no bias',
      (x, wIh, wHh, h0) => gruLayer(x, wIh, null, wHh, null, h0),
      [m(1, 3, 2), m(12, 2), m(12, 4), m(3, 4)],
    ],
    [
      'rnnLayer tanh, hidden 3',
      (x, wIh, wHh, h0, b) => rnnLayer(x, wIh, b!, wHh, h0, 'tanh'),
      [m(3, 2, 4), m(3, 4), m(3, 3), m(2, 3), m(3)],
    ],
    [
      // Seeded away from relu's kink: no pre-activation lies within the finite difference of zero.
      'rnnLayer relu, hidden 5, no bias',
      (x, wIh, wHh, h0) => rnnLayer(x, wIh, null, wHh, h0, 'relu'),
      [m(3, 2, 3), m(5, 3), m(5, 5), m(2, 5)],
    ],
    ['concat', (x, y) => concat([x, y], 1), [m(2, 3), m(2, 2)]],
    ['stack', (x, y) => stack([x, y], -1), [m(2, 3), m(2, 3)]],
    ['slice', (x) => slice(x, 1, 1, -1), [m(2, 5)]],
    ['indexSelect (embedding)', (w) => indexSelect(w, 0, ids([2, 0, 2, 4], [2, 2])), [m(5, 3)]],
    ['softmax', (x) => softmax(x, 1), [m(3, 4)]],
    ['logSoftmax, dim 0', (x) => logSoftmax(x, 0), [m(3, 4)]],
    ['crossEntropy', (x) => crossEntropy(x, ids([1, 0, 3], [3])), [m(3, 4)]],
    [
      'crossEntropy, sum, smoothing, ignored',
      (x) => crossEntropy(x, ids([1, -100, 3], [3]), { reduction: 'sum', labelSmoothing: 0.2 }),
      [m(3, 4)],
    ],
    [
      'crossEntropy, none, sequence',
      (x) => crossEntropy(x, ids([1, 0, 2, 2, 1, 0], [2, 3]), { reduction: 'none' }),
      [m(2, 3, 3)],
    ],
    ['mseLoss', (x, y) => mseLoss(x, y), [m(3, 2), m(3, 2)]],
    [
      'bceWithLogits',
      (x) => bceWithLogits(x, fromArray([1, 0, 1, 1, 0, 0], [2, 3]), { posWeight: fromArray([1, 2, 0.5]) }),
      [m(2, 3)],
    ],
    ['dropout', (x) => dropout(x, 0.4, { generator: new Generator(9) }), [m(4, 5)]],
    ['conv2d', (x, w, b) => conv2d(x, w, b), [m(2, 3, 5, 4), m(4, 3, 3, 2), m(4)]],
    [
      'conv2d stride, padding, dilation',
      (x, w) => conv2d(x, w, null, { stride: [2, 1], padding: 1, dilation: 2 }),
      [m(1, 2, 7, 6), m(3, 2, 2, 3)],
    ],
    [
      'conv2d groups, same',
      (x, w) => conv2d(x, w, null, { groups: 2, padding: 'same' }),
      [m(1, 4, 5, 5), m(6, 2, 2, 3)],
    ],
    ['maxPool2d', (x) => maxPool2d(x, { kernel: 2 }), [{ shape: [1, 2, 5, 4], distinct: true }]],
    [
      'maxPool2d padding, ceil',
      (x) => maxPool2d(x, { kernel: 3, stride: 2, padding: 1, ceilMode: true }),
      [{ shape: [2, 1, 6, 5], distinct: true }],
    ],
    ['avgPool2d', (x) => avgPool2d(x, { kernel: 3, stride: 2, padding: 1, countIncludePad: false }), [m(1, 2, 6, 5)]],
  ];
  it.each(cases)('%s', (_, f, inputs) => check(f, inputs));
});
