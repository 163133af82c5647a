import { Generator } from 'rmsprop/tensor';
import type { OptimizerConfig } from './optimizer-kinds.js';
import type { Point, Surface } from './surfaces/surface.js';

/** Where and how the paths run: the same for every optimizer, so they race fairly. */
export interface Run {
  readonly surface: Surface;
  readonly start: Point;
  readonly steps: number;
  /** Standard deviation of the Gaussian noise added to each gradient coordinate (0: exact gradients). */
  readonly noise: number;
  /** Seeds the noise; every optimizer gets the same draws. */
  readonly seed: number;
}

/** One optimizer's path: positions and losses from the start (index 0) to the last step taken. */
export interface Trajectory {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly loss: Float64Array;
  /** The effective step of each coordinate after each step (index 0, before any step, is NaN). */
  readonly effectiveX: Float64Array;
  readonly effectiveY: Float64Array;
  /** Steps taken: fewer than asked when the path left the map far behind or blew up. */
  readonly taken: number;
  /** Why the path ended early, or why it never began (an option the library refused). */
  readonly stopped: string | null;
}

/** The parameter's name: optimizers key their state by it. */
const NAME = 'xy';

/** How far outside the map a path may wander (in map widths) before it counts as gone. */
const MARGIN = 2;

/**
 * Runs the library's optimizer on the surface from the start: the parameter is a 2-element
 * Float32Array the optimizer updates in place, exactly as it would a network's weights, and the
 * gradient comes from the analytic formula at that float32 point (plus noise, when asked).
 */
export function trajectory(config: OptimizerConfig, run: Run): Trajectory {
  const { surface, start, steps, noise } = run;
  const n = steps + 1;
  const t = {
    x: new Float64Array(n).fill(NaN),
    y: new Float64Array(n).fill(NaN),
    loss: new Float64Array(n).fill(NaN),
    effectiveX: new Float64Array(n).fill(NaN),
    effectiveY: new Float64Array(n).fill(NaN),
  };
  const p = Float32Array.from(start);
  const record = (i: number): void => {
    t.x[i] = p[0]!;
    t.y[i] = p[1]!;
    t.loss[i] = surface.value(p[0]!, p[1]!);
  };
  record(0);
  let opt;
  try {
    opt = config.kind.create({ [NAME]: p }, config.options);
  } catch (e) {
    return { ...t, taken: 0, stopped: e instanceof Error ? e.message : String(e) };
  }
  const random = new Generator(run.seed);
  const [w, h] = [surface.x[1] - surface.x[0], surface.y[1] - surface.y[0]];
  const far = (x: number, y: number): boolean =>
    x < surface.x[0] - MARGIN * w ||
    x > surface.x[1] + MARGIN * w ||
    y < surface.y[0] - MARGIN * h ||
    y > surface.y[1] + MARGIN * h;
  let stopped: string | null = null;
  let taken = 0;
  while (taken < steps) {
    const [gx, gy] = surface.gradient(p[0]!, p[1]!);
    const g = Float32Array.of(gx + noise * random.normal(), gy + noise * random.normal());
    if (!g.every(Number.isFinite)) {
      stopped = 'the gradient overflowed';
      break;
    }
    opt.step({ [NAME]: g });
    taken++;
    record(taken);
    const [ex, ey] = opt.effectiveStep(NAME);
    t.effectiveX[taken] = ex!;
    t.effectiveY[taken] = ey!;
    if (!(Number.isFinite(p[0]) && Number.isFinite(p[1]))) {
      stopped = 'diverged';
      break;
    }
    if (far(p[0]!, p[1]!)) {
      stopped = 'left the map';
      break;
    }
  }
  opt.dispose();
  return { ...t, taken, stopped };
}
