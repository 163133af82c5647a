import { describe, expect, it } from 'vitest';
import { heap } from '../kernels/index.js';
import {
  backward,
  fromArray,
  Generator,
  keep,
  mul,
  noGrad,
  randn,
  scope,
  sum,
  zeros,
  type Tensor,
} from '../tensor/index.js';
import {
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Embedding,
  Flatten,
  GRU,
  init,
  Linear,
  LSTM,
  AvgPool2d,
  Module,
  ReLU,
  Tanh,
  RNN,
  Sequential,
} from './index.js';

/**
 * Finite differences through a module: the gradient of Σ w·module(x) with respect to x and to every
 * parameter, perturbing the module's own parameters in place (the loss summed in float64).
 */
function checkModule(
  m: Module,
  x: Tensor,
  run: (m: Module, x: Tensor) => Tensor = (mod, input) => mod.forward(input),
): void {
  scope(() => {
    const g = new Generator(11);
    const leaf = fromArray(x.toArray(), x.shape, { requiresGrad: true });
    const out = run(m, leaf);
    const w = Array.from({ length: out.size }, () => g.uniform() * 2 - 1);
    backward(out, fromArray(w, out.shape));
    const targets: [string, Tensor, number[]][] = [
      ['x', leaf, leaf.grad!.toArray()],
      ...m.namedParameters().map(([n, p]): [string, Tensor, number[]] => [n, p, p.grad!.toArray()]),
    ];
    const loss = () =>
      scope(() =>
        noGrad(() =>
          run(m, leaf)
            .toArray()
            .reduce((s, v, j) => s + w[j]! * v, 0),
        ),
      );
    for (const [name, t, analytic] of targets) {
      for (let j = 0; j < t.size; j++) {
        const x0 = t.data[j]!;
        const h = 1e-2 * Math.max(1, Math.abs(x0));
        t.data[j] = x0 + h;
        const up = loss();
        t.data[j] = x0 - h;
        const down = loss();
        t.data[j] = x0;
        const numeric = (up - down) / (2 * h);
        expect(
          Math.abs(analytic[j]! - numeric),
          `${name}[${j}]: analytic ${analytic[j]}, numeric ${numeric}`,
        ).toBeLessThanOrEqual(3e-3 + 3e-2 * Math.abs(numeric));
      }
    }
  });
}

const input = (...shape: number[]) => randn(shape, { generator: new Generator(shape.length * 7 + shape[0]!) });

describe('layer gradients by finite differences', () => {
  it('Linear', () => checkModule(new Linear(4, 3), input(2, 4)));
  it('Conv2d with stride, padding and groups', () =>
    checkModule(new Conv2d(4, 2, [3, 2], { stride: 2, padding: 1, groups: 2 }), input(1, 4, 5, 4)));
  it('BatchNorm1d in training mode', () => checkModule(new BatchNorm1d(3), input(4, 3)));
  it('BatchNorm2d in evaluation mode', () => checkModule(new BatchNorm2d(2).eval(), input(2, 2, 3, 3)));
  it('RNN, two layers', () => checkModule(new RNN(3, 4, { layers: 2 }), input(2, 3, 3)));
  it('LSTM, sequence first', () => checkModule(new LSTM(3, 2, { batchFirst: false }), input(4, 2, 3)));
  it('GRU with an initial state', () => {
    const h0 = input(1, 2, 3);
    checkModule(new GRU(2, 3), input(2, 3, 2), (m, x) => (m as GRU).run(x, h0).output);
  });
  // Smooth layers only: a finite difference across a ReLU or max-pool kink is meaningless (those ops are
  // checked on inputs kept away from their kinks in the tensor tests).
  it('a small CNN in Sequential', () =>
    checkModule(
      new Sequential(new Conv2d(1, 2, 3), new Tanh(), new AvgPool2d({ kernel: 2 }), new Flatten(), new Linear(2, 3)),
      input(2, 1, 4, 4),
    ));
});

describe('names, state and modes', () => {
  it('parameter names follow PyTorch', () => {
    const model = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2, { bias: false }));
    expect(model.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight']);
    expect(new LSTM(3, 5, { layers: 2 }).namedParameters().map(([n, t]) => `${n} ${t.shape.join('x')}`)).toEqual([
      'weight_ih_l0 20x3',
      'weight_hh_l0 20x5',
      'bias_ih_l0 20',
      'bias_hh_l0 20',
      'weight_ih_l1 20x5',
      'weight_hh_l1 20x5',
      'bias_ih_l1 20',
      'bias_hh_l1 20',
    ]);
    expect(Object.keys(new BatchNorm2d(3).stateDict())).toEqual([
      'weight',
      'bias',
      'running_mean',
      'running_var',
      'num_batches_tracked',
    ]);
  });

  it('stateDict round-trips and loadStateDict refuses mismatches before writing', () => {
    const a = new Sequential(new Linear(3, 2));
    const b = new Sequential(new Linear(3, 2));
    b.loadStateDict(a.stateDict());
    expect(b.stateDict()).toEqual(a.stateDict());
    const before = b.stateDict();
    expect(() => b.loadStateDict({ '0.weight': new Float32Array(6) })).toThrow('loadStateDict: missing 0.bias');
    expect(() => b.loadStateDict({ ...a.stateDict(), extra: [1] })).toThrow('loadStateDict: unexpected extra');
    expect(() => b.loadStateDict({ ...a.stateDict(), '0.bias': [1, 2, 3] })).toThrow(
      "loadStateDict: '0.bias' has 3 values, the module's [2] needs 2",
    );
    expect(b.stateDict()).toEqual(before);
  });

  it('eval turns dropout off and BatchNorm to its running statistics', () => {
    const model = new Sequential(new Dropout(0.5, new Generator(1)), new BatchNorm1d(2));
    const x = fromArray([1, 2, 3, 4, 5, 6], [3, 2]);
    model.eval();
    const y = model.forward(x).toArray();
    // Running mean 0, variance 1: the identity up to ε.
    y.forEach((v, i) => expect(v).toBeCloseTo(x.toArray()[i]! / Math.sqrt(1 + 1e-5), 5));
    model.train();
    expect(model.forward(x).toArray()).not.toEqual(y);
  });

  it('BatchNorm updates its running statistics with the unbiased variance', () => {
    const bn = new BatchNorm1d(1, { momentum: 0.5 });
    bn.forward(fromArray([1, 3], [2, 1]));
    expect(bn.runningMean.item()).toBeCloseTo(1, 6); // 0.5·0 + 0.5·2
    expect(bn.runningVar.item()).toBeCloseTo(1.5, 6); // 0.5·1 + 0.5·2 (unbiased variance of 1, 3)
  });

  it('Embedding starts the padding row at zero and gives it no gradient', () => {
    const e = new Embedding(5, 3, 1);
    expect(e.weight.toArray().slice(3, 6)).toEqual([0, 0, 0]);
    backward(e.forward(fromArray([1, 2, 1], [3], { dtype: 'int32' })), fromArray(Array(9).fill(1), [3, 3]));
    expect(e.weight.grad!.toArray().slice(3, 6)).toEqual([0, 0, 0]);
    expect(e.weight.grad!.toArray().slice(6, 9)).toEqual([1, 1, 1]);
  });

  const bad: [string, () => unknown, string][] = [
    [
      'a Conv2d group count that does not divide',
      () => new Conv2d(3, 4, 3, { groups: 2 }),
      'Conv2d: groups must divide both 3 and 4, got 2',
    ],
    [
      'a recurrent input of the wrong width',
      () => new LSTM(3, 2).forward(zeros([1, 4, 5])),
      'LSTM: input must be 3-D with 3 features last, got [1, 4, 5]',
    ],
    [
      'a wrong initial state',
      () => new GRU(2, 3).run(zeros([1, 4, 2]), zeros([2, 1, 3])),
      'GRU: h0 must be [1, 1, 3], got [2, 1, 3]',
    ],
    [
      'an RNN activation other than tanh or relu',
      () => new RNN(2, 3, { nonlinearity: 'gelu' as 'relu' }),
      `RNN: nonlinearity must be 'tanh' or 'relu', got "gelu"`,
    ],
    [
      'BatchNorm channels',
      () => new BatchNorm2d(3).forward(zeros([1, 2, 4, 4])),
      'BatchNorm2d: input must be 4-D with 3 channels in dim 1, got [1, 2, 4, 4]',
    ],
    ['a dropout probability of 1', () => new Dropout(1), 'Dropout: p must be in [0, 1), got 1'],
    [
      'a padding index out of range',
      () => new Embedding(4, 2, 4),
      'Embedding: paddingIdx must be an index below 4, got 4',
    ],
  ];
  it.each(bad)('refuses %s', (_, make, message) => expect(make).toThrow(message));
});

describe('initializers', () => {
  it('orthogonal gives orthonormal rows (or columns) times the gain', () => {
    for (const shape of [
      [3, 5],
      [5, 3],
    ]) {
      const t = init.orthogonal(zeros(shape), 2, new Generator(4));
      const [r, c] = shape as [number, number];
      const d = t.toArray();
      const small = Math.min(r, c);
      for (let i = 0; i < small; i++) {
        for (let j = 0; j < small; j++) {
          let dot = 0;
          for (let k = 0; k < Math.max(r, c); k++)
            dot += r < c ? d[i * c + k]! * d[j * c + k]! : d[k * c + i]! * d[k * c + j]!;
          expect(dot).toBeCloseTo(i === j ? 4 : 0, 4);
        }
      }
    }
  });

  it('Xavier and Kaiming draw within their bounds', () => {
    const x = init.xavierUniform(zeros([20, 30]), 1, new Generator(1)).toArray();
    expect(Math.max(...x.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 50));
    const k = init.kaimingUniform(zeros([20, 30]), {}, new Generator(2)).toArray();
    expect(Math.max(...k.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(2) * Math.sqrt(3 / 30));
    expect(() => init.xavierUniform(zeros([5]))).toThrow('init: fans need a tensor of at least 2 dimensions, got [5]');
  });
});

describe('recurrent memory', () => {
  it('LSTM training steps and no-grad forwards leave the memory in use as it was', () => {
    const model = new LSTM(3, 5, { layers: 2 });
    const x = keep(randn([4, 6, 3], { generator: new Generator(8) }));
    const step = () =>
      scope(() => {
        model.zeroGrad();
        backward(sum(mul(model.run(x).h, model.run(x).h)));
        noGrad(() => model.forward(x));
      });
    for (let i = 0; i < 10; i++) step();
    const at10 = heap!.inUse;
    for (let i = 0; i < 200; i++) step();
    expect(heap!.inUse).toBe(at10);
  });
});
