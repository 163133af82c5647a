import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRuns } from './runs.js';
import { formatTable, summarize } from './summary.js';
import { logLines, tempDir, writeRun } from './test-support.js';

/** A run of one step per epoch with these test accuracies (or test losses) and this wall time. */
function run(
  dir: string,
  info: Parameters<typeof writeRun>[1],
  o: { acc?: number[]; loss?: number[]; seconds: number; nan?: boolean },
): void {
  const epochs = (o.acc ?? o.loss)!.length;
  const end = o.nan ? { stopped: { by: 'nanGuard', message: 'nanGuard: NaN', epoch: epochs, step: epochs } } : {};
  writeRun(
    dir,
    info,
    logLines({
      losses: Array.from({ length: epochs }, () => 1),
      stepsPerEpoch: 1,
      ...(o.acc ? { testAccuracy: o.acc } : {}),
      ...(o.loss ? { testLoss: o.loss } : {}),
      end: { ...end, seconds: o.seconds },
    }),
  );
}

const root = tempDir();
run(join(root, 'a', 'seed-1'), { optimizer: 'a', seed: 1 }, { acc: [0.5, 0.85, 0.92, 0.9], seconds: 10 });
run(join(root, 'a', 'seed-2'), { optimizer: 'a', seed: 2 }, { acc: [0.6, 0.91, 0.96, 0.95], seconds: 20 });
run(join(root, 'a', 'seed-3'), { optimizer: 'a', seed: 3 }, { acc: [0.7], seconds: 3, nan: true });
run(join(root, 'b', 'seed-1'), { optimizer: 'b', metric: null, target: 0.3 }, { loss: [0.5, 0.2, 0.25], seconds: 150 });
run(join(root, 'c', 'seed-1'), { optimizer: 'c:lr=0.1', target: undefined }, { acc: [0.4, 0.5], seconds: 4000 });
const [a, b, c] = summarize(readRuns([root]));

describe('summarize', () => {
  it('groups by optimizer label in the order first seen', () => {
    expect([a, b, c].map((s) => s!.optimizer)).toEqual(['a', 'b', 'c:lr=0.1']);
  });

  it('gives the final test accuracy over the runs that did not diverge: mean, sample sd, best epoch of the mean', () => {
    expect(a).toMatchObject({ runs: 3, metric: 'testAccuracy', higherIsBetter: true, diverged: 1 });
    expect(a!.finalMean).toBeCloseTo((0.9 + 0.95) / 2, 12);
    expect(a!.finalStd).toBeCloseTo(Math.sqrt((0.025 ** 2 + 0.025 ** 2) / 1), 12);
    // The mean curve: 0.55, 0.88, 0.94, 0.925.
    expect(a!.best).toBeCloseTo(0.94, 12);
  });

  it('gives the speed: the mean first epoch reaching the target, over the runs that did', () => {
    expect(a).toMatchObject({ target: 0.9, speed: 2.5, reached: 2 });
    expect(c).toMatchObject({ target: null, speed: null, reached: 0 });
  });

  it('compares the test loss when the problem has no metric, lower being better', () => {
    expect(b).toMatchObject({ metric: 'testLoss', higherIsBetter: false, runs: 1, diverged: 0 });
    expect(b).toMatchObject({ finalMean: 0.25, finalStd: 0, best: 0.2, speed: 2, reached: 1 });
  });

  it('gives the mean wall time of a run, diverged ones included', () => {
    expect(a!.secondsMean).toBe(11);
  });

  it('gives NaN figures for an optimizer whose runs all diverged', () => {
    const dir = tempDir();
    run(join(dir, 'x'), { optimizer: 'x' }, { acc: [0.7], seconds: 1, nan: true });
    const [x] = summarize(readRuns([dir]));
    expect(x).toMatchObject({ runs: 1, diverged: 1, finalMean: NaN, finalStd: NaN, best: NaN, speed: null });
  });
});

describe('formatTable', () => {
  it('aligns a plain-text table: names left, figures right, accuracy in percent', () => {
    expect(formatTable([a!, c!])).toBe(
      [
        'optimizer    lr  seeds  final test accuracy (mean ± sd)  best epoch of the mean  epochs to 90% (runs)  time per run  diverged runs',
        '---------  ----  -----  -------------------------------  ----------------------  --------------------  ------------  -------------',
        'a          1e-3      3                   92.50% ± 3.54%        94.00% (epoch 3)             2.5 (2/3)           11s            1/3',
        'c:lr=0.1   1e-3      1                           50.00%        50.00% (epoch 2)                     —         1h06m            0/1',
      ].join('\n'),
    );
  });

  it('speaks of one run, not of means over seeds, when every optimizer has one', () => {
    const [header, , row] = formatTable([c!]).split('\n');
    expect(header).toBe('optimizer    lr  final test accuracy        best epoch   time  diverged');
    expect(row).toBe('c:lr=0.1   1e-3               50.00%  50.00% (epoch 2)  1h06m        no');
  });

  it('names the metric generically when the optimizers were compared on different ones', () => {
    const header = formatTable([a!, b!]).split('\n')[0];
    expect(header).toContain('final test metric (mean ± sd)');
    expect(header).toContain('epochs to target');
  });

  it('has no colour codes', () => {
    expect(formatTable([a!, b!, c!])).not.toContain('\u001b');
  });
});
