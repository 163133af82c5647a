import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bestRun, finalValue } from './lr-grid.js';
import { readRun } from './report/runs.js';
import { summarize } from './report/summary.js';
import { logLines, tempDir, writeRun } from './report/test-support.js';

/** Two finished runs of one epoch, the first better by test accuracy, the second by test loss. */
function runs(metric: string | null) {
  const root = tempDir();
  return [
    { testLoss: [0.4], testAccuracy: [0.9] },
    { testLoss: [0.2], testAccuracy: [0.8] },
  ].map((tests, i) =>
    readRun(
      writeRun(
        join(root, `run-${i}`),
        { optimizer: `run-${i}`, metric },
        logLines({ losses: [1], stepsPerEpoch: 1, ...tests }),
      ),
    ),
  );
}

describe('the tuning grid', () => {
  // The metric compared: accuracy; the test loss without a metric; the test loss too for a metric whose
  // better direction run.json does not tell.
  it.each(['accuracy', null, 'perplexity'])('compares runs of metric %s as the summary does', (metric) => {
    const grid = runs(metric);
    const summaries = summarize(grid);
    expect(grid.map(finalValue)).toEqual(summaries.map((s) => s.finalMean));
    const finals = summaries.map((s) => s.finalMean);
    const best = summaries[0]!.higherIsBetter ? Math.max(...finals) : Math.min(...finals);
    expect(bestRun(grid)).toBe(finals.indexOf(best));
  });
});
