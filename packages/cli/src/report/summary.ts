import { formatDuration, formatRate, formatValue } from 'rmsprop/train';
import { aggregateSeeds, type SeedBand } from './aggregate.js';
import { comparedMetric } from './compared-metric.js';
import { epochCurve, groupByOptimizer, type RunRecord } from './runs.js';
import { mean, sampleSd } from './stats.js';

/** One optimizer's runs (one per seed) in figures, DeepOBS style. */
export interface OptimizerSummary {
  optimizer: string;
  runs: number;
  /** The epoch value compared (see comparedMetric). */
  metric: string;
  higherIsBetter: boolean;
  /** Mean of the runs' last values of `metric`, over the runs that did not diverge (NaN when none). */
  finalMean: number;
  /** Sample sd of those final values; 0 for one run, NaN for none. */
  finalStd: number;
  /** The learning rate the runs were given (tuned, or as written), null when they differ or follow no one rate. */
  lr: number | null;
  /** The best value of the mean curve over seeds, and its epoch. */
  best: number;
  bestEpoch: number | null;
  /** The value of `metric` that counts as solving the problem (`run.json`'s `target`), null when none. */
  target: number | null;
  /** Mean over the runs that reached `target` of the first epoch that did (DeepOBS speed); null when none did. */
  speed: number | null;
  /** Runs that reached `target`. */
  reached: number;
  /** Mean wall time of a run. */
  secondsMean: number;
  /** Runs that diverged; the figures above leave them out. */
  diverged: number;
}

/** The runs grouped by optimizer label, in the order the labels first appear. */
export function summarize(runs: RunRecord[]): OptimizerSummary[] {
  return [...groupByOptimizer(runs)].map(([optimizer, group]) => summarizeGroup(optimizer, group));
}

function summarizeGroup(optimizer: string, group: RunRecord[]): OptimizerSummary {
  const { metric: problemMetric, target } = group[0]!.info;
  const { key: metric, higherIsBetter } = comparedMetric(problemMetric);
  const better = (a: number, b: number): boolean => (higherIsBetter ? a >= b : a <= b);
  const curves = group.filter((r) => !r.diverged).map((r) => epochCurve(r, metric));
  const finals = curves.flatMap((c) => c.slice(-1).map((p) => p.y));
  const means = aggregateSeeds(curves);
  // The first epoch of the best mean.
  const best = means.reduce<SeedBand | null>(
    (b, p) => (b === null || (higherIsBetter ? p.mean > b.mean : p.mean < b.mean) ? p : b),
    null,
  );
  const lrs = new Set(group.map((r) => r.info.options.lr));
  const [lr] = lrs;
  const reachedAt = curves.flatMap((c) => {
    const hit = target === undefined ? undefined : c.find((p) => better(p.y, target));
    return hit ? [hit.x] : [];
  });
  return {
    optimizer,
    runs: group.length,
    metric,
    higherIsBetter,
    finalMean: mean(finals),
    finalStd: sampleSd(finals),
    lr: lrs.size === 1 && typeof lr === 'number' ? lr : null,
    best: best?.mean ?? NaN,
    bestEpoch: best?.x ?? null,
    target: target ?? null,
    speed: reachedAt.length === 0 ? null : mean(reachedAt),
    reached: reachedAt.length,
    secondsMean: mean(group.map((r) => r.seconds)),
    diverged: group.length - curves.length,
  };
}

/**
 * The comparison as a header and rows of text cells, shared by the terminal and the HTML report. Where
 * every optimizer has one run, the columns speak of that run rather than of means over seeds.
 */
export function summaryTable(summaries: OptimizerSummary[]): { header: string[]; rows: string[][] } {
  const single = summaries.every((s) => s.runs === 1);
  const metrics = new Set(summaries.map((s) => s.metric));
  const metric = metrics.size === 1 ? words(summaries[0]!.metric) : 'test metric';
  const targets = new Set(summaries.flatMap((s) => (s.target === null ? [] : [formatTarget(s.target, s.metric)])));
  const withTarget = targets.size > 0;
  const target = targets.size === 1 ? [...targets][0]! : 'target';
  const header = single
    ? ['optimizer', 'lr', `final ${metric}`, 'best epoch', ...(withTarget ? [`first epoch at ${target}`] : [])]
    : [
        'optimizer',
        'lr',
        'seeds',
        `final ${metric} (mean ± sd)`,
        'best epoch of the mean',
        ...(withTarget ? [`epochs to ${target} (runs)`] : []),
      ];
  header.push(single ? 'time' : 'time per run', single ? 'diverged' : 'diverged runs');
  const rows = summaries.map((s) => {
    const sd = s.runs - s.diverged < 2 ? '' : ` ± ${metricValue(s.finalStd, s.metric)}`;
    const best = s.bestEpoch === null ? '—' : `${metricValue(s.best, s.metric)} (epoch ${s.bestEpoch})`;
    const speed =
      s.speed === null ? '—' : single ? formatValue(s.speed) : `${formatValue(s.speed)} (${s.reached}/${s.runs})`;
    return [
      s.optimizer,
      s.lr === null ? '—' : formatRate(s.lr),
      ...(single ? [] : [String(s.runs)]),
      `${metricValue(s.finalMean, s.metric)}${sd}`,
      best,
      ...(withTarget ? [speed] : []),
      formatDuration(s.secondsMean),
      single ? (s.diverged > 0 ? 'yes' : 'no') : `${s.diverged}/${s.runs}`,
    ];
  });
  return { header, rows };
}

/** The comparison as an aligned plain-text table for the terminal: names left, figures right. */
export function formatTable(summaries: OptimizerSummary[]): string {
  const { header, rows } = summaryTable(summaries);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((l) => l[i]!.length)));
  return [header, widths.map((w) => '-'.repeat(w)), ...rows]
    .map((l) =>
      l
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A metric value as people read it: accuracy in percent, anything else to four significant digits. */
function metricValue(v: number, metric: string): string {
  if (Number.isNaN(v)) return '—';
  return metric === 'testAccuracy' ? `${(100 * v).toFixed(2)}%` : formatValue(v);
}

/** A target as people write it: `90%`, `0.35`. */
function formatTarget(v: number, metric: string): string {
  return metric === 'testAccuracy' ? `${formatValue(100 * v)}%` : formatValue(v);
}

/** `testAccuracy` → `test accuracy`. */
export const words = (key: string): string => key.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
