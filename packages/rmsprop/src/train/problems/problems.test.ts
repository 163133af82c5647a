import { describe, expect, it } from 'vitest';
import { RMSprop } from '../../optim/index.js';
import { noGrad, scope } from '../../tensor/index.js';
import { evaluate } from '../evaluate.js';
import { fit } from '../fit.js';
import { nanGuard } from '../nan-guard.js';
import { parametersOf } from '../parameters.js';
import { fmnist2c2d, problems, setupProblem, textLstm, type ProblemName } from './index.js';

// Each problem on a small slice: [examples, batch size, epochs, learning rate, output shape of one example].
const slices: Record<ProblemName, [number, number, number, number, number[]]> = {
  quadratic_deep: [128, 32, 2, 1e-2, []],
  mnist_logreg: [128, 32, 2, 1e-2, [10]],
  mnist_cnn: [128, 32, 2, 3e-3, [10]],
  fmnist_mlp: [128, 32, 2, 1e-3, [10]],
  fmnist_2c2d: [64, 32, 2, 1e-3, [10]],
  fmnist_lstm: [64, 32, 3, 3e-3, [10]],
  fmnist_gru: [64, 32, 3, 3e-3, [10]],
  text_lstm: [32, 16, 2, 3e-3, [50, 51]],
  adding: [32, 16, 2, 3e-3, [1]],
};

describe('reference problems', () => {
  it.each(Object.entries(slices))(
    '%s builds, and RMSprop brings its loss down on a small slice',
    async (name, [limit, batchSize, epochs, lr, outShape]) => {
      const problem = problems[name as ProblemName];
      expect(problem.name).toBe(name);
      const run = await setupProblem(problem, { limit, batchSize, seed: 1 });
      expect(run.data.train.length).toBe(limit);
      expect(run.data.test.length).toBeLessThanOrEqual(limit);
      scope(() =>
        noGrad(() => {
          const b = run.data.train.batch([0, 1]);
          expect(run.model.forward(b.x).shape).toEqual([2, ...outShape]);
        }),
      );
      const before = evaluate(run.model, run.train, run);
      const history = await fit(run.model, new RMSprop(parametersOf(run.model), { lr }), {
        ...run,
        epochs,
        callbacks: [nanGuard({ throws: true })],
        verbose: 0,
      });
      const after = evaluate(run.model, run.train, run);
      expect(history.losses).toHaveLength(epochs * Math.ceil(limit / batchSize));
      expect(after.loss).toBeLessThan(0.9 * before.loss);
      if (problem.metric) expect(history.epochs.at(-1)!.testAccuracy).toBeGreaterThanOrEqual(0);
    },
    20_000,
  );

  it('quadratic_deep has a symmetric Hessian with DeepOBS spectrum, and θ starting at 1', async () => {
    const run = await setupProblem(problems.quadratic_deep, { limit: 1 });
    const [theta] = run.model.parameters();
    expect(Array.from(theta!.data)).toEqual(new Array(100).fill(1));
    // At x = 0 the loss is ½·1ᵀH1; the trace of H is the sum of its eigenvalues: 90 in [0, 1) and 10 in [30, 60).
    const h = (run.model as unknown as { hessian: { data: Float32Array } }).hessian.data;
    let trace = 0;
    for (let i = 0; i < 100; i++) {
      trace += h[i * 101]!;
      for (let j = 0; j < i; j++) expect(h[i * 100 + j]).toBe(h[j * 100 + i]);
    }
    expect(trace).toBeGreaterThan(300);
    expect(trace).toBeLessThan(690);
    expect(problems.quadratic_deep.batchSize).toBe(128);
  });

  it('text_lstm learns any text, and every problem refuses a bad limit', async () => {
    const problem = textLstm({ text: 'abcabcabcabc'.repeat(20), seqLength: 10, hidden: 16, layers: 1 });
    const run = await setupProblem(problem, { batchSize: 8, seed: 0 });
    expect(run.data.train.xShape).toEqual([10, 3]);
    const before = evaluate(run.model, run.train, run);
    await fit(run.model, new RMSprop(parametersOf(run.model), { lr: 1e-2 }), { ...run, epochs: 5, verbose: 0 });
    const after = evaluate(run.model, run.train, run);
    expect(after.loss).toBeLessThan(before.loss / 2);
    expect(after.accuracy).toBeGreaterThan(0.9);
    for (const p of Object.values(problems)) {
      await expect(p.data({ limit: 0 })).rejects.toThrow(`${p.name}: limit must be an integer ≥ 1, got 0`);
    }
  });

  it("fmnist_2c2d draws PyTorch's initialisation by default, DeepOBS's on request, and refuses others", () => {
    const biases = (init?: 'pytorch' | 'deepobs') =>
      fmnist2c2d(init ? { init } : {})
        .model({ train: null!, test: null! })
        .namedParameters()
        .filter(([name]) => name.endsWith('bias'))
        .flatMap(([, t]) => Array.from(t.data));
    expect(new Set(biases('deepobs'))).toEqual(new Set([Math.fround(0.05)]));
    expect(new Set(biases()).size).toBeGreaterThan(1000);
    expect(() => fmnist2c2d({ init: 'xavier' as 'deepobs' })).toThrow(
      `fmnist_2c2d: init must be 'pytorch' or 'deepobs', got "xavier"`,
    );
  });
});
