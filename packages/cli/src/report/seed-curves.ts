import { aggregateSeeds, type Point, type SeedBand } from './aggregate.js';
import { groupByOptimizer, type RunRecord } from './runs.js';

export interface CurvePoint extends SeedBand {
  optimizer: string;
}

/** Where the curve of a diverged run ends: its last finite point. */
export interface DivergedPoint extends Point {
  optimizer: string;
}

export interface SeedCurves {
  points: CurvePoint[];
  diverged: DivergedPoint[];
}

/**
 * One curve per optimizer: the mean and band over its runs of `seriesOf(run)` (see `aggregateSeeds`),
 * thinned to at most about `maxPoints` points, which keeps the SVG of a long run small while showing all
 * a reader can see at that width; and the end of each diverged run's curve, to mark it.
 */
export function seedCurves(runs: RunRecord[], seriesOf: (run: RunRecord) => Point[], maxPoints = 400): SeedCurves {
  const points: CurvePoint[] = [];
  const diverged: DivergedPoint[] = [];
  for (const [optimizer, group] of groupByOptimizer(runs)) {
    const series = group.map(seriesOf);
    const bands = aggregateSeeds(series);
    const every = Math.ceil(bands.length / maxPoints);
    points.push(...bands.filter((_, i) => i % every === 0 || i === bands.length - 1).map((b) => ({ optimizer, ...b })));
    group.forEach((run, i) => {
      const last = series[i]!.filter((p) => Number.isFinite(p.y)).at(-1);
      if (run.diverged && last) diverged.push({ optimizer, ...last });
    });
  }
  return { points, diverged };
}
