// `effectiveStep`: the per-element step size each optimizer applies with its state as it is, read by name.
import { describe, expect, it } from 'vitest';
import { Adadelta, Adagrad, Adam, ChainOptimizer, RMSprop, SGD, scaleByLearningRate, type Optimizer } from './index.js';

const params = () => ({ w: Float32Array.of(0.5, -1, 2, 3) });
const grads = (t: number) => ({ w: Float32Array.of(0.3 * t, -0.2, 1e-3, 10) });

function run(opt: Optimizer, steps: number): Record<string, number[]> {
  for (let t = 1; t <= steps; t++) opt.step(grads(t));
  return Object.fromEntries(
    Object.entries(opt.stateDict().state.w!.buffers).map(([k, v]) => [k, Array.from(v as ArrayLike<number>)]),
  );
}
const close = (actual: Float32Array, expected: number[]) =>
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 5 - Math.round(Math.log10(Math.abs(e)))));

describe('effectiveStep', () => {
  it('RMSprop: lr/(√v + ε), with ε inside the root, and √(v − ḡ²) when centered', () => {
    const plain = new RMSprop(params(), { lr: 0.01 });
    const { squareAvg: v } = run(plain, 3);
    close(
      plain.effectiveStep('w'),
      v!.map((x) => 0.01 / (Math.sqrt(x) + 1e-8)),
    );
    const centered = new RMSprop(params(), { lr: 0.01, centered: true, epsInSqrt: true, eps: 1e-4 });
    const s = run(centered, 3);
    close(
      centered.effectiveStep('w'),
      s.squareAvg!.map((x, i) => 0.01 / Math.sqrt(Math.max(x - s.gradAvg![i]! ** 2, 0) + 1e-4)),
    );
  });

  it("Adam: the factor on the bias-corrected mean, lr/(√v̂ + ε); Adagrad's and Adadelta's; SGD's lr", () => {
    const adam = new Adam(params(), { lr: 0.01 });
    const { expAvgSq } = run(adam, 2);
    close(
      adam.effectiveStep('w'),
      expAvgSq!.map((x) => 0.01 / (Math.sqrt(x / (1 - 0.999 ** 2)) + 1e-8)),
    );
    const adagrad = new Adagrad(params(), { lr: 0.1 });
    const { sum } = run(adagrad, 2);
    close(
      adagrad.effectiveStep('w'),
      sum!.map((x) => 0.1 / (Math.sqrt(x) + 1e-10)),
    );
    const adadelta = new Adadelta(params(), { lr: 1 });
    const d = run(adadelta, 2);
    close(
      adadelta.effectiveStep('w'),
      d.squareAvg!.map((x, i) => Math.sqrt(d.accDelta![i]! + 1e-6) / Math.sqrt(x + 1e-6)),
    );
    const sgd = new SGD(params(), { lr: 0.2, momentum: 0.9 });
    run(sgd, 1);
    expect(Array.from(sgd.effectiveStep('w'))).toEqual(new Array(4).fill(Math.fround(0.2)));
  });

  it("gives the state's starting value before the first step, and refuses an unknown name or a chain", () => {
    const tf1 = new RMSprop(params(), { lr: 0.01, initialAccumulator: 1 });
    close(tf1.effectiveStep('w'), new Array(4).fill(0.01 / (1 + 1e-8)));
    expect(() => tf1.effectiveStep('v')).toThrow("RMSprop.effectiveStep: no parameter named 'v'");
    expect(() => new ChainOptimizer(params(), scaleByLearningRate(1)).effectiveStep('w')).toThrow(
      'ChainOptimizer.effectiveStep: not defined for this optimizer',
    );
  });
});
