// Threads change speed, never results: a seeded training run ends with the same parameters, bit for bit,
// on one thread and on two.
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { getThreads, setThreads, threadsAvailable } from '../kernels/index.js';
import { RMSprop } from '../optim/index.js';
import { fit } from './fit.js';
import { parametersOf } from './parameters.js';
import { problems, setupProblem } from './problems/index.js';

const initial = getThreads();
afterAll(() => setThreads(initial));

async function trainedDigest(threads: number): Promise<string> {
  setThreads(threads);
  const run = await setupProblem(problems.mnist_cnn, { limit: 512, seed: 4 });
  await fit(run.model, new RMSprop(parametersOf(run.model), { lr: 1e-3 }), { ...run, epochs: 1, seed: 4, verbose: 0 });
  const hash = createHash('sha256');
  for (const [name, t] of run.model.namedParameters()) hash.update(name).update(t.data);
  return hash.digest('hex');
}

describe.runIf(threadsAvailable)('training on threads', () => {
  it('a seeded fit of mnist_cnn ends with the same parameter SHA-256 on 1 and 2 threads', async () => {
    expect(await trainedDigest(2)).toBe(await trainedDigest(1));
  });
});
