// Threads change speed, never results: a seeded training run ends with the same parameters, bit for bit,
// on one thread and on two, and a checkpoint written on two threads resumes on one as if nothing changed.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../io/index.js';
import { getThreads, setThreads, threadsAvailable } from '../kernels/index.js';
import { RMSprop } from '../optim/index.js';
import type { Callback } from './callback.js';
import { trainingCheckpoint } from './checkpoint.js';
import { fit } from './fit.js';
import { parametersOf } from './parameters.js';
import { problems, setupProblem } from './problems/index.js';
import type { TrainingCheckpoint } from './resume.js';

const initial = getThreads();
const dir = mkdtempSync(join(tmpdir(), 'rmsprop-threads-'));
afterAll(() => {
  setThreads(initial);
  rmSync(dir, { recursive: true, force: true });
});

/** Trains mnist_cnn on 512 digits for `epochs` epochs on `threads` threads; the parameters' SHA-256. */
async function trainedDigest(
  threads: number,
  epochs: number,
  o: { callbacks?: Callback[]; resume?: TrainingCheckpoint } = {},
): Promise<string> {
  setThreads(threads);
  const run = await setupProblem(problems.mnist_cnn, { limit: 512, seed: 4 });
  const optimizer = new RMSprop(parametersOf(run.model), { lr: 1e-3, momentum: 0.5 });
  await fit(run.model, optimizer, { ...run, epochs, seed: 4, verbose: 0, ...o });
  const hash = createHash('sha256');
  for (const [name, t] of run.model.namedParameters()) hash.update(name).update(t.data);
  return hash.digest('hex');
}

describe.runIf(threadsAvailable)('training on threads', () => {
  it('a seeded fit of mnist_cnn ends with the same parameter SHA-256 on 1 and 2 threads', async () => {
    expect(await trainedDigest(2, 1)).toBe(await trainedDigest(1, 1));
  });

  it('a checkpoint written within an epoch on 2 threads resumes on 1 thread to the same parameters', async () => {
    const where = join(dir, 'within.safetensors');
    const interrupt: Callback = {
      name: 'interrupt',
      async onStepEnd(ctx) {
        if (ctx.step !== 7) return;
        await saveCheckpoint(where, trainingCheckpoint(ctx));
        ctx.stop('interrupt', 'stopped after step 7');
      },
    };
    await trainedDigest(2, 2, { callbacks: [interrupt] });
    const resumed = await trainedDigest(1, 2, { resume: await loadCheckpoint(where) });
    expect(resumed).toBe(await trainedDigest(1, 2));
  });
});
