import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCharts, smoothingWeight, type Chart } from './run-charts.js';
import { readRuns } from './runs.js';
import { logLines, tempDir, writeRun, type LogOptions } from './test-support.js';

const chartsOf = (info: Parameters<typeof writeRun>[1], o: LogOptions): Chart[] =>
  runCharts(readRuns([writeRun(join(tempDir(), 'r'), info, logLines(o))]));

interface Layer {
  data?: { values: { x: number; y?: number; mean?: number }[] };
  encoding: Record<string, { title?: string; scale?: { type?: string } }>;
}
const layersOf = (chart: Chart): Layer[] => (chart.spec as unknown as { layer: Layer[] }).layer;
const yTitle = (chart: Chart): string | undefined => layersOf(chart)[1]!.encoding.y!.title;
const xTitle = (chart: Chart): string | undefined => layersOf(chart)[1]!.encoding.x!.title;
const points = (chart: Chart) =>
  (chart.spec as unknown as { data: { values: { x: number; mean: number }[] } }).data.values;

describe('runCharts', () => {
  const steps = { losses: [2, 1, 0.5, 0.25], stepsPerEpoch: 2, testLoss: [1, 0.5], testAccuracy: [0.8, 0.9] };

  it('draws training loss per step, test loss and accuracy per epoch, and the learning rate', () => {
    const charts = chartsOf({}, steps);
    expect(charts.map((c) => c.file)).toEqual(['loss.svg', 'test-loss.svg', 'test-accuracy.svg', 'lr.svg']);
    const [loss, testLoss, accuracy, lr] = charts;
    expect([xTitle(loss!), yTitle(loss!)]).toEqual(['step', 'training loss']);
    expect([xTitle(testLoss!), yTitle(testLoss!)]).toEqual(['epoch', 'test loss']);
    expect([xTitle(accuracy!), yTitle(accuracy!)]).toEqual(['epoch', 'test accuracy']);
    expect(points(accuracy!).map((p) => [p.x, p.mean])).toEqual([
      [1, 0.8],
      [2, 0.9],
    ]);
    expect([xTitle(lr!), yTitle(lr!)]).toEqual(['step', 'learning rate (log scale)']);
  });

  it('leaves out what no run logged: a metric, a test set', () => {
    const charts = chartsOf({ metric: null }, { losses: [2, 1], stepsPerEpoch: 1 });
    expect(charts.map((c) => c.file)).toEqual(['loss.svg', 'lr.svg']);
  });

  it('draws the training curves per epoch when a run was logged without its steps', () => {
    const dir = writeRun(
      join(tempDir(), 'r'),
      {},
      logLines(steps).filter((l) => !l.includes('"type":"step"')),
    );
    const [loss] = runCharts(readRuns([dir]));
    expect([xTitle(loss!), yTitle(loss!)]).toEqual(['epoch', 'training loss (epoch mean)']);
    expect(points(loss!).map((p) => p.mean)).toEqual([1.5, 0.375]);
  });

  it('puts losses spanning two decades or more on a log axis', () => {
    const [loss] = chartsOf({}, { losses: [100, 10, 1, 0.5], stepsPerEpoch: 2 });
    expect(yTitle(loss!)).toBe('training loss (log scale)');
    expect(layersOf(loss!)[1]!.encoding.y!.scale).toEqual({ type: 'log' });
  });

  it('smooths the training loss of each run per step', () => {
    const losses = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 1 : 3));
    const [loss] = chartsOf({}, { losses, stepsPerEpoch: 50 });
    const means = points(loss!).map((p) => p.mean);
    // weight 0.5: the alternation 1, 3 settles to a swing between 1.67 and 2.33, not 1 to 3.
    expect(Math.max(...means.slice(50))).toBeCloseTo(7 / 3, 3);
    expect(Math.min(...means.slice(50))).toBeCloseTo(5 / 3, 3);
  });
});

describe('smoothingWeight', () => {
  it('averages over about a fiftieth of the run, and not at all for 50 steps or fewer', () => {
    expect([10, 50, 100, 500, 1000].map(smoothingWeight)).toEqual([0, 0, 0.5, 0.9, 0.95]);
  });
});
