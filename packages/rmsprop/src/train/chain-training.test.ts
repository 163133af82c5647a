// A user's chain, with a transform of the user's own, trains a reference problem as the preset it spells out.
import { describe, expect, it } from 'vitest';
import { chain, ChainOptimizer, RMSprop, scaleByLearningRate, scaleByRms } from '../optim/index.js';
import { heavyBall } from '../optim/test-support.js';
import { fit } from './fit.js';
import { parametersOf } from './parameters.js';
import { problems, setupProblem } from './problems/index.js';

describe('ChainOptimizer in fit', () => {
  it('trains mnist_logreg with a user-written transform in its chain to the accuracy of the equivalent preset', async () => {
    const accuracy = async (make: (params: ReturnType<typeof parametersOf>) => RMSprop | ChainOptimizer) => {
      const run = await setupProblem(problems.mnist_logreg, { seed: 3 });
      const history = await fit(run.model, make(parametersOf(run.model)), { ...run, epochs: 3, verbose: 0 });
      return history.epochs.at(-1)!.testAccuracy!;
    };
    // RMSprop with PyTorch's momentum (the buffer holds g/√v, lr applied after), spelled with the user's buffer.
    const user = await accuracy(
      (p) => new ChainOptimizer(p, chain(scaleByRms(), heavyBall(0.5), scaleByLearningRate(1e-3))),
    );
    const reference = await accuracy((p) => new RMSprop(p, { lr: 1e-3, momentum: 0.5, backend: 'js' }));
    const fused = await accuracy((p) => new RMSprop(p, { lr: 1e-3, momentum: 0.5 }));
    expect(user).toBeGreaterThan(0.85);
    expect(user).toBe(reference);
    expect(Math.abs(user - fused)).toBeLessThanOrEqual(0.005);
  }, 60_000);
});
