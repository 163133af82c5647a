import type { TopLevelSpec } from 'vega-lite';
import { comparedMetric } from './compared-metric.js';
import { optimizerColor } from './curve-spec.js';
import { divergedAt, epochCurve, type RunRecord } from './runs.js';

/** One run of a learning-rate search: where it ended, and whether its rate was the one chosen. */
export interface TuningPoint {
  optimizer: string;
  lr: number;
  /** The compared metric at its last epoch; null when it diverged or logged none. */
  final: number | null;
  /** The step at which it diverged, null when it did not. */
  divergedAt: number | null;
  chosen: boolean;
}

/** The search runs (`command` `tune`) in the order run, each marked chosen when its rate is `chosen`'s for its optimizer. */
export function tuningPoints(runs: RunRecord[], chosen: ReadonlyMap<string, number | null>): TuningPoint[] {
  return runs.flatMap((r) => {
    const lr = r.info.options.lr;
    if (typeof lr !== 'number') return [];
    const last = epochCurve(r, comparedMetric(r.info.metric).key).at(-1);
    return [
      {
        optimizer: r.info.optimizer,
        lr,
        final: r.diverged || last === undefined ? null : last.y,
        divergedAt: r.diverged ? divergedAt(r) : null,
        chosen: chosen.get(r.info.optimizer) === lr,
      },
    ];
  });
}

/**
 * A Vega-Lite chart of a learning-rate search: per optimizer its final metric against the rate tried (log
 * axis), the chosen rate ringed, and a × at the bottom of the axis (the top, for a loss) for each rate that
 * diverged.
 */
export function tuningSpec(
  points: TuningPoint[],
  o: { metricTitle: string; higherIsBetter: boolean; yFormat?: string; optimizers: string[] },
): TopLevelSpec {
  const finite = points.flatMap((p) => (p.final === null ? [] : [p.final]));
  const worst = finite.length === 0 ? 0 : o.higherIsBetter ? Math.min(...finite) : Math.max(...finite);
  const x = {
    field: 'lr',
    type: 'quantitative' as const,
    title: 'learning rate (log scale)',
    scale: { type: 'log' as const },
    // Ticks at the rates tried, not a log axis's many minor ones.
    axis: { format: '.0e', values: [...new Set(points.map((p) => p.lr))], grid: true },
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: o.metricTitle,
    scale: { zero: false },
    axis: o.yFormat === undefined ? {} : { format: o.yFormat },
  };
  const color = optimizerColor(o.optimizers);
  const row = (p: TuningPoint, y: number) => ({ optimizer: p.optimizer, lr: p.lr, y });
  const layers = [
    {
      data: { values: points.flatMap((p) => (p.final === null ? [] : [row(p, p.final)])) },
      mark: { type: 'line' as const, point: { filled: true, size: 40 } },
      encoding: { x, y, color },
    },
    {
      data: { values: points.flatMap((p) => (p.chosen && p.final !== null ? [row(p, p.final)] : [])) },
      mark: { type: 'point' as const, size: 260, strokeWidth: 2, filled: false },
      encoding: { x, y, color },
    },
    {
      data: { values: points.flatMap((p) => (p.final === null ? [row(p, worst)] : [])) },
      // Vega's cross is a plus; turned, it is the × the subtitle promises.
      mark: { type: 'point' as const, shape: 'cross', angle: 45, size: 120, filled: true },
      encoding: { x, y, color },
    },
  ];
  return {
    title: {
      text: 'Learning-rate search',
      subtitle: [
        `${o.metricTitle} at the last epoch against the learning rate tried; ring: the rate chosen`,
        ...(finite.length < points.length ? ['×: a rate whose run diverged'] : []),
      ],
      anchor: 'start',
    },
    width: 560,
    height: 320,
    layer: layers.filter((l) => l.data.values.length > 0),
  };
}
