import { testKey } from './run-info.js';
import type { RunOutcome } from './training-run.js';

/** `n` learning rates spaced evenly on a log scale from `lo` to `hi` (DeepOBS's tuning grid), to 3 digits. */
export function logGrid(lo: number, hi: number, n: number): number[] {
  const step = n > 1 ? Math.log(hi / lo) / (n - 1) : 0;
  return Array.from({ length: n }, (_, i) => Number((lo * Math.exp(step * i)).toPrecision(3)));
}

/** A run's final test metric, or its final test loss when the problem has none; null when it diverged or never finished an epoch. */
export function finalValue(r: RunOutcome): number | null {
  const metric = r.info.metric;
  const v = r.last?.[metric ? testKey(metric) : 'testLoss'];
  return r.diverged || typeof v !== 'number' || !Number.isFinite(v) ? null : v;
}

/** The index of the best run by final value (a diverged run is the worst); the first of equals. */
export function bestRun(runs: readonly RunOutcome[]): number {
  const score = (r: RunOutcome): number => {
    const v = finalValue(r);
    return v === null ? -Infinity : r.info.metric ? v : -v;
  };
  let best = 0;
  runs.forEach((r, i) => {
    if (score(r) > score(runs[best]!)) best = i;
  });
  return best;
}
