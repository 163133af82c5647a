import { comparedMetric } from './report/compared-metric.js';
import type { RunRecord } from './report/runs.js';

/** `n` learning rates spaced evenly on a log scale from `lo` to `hi` (DeepOBS's tuning grid), to 3 digits. */
export function logGrid(lo: number, hi: number, n: number): number[] {
  const step = n > 1 ? Math.log(hi / lo) / (n - 1) : 0;
  return Array.from({ length: n }, (_, i) => Number((lo * Math.exp(step * i)).toPrecision(3)));
}

/** A run's final value of the metric compared (see comparedMetric); null when it diverged or never finished an epoch. */
export function finalValue(r: RunRecord): number | null {
  const v = r.epochs.at(-1)?.[comparedMetric(r.info.metric).key];
  return r.diverged || typeof v !== 'number' || !Number.isFinite(v) ? null : v;
}

/** The index of the best run by final value (a diverged run is the worst); the first of equals. */
export function bestRun(runs: readonly RunRecord[]): number {
  const score = (r: RunRecord): number => {
    const v = finalValue(r);
    return v === null ? -Infinity : comparedMetric(r.info.metric).higherIsBetter ? v : -v;
  };
  let best = 0;
  runs.forEach((r, i) => {
    if (score(r) > score(runs[best]!)) best = i;
  });
  return best;
}
