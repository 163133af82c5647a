import { describe, expect, it } from 'vitest';
import { heap } from '../kernels/index.js';
import {
  add,
  backward,
  conv2d,
  crossEntropy,
  maxPool2d,
  fromArray,
  lstmLayer,
  gruLayer,
  rnnLayer,
  Generator,
  keep,
  matmul,
  mul,
  noGrad,
  randn,
  relu,
  reshape,
  scope,
  sum,
  Tensor,
  truncatedNormal,
  zeros,
} from './index.js';

describe('Tensor', () => {
  it('views share memory and keep it alive until the last is disposed', () => {
    const t = fromArray([1, 2, 3, 4, 5, 6], [2, 3]);
    const v = t.view([3, -1]);
    expect(v.shape).toEqual([3, 2]);
    t.data[0] = 10;
    expect(v.data[0]).toBe(10);
    t.dispose();
    expect(v.toArray()).toEqual([10, 2, 3, 4, 5, 6]);
    expect(() => t.data).toThrow('Tensor of shape [2, 3]: used after dispose()');
    v.dispose();
  });

  it('int32 tensors hold labels and indices', () => {
    const labels = fromArray([3, 1, 4], [3], { dtype: 'int32' });
    expect(labels.ints).toEqual(Int32Array.of(3, 1, 4));
    expect(() => labels.data).toThrow('Tensor.data: this tensor is int32; use ints');
    expect(fromArray([7], [], { dtype: 'int32' }).item()).toBe(7);
  });

  const bad: [string, () => unknown, string][] = [
    ['a negative dimension', () => zeros([2, -1]), 'Tensor: a shape must be a list of integers ≥ 0, got [2,-1]'],
    ['too few values', () => fromArray([1, 2, 3], [2, 2]), 'fromArray: 3 values cannot fill shape [2, 2] (4 elements)'],
    [
      'a view of another size',
      () => zeros([2, 3]).view([4, 2]),
      'view: cannot view shape [2, 3] (6 elements) as [4, 2]',
    ],
    ['item of many', () => zeros([2]).item(), 'Tensor.item: needs one element, this tensor has shape [2]'],
    [
      'shapes that do not broadcast',
      () => add(zeros([2, 3]), zeros([4])),
      'add: shapes [2, 3] and [4] do not broadcast (size 3 against 4)',
    ],
    [
      'matmul of mismatched sizes',
      () => matmul(zeros([2, 3]), zeros([4, 2])),
      'matmul: shapes [2, 3] and [4, 2] do not match (3 against 4)',
    ],
    ['an axis out of range', () => sum(zeros([2, 3]), 2), 'sum: axis 2 is not valid for shape [2, 3] (or is repeated)'],
    [
      'backward of a big root without a gradient',
      () => backward(mul(zeros([2], { requiresGrad: true }), 2)),
      'backward: a root of shape [2] needs an explicit gradient',
    ],
    ['backward of a constant', () => backward(zeros([1])), 'backward: this tensor does not require a gradient'],
    [
      'lstmLayer with a weight of 6 rows',
      () => lstmLayer(zeros([3, 2, 5]), zeros([6, 5]), null, zeros([6, 2]), zeros([2, 2]), zeros([2, 2])),
      'lstmLayer: weightIh must have 4·hidden rows, got 6',
    ],
    [
      'lstmLayer with a recurrent weight of another size',
      () => lstmLayer(zeros([3, 2, 5]), zeros([8, 5]), null, zeros([8, 3]), zeros([2, 2]), zeros([2, 2])),
      'lstmLayer: weightHh must be [8, 2], got [8, 3]',
    ],
    [
      'lstmLayer with a cell state of another batch',
      () => lstmLayer(zeros([3, 2, 5]), zeros([8, 5]), null, zeros([8, 2]), zeros([2, 2]), zeros([1, 2])),
      'lstmLayer: c0 must be [2, 2], got [1, 2]',
    ],
    [
      'gruLayer with a weight of 7 rows',
      () => gruLayer(zeros([3, 2, 5]), zeros([7, 5]), null, zeros([7, 2]), null, zeros([2, 2])),
      'gruLayer: weightIh must have 3·hidden rows, got 7',
    ],
    [
      'gruLayer with one bias of two',
      () => gruLayer(zeros([3, 2, 5]), zeros([6, 5]), zeros([6]), zeros([6, 2]), null, zeros([2, 2])),
      'gruLayer: give biasIh and biasHh together, or neither',
    ],
    [
      'gruLayer with a recurrent bias of another size',
      () => gruLayer(zeros([3, 2, 5]), zeros([6, 5]), zeros([6]), zeros([6, 2]), zeros([2]), zeros([2, 2])),
      'gruLayer: biasHh must be [6], got [2]',
    ],
    [
      'gruLayer with an initial state of another batch',
      () => gruLayer(zeros([3, 2, 5]), zeros([6, 5]), null, zeros([6, 2]), null, zeros([3, 2])),
      'gruLayer: h0 must be [2, 2], got [3, 2]',
    ],
    [
      'rnnLayer with an input of 2 dimensions',
      () => rnnLayer(zeros([3, 5]), zeros([2, 5]), null, zeros([2, 2]), zeros([3, 2])),
      'rnnLayer: x must be [T, N, features], got [3, 5]',
    ],
    [
      'rnnLayer with an unknown nonlinearity',
      () => rnnLayer(zeros([3, 2, 5]), zeros([2, 5]), null, zeros([2, 2]), zeros([2, 2]), 'sigmoid' as 'tanh'),
      `rnnLayer: nonlinearity must be 'tanh' or 'relu', got "sigmoid"`,
    ],
  ];
  it.each(bad)('refuses %s', (_, make, message) => expect(make).toThrow(message));
});

describe('random', () => {
  it('the same seed gives the same tensor', () => {
    const a = randn([5], { generator: new Generator(42) }).toArray();
    const b = randn([5], { generator: new Generator(42) }).toArray();
    const c = randn([5], { generator: new Generator(43) }).toArray();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('a generator state round-trips mid-sequence', () => {
    const g = new Generator(7);
    g.normal();
    const state = g.getState();
    const next = [g.normal(), g.uniform()];
    const h = new Generator(0);
    h.setState(state);
    expect([h.normal(), h.uniform()]).toEqual(next);
  });

  it('normal draws have the right moments, truncated ones stay within two deviations', () => {
    const x = randn([20000], { generator: new Generator(1), mean: 3, std: 2 }).toArray();
    const mu = x.reduce((a, b) => a + b) / x.length;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - mu) ** 2, 0) / x.length);
    expect(mu).toBeCloseTo(3, 1);
    expect(sd).toBeCloseTo(2, 1);
    expect(
      truncatedNormal([5000], { generator: new Generator(2) })
        .toArray()
        .every((v) => Math.abs(v) <= 2),
    ).toBe(true);
  });
});

describe('autodiff', () => {
  it('accumulates gradients across backward calls until they are zeroed', () => {
    const w = fromArray([1, 2], [2], { requiresGrad: true });
    backward(sum(mul(w, w)));
    sum(mul(w, 3)).backward();
    expect(w.grad!.toArray()).toEqual([5, 7]);
    w.grad!.data.fill(0);
    backward(sum(w));
    expect(w.grad!.toArray()).toEqual([1, 1]);
  });

  it('a tensor used twice gets both contributions, and shared gradients are not aliased', () => {
    const x = fromArray([2], [1], { requiresGrad: true });
    const y = fromArray([5], [1], { requiresGrad: true });
    const s = add(x, y); // the gradient of add is g for both inputs
    backward(add(mul(s, x), y)); // d/dx = s + x = 9, d/dy = x + 1 = 3
    expect(x.grad!.item()).toBe(9);
    expect(y.grad!.item()).toBe(3);
  });

  it('records nothing under noGrad, and detach cuts the graph', () => {
    const w = fromArray([1, 2], [2], { requiresGrad: true });
    expect(noGrad(() => mul(w, 2)).requiresGrad).toBe(false);
    const d = mul(w, 2).detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.node).toBeNull();
  });
});

describe('memory', () => {
  it('a scope frees what it made except what it returns', () => {
    const before = heap!.inUse;
    const kept = scope(() => {
      const a = randn([100]);
      const b = relu(a);
      return { b, list: [mul(b, 2)] };
    });
    expect(heap!.inUse - before).toBe(2 * 448); // two tensors of 400 bytes, rounded to cache lines
    kept.b.dispose();
    kept.list[0]!.dispose();
    expect(heap!.inUse).toBe(before);
  });

  it('1,000 forward/backward steps of a small CNN do not grow the memory in use', () => {
    const g = new Generator(3);
    const conv = keep(randn([3, 1, 3, 3], { generator: g, std: 0.3, requiresGrad: true }));
    const bias = keep(zeros([3], { requiresGrad: true }));
    const dense = keep(randn([27, 4], { generator: g, std: 0.2, requiresGrad: true }));
    const x = keep(randn([6, 1, 8, 8], { generator: g }));
    const labels = keep(fromArray([0, 1, 2, 3, 1, 0], [6], { dtype: 'int32' }));
    const params = [conv, bias, dense];
    const step = () =>
      scope(() => {
        const h = maxPool2d(relu(conv2d(x, conv, bias)), { kernel: 2 });
        const loss = crossEntropy(matmul(reshape(h, [6, 27]), dense), labels);
        backward(loss);
        noGrad(() => {
          for (const w of params) {
            const d = w.data;
            const gd = w.grad!.data;
            for (let i = 0; i < d.length; i++) d[i]! -= 0.1 * gd[i]!;
            gd.fill(0);
          }
        });
        return loss.item();
      });
    const first = step();
    for (let i = 0; i < 9; i++) step();
    const at10 = heap!.inUse;
    let last = first;
    for (let i = 0; i < 990; i++) last = step();
    expect(heap!.inUse).toBe(at10);
    expect(last).toBeLessThan(first / 2);
  });

  it('an error inside a scope frees what the scope made', () => {
    const before = heap!.inUse;
    expect(() =>
      scope(() => {
        randn([50]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(heap!.inUse).toBe(before);
  });

  it('reshape records a gradient without copying', () => {
    const w = fromArray([1, 2, 3, 4], [2, 2], { requiresGrad: true });
    const r = reshape(w, [4]);
    expect(r.ptr).toBe(w.ptr);
    backward(sum(mul(r, fromArray([1, 2, 3, 4]))));
    expect(w.grad!.toArray()).toEqual([1, 2, 3, 4]);
    expect(new Tensor([0]).size).toBe(0);
  });
});
