import { mean } from './stats.js';

/** One point of one run's curve. */
export interface Point {
  x: number;
  y: number;
}

/** The runs of one optimizer at one x: their mean, the min–max band around it, and how many there were. */
export interface SeedBand {
  x: number;
  mean: number;
  min: number;
  max: number;
  /** Runs with a finite value at this x (a run that diverged or stopped early drops out). */
  n: number;
}

/**
 * The curves of several runs (one per seed) as their mean and min–max band at each x, in increasing x.
 * Min–max rather than ±1 sd: with the few seeds a comparison affords, it shows every run, and the
 * sample sd of three values says little. Non-finite values are left out, so a diverged run counts until
 * it diverged.
 */
export function aggregateSeeds(series: Point[][]): SeedBand[] {
  const byX = new Map<number, number[]>();
  for (const run of series)
    for (const { x, y } of run) {
      if (!Number.isFinite(y)) continue;
      const ys = byX.get(x);
      if (ys) ys.push(y);
      else byX.set(x, [y]);
    }
  return [...byX]
    .sort(([a], [b]) => a - b)
    .map(([x, ys]) => ({
      x,
      mean: mean(ys),
      min: Math.min(...ys),
      max: Math.max(...ys),
      n: ys.length,
    }));
}
