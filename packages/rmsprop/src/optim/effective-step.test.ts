// `effectiveStep`: the per-element step size each optimizer applies with its state as it is, read by name.
import { describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  ChainOptimizer,
  createOptimizer,
  RMSprop,
  SGD,
  scaleByLearningRate,
  type Optimizer,
} from './index.js';

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

/**
 * Takes `steps` steps on a 2-element parameter with fixed pseudo-random gradients and checks, after each,
 * that the parameter moved by −effectiveStep·u, u being what the effective step multiplies (the
 * gradient, or Adam's bias-corrected mean).
 */
function checkEffectiveStep(
  kind: 'rmsprop' | 'adam' | 'sgd' | 'adagrad',
  options: Record<string, number | boolean>,
  steps = 20,
): void {
  const p = Float32Array.of(0.5, -1);
  const opt = createOptimizer(kind, { xy: p }, options);
  for (let t = 1; t <= steps; t++) {
    const g = Float32Array.of(Math.sin(t) * 3, Math.cos(3 * t) * 0.01);
    const before = Float64Array.from(p);
    opt.step({ xy: g });
    const effective = opt.effectiveStep('xy');
    const beta1 = (options.beta1 as number | undefined) ?? 0.9;
    const u =
      kind === 'adam'
        ? Array.from(opt.stateDict().state.xy!.buffers.expAvg!, (m) => m / (1 - beta1 ** t))
        : Array.from(g);
    for (let i = 0; i < 2; i++) expect(p[i]! - before[i]!).toBeCloseTo(-effective[i]! * u[i]!, 6);
  }
}

describe('effectiveStep is the step the optimizer took', () => {
  it.each([
    ['rmsprop', {}],
    ['rmsprop', { epsInSqrt: true, eps: 1e-3 }],
    ['rmsprop', { centered: true, decay: 0.8 }],
    ['rmsprop', { initialAccumulator: 1, epsInSqrt: true }],
    ['rmsprop', { biasCorrection: true }],
    ['adam', { lr: 0.01 }],
    ['adam', { amsgrad: true, beta2: 0.9 }],
    ['adam', { epsHat: true, lr: 0.01 }],
    ['sgd', { lr: 0.1 }],
    ['adagrad', { lr: 0.3 }],
    ['adagrad', { epsInSqrt: true, eps: 0.01, initialAccumulator: 0.1 }],
    ['adagrad', { lr: 0.3, lrDecay: 0.1 }],
  ] as const)('by %s %j', (kind, options) => checkEffectiveStep(kind, options));
});
