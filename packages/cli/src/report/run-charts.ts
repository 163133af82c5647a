import { testKey } from 'rmsprop/train';
import type { TopLevelSpec } from 'vega-lite';
import { smooth } from '../lr-range.js';
import type { Point } from './aggregate.js';
import { curveSpec, type CurveSpecOptions } from './curve-spec.js';
import { epochCurve, groupByOptimizer, type RunRecord } from './runs.js';
import { seedCurves, type SeedCurves } from './seed-curves.js';

/** One chart of a report: the SVG file it is written to, its title, and its Vega-Lite spec. */
export interface Chart {
  file: string;
  title: string;
  spec: TopLevelSpec;
}

const BAND = 'line: mean over seeds; band: min–max over seeds';

/** What a chart sets of its spec; the rest has defaults (epochs on x, a log y axis for values spanning decades). */
type ChartOptions = Pick<CurveSpecOptions, 'yTitle'> &
  Partial<Pick<CurveSpecOptions, 'subtitle' | 'xTitle' | 'xIntegers' | 'yScale' | 'yFormat'>>;

/**
 * The charts of a set of runs: training loss per step (smoothed), test loss and the test metric per
 * epoch, and the learning rate, each left out when no run logged it. When a run was logged without its
 * steps (`runLog({ steps: false })`), the training loss and learning rate of all are drawn per epoch.
 */
export function runCharts(runs: RunRecord[]): Chart[] {
  const groups = groupByOptimizer(runs);
  const optimizers = [...groups.keys()];
  const band = [...groups.values()].some((g) => g.length > 1)
    ? BAND
    : `one run${optimizers.length > 1 ? ' per optimizer' : ''}`;
  const perStep = runs.every((r) => r.steps.length > 0);
  const weight = smoothingWeight(Math.max(...runs.map((r) => r.steps.length)));
  const charts: Chart[] = [];
  const add = (file: string, title: string, curves: SeedCurves, o: ChartOptions): void => {
    if (curves.points.length === 0) return;
    const yScale = o.yScale ?? (spansDecades(curves) ? 'log' : 'linear');
    const yTitle = `${o.yTitle}${yScale === 'log' ? ' (log scale)' : ''}`;
    const subtitle = [...(o.subtitle ?? [band])];
    if (curves.diverged.length > 0) subtitle.push('×: where a diverged run ends');
    const spec = curveSpec({
      title,
      xTitle: 'epoch',
      xIntegers: true,
      ...o,
      subtitle,
      yTitle,
      yScale,
      optimizers,
      curves,
    });
    charts.push({ file, title, spec });
  };

  add(
    'loss.svg',
    'Training loss',
    seedCurves(runs, (r) => (perStep ? smoothedSteps(r, weight) : epochCurve(r, 'loss'))),
    perStep
      ? {
          xTitle: 'step',
          xIntegers: false,
          yTitle: 'training loss',
          subtitle: [
            band,
            weight > 0 ? `each run smoothed by an exponential moving average, weight ${weight}` : 'not smoothed',
          ],
        }
      : { yTitle: 'training loss (epoch mean)' },
  );
  add(
    'test-loss.svg',
    'Test loss',
    seedCurves(runs, (r) => epochCurve(r, 'testLoss')),
    { yTitle: 'test loss' },
  );
  for (const metric of new Set(runs.flatMap((r) => (r.info.metric === null ? [] : [r.info.metric])))) {
    const key = testKey(metric);
    const accuracy = metric === 'accuracy';
    add(
      `test-${metric}.svg`,
      `Test ${metric}`,
      seedCurves(runs, (r) => epochCurve(r, key)),
      {
        yTitle: `test ${metric}`,
        yScale: 'linear',
        ...(accuracy ? { yFormat: '.2~%' } : {}),
      },
    );
  }
  // A learning rate of 0 (the start of a warm-up) has no place on a log axis.
  const lrs = (r: RunRecord): Point[] =>
    (perStep ? r.steps.map((s) => ({ x: s.step, y: s.lr })) : epochCurve(r, 'lr')).filter((p) => p.y > 0);
  // The learning rate does not diverge with the loss: no marks.
  add(
    'lr.svg',
    'Learning rate',
    { ...seedCurves(runs, lrs), diverged: [] },
    {
      ...(perStep ? { xTitle: 'step', xIntegers: false } : {}),
      yTitle: 'learning rate',
      yScale: 'log',
    },
  );
  return charts;
}

/**
 * The smoothing weight for a run of `n` logged steps: an average over about n/50 steps, so the curve
 * keeps some fifty independent points whatever the run's length (TensorBoard leaves it to a slider a
 * static report lacks).
 */
export function smoothingWeight(n: number): number {
  return Math.round(1000 * (1 - 1 / Math.max(1, n / 50))) / 1000;
}

function smoothedSteps(run: RunRecord, weight: number): Point[] {
  const ys = smooth(
    run.steps.map((s) => s.loss),
    weight,
  );
  return run.steps.map((s, i) => ({ x: s.step, y: ys[i]! }));
}

/** Whether the curves' values are all positive and span two decades or more: a log axis shows them better. */
function spansDecades(curves: SeedCurves): boolean {
  const values = curves.points.flatMap((p) => [p.min, p.max]);
  const low = Math.min(...values);
  return low > 0 && Math.max(...values) / low >= 100;
}
