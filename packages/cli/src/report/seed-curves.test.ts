import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRuns } from './runs.js';
import { seedCurves } from './seed-curves.js';
import { logLines, tempDir, writeRun } from './test-support.js';

describe('seedCurves', () => {
  const root = tempDir();
  writeRun(join(root, 'a1'), { optimizer: 'a', seed: 1 }, logLines({ losses: [4, 3, 2, 1], stepsPerEpoch: 1 }));
  writeRun(join(root, 'a2'), { optimizer: 'a', seed: 2 }, logLines({ losses: [6, 5, NaN], stepsPerEpoch: 1 }));
  writeRun(join(root, 'b1'), { optimizer: 'b', seed: 1 }, logLines({ losses: [1, 1, 1, 1], stepsPerEpoch: 1 }));
  const runs = readRuns([root]);
  const losses = seedCurves(runs, (r) => r.steps.map((s) => ({ x: s.step, y: s.loss })));

  it('gives each optimizer one curve, mean and band over its seeds', () => {
    expect(losses.points.filter((p) => p.optimizer === 'a')).toEqual([
      { optimizer: 'a', x: 1, mean: 5, min: 4, max: 6, n: 2 },
      { optimizer: 'a', x: 2, mean: 4, min: 3, max: 5, n: 2 },
      { optimizer: 'a', x: 3, mean: 2, min: 2, max: 2, n: 1 },
      { optimizer: 'a', x: 4, mean: 1, min: 1, max: 1, n: 1 },
    ]);
    expect(losses.points.filter((p) => p.optimizer === 'b').map((p) => p.mean)).toEqual([1, 1, 1, 1]);
  });

  it('marks where a diverged run’s curve ends', () => {
    expect(losses.diverged).toEqual([{ optimizer: 'a', x: 2, y: 5 }]);
  });

  it('thins a long curve to every k-th point, keeping the last', () => {
    const thin = seedCurves(runs, (r) => r.steps.map((s) => ({ x: s.step, y: s.loss })), 2);
    expect(thin.points.filter((p) => p.optimizer === 'b').map((p) => p.x)).toEqual([1, 3, 4]);
  });
});
