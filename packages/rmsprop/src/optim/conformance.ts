import type { Flavor } from './flavors/index.js';
import type { OptimizerOptions } from './options.js';
import { createOptimizer } from './registry.js';
import { ReduceLROnPlateau } from './schedules/reduce-on-plateau.js';
import { plateauFromTorch, scheduleFromTorch } from './schedules/torch-names.js';

/** One case of `rmsprop-conformance/1`: a reference framework's trajectory for one optimizer. */
export interface OptimizerFixture {
  format: 'rmsprop-conformance/1';
  name: string;
  reference: string;
  flavor: Flavor;
  /** The framework's name for the optimizer (`rmsprop`, `adamw`, `momentum`, `amsgrad`, …). */
  optimizer: string;
  /** In the framework's own keyword names. */
  options: Record<string, unknown>;
  params: Record<string, { shape: number[]; data: number[] }>;
  /** `params` after each step; `lr`, when present, is set before the step; `ema` is Keras's average. */
  steps: {
    lr?: number;
    grads: Record<string, number[]>;
    params: Record<string, number[]>;
    ema?: Record<string, number[]>;
  }[];
  tolerance: { rel: number; abs: number };
}

/** One case of `rmsprop-schedule/1`: the learning rates a PyTorch scheduler gives, step by step. */
export interface ScheduleFixture {
  format: 'rmsprop-schedule/1';
  name: string;
  reference: string;
  scheduler: string;
  options: Record<string, unknown>;
  base_lr: number;
  lrs: number[];
  /** ReduceLROnPlateau only: the metric reported after each step. */
  metrics?: number[];
}

export type Fixture = OptimizerFixture | ScheduleFixture;

/** The worst element of a failed case, or the error that stopped it. */
export interface ConformanceResult {
  name: string;
  passed: boolean;
  detail?: string;
}

interface Worst {
  ratio: number;
  where: string;
}

/** Tracks the element furthest outside (or closest to the edge of) the tolerance. */
function compare(
  worst: Worst,
  where: string,
  actual: ArrayLike<number>,
  expected: readonly number[],
  tol: { rel: number; abs: number },
): void {
  if (actual.length !== expected.length) {
    worst.ratio = Infinity;
    worst.where = `${where}: ${actual.length} values, expected ${expected.length}`;
    return;
  }
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    const ratio = Math.abs(a - e) / (tol.abs + tol.rel * Math.abs(e));
    if (!(ratio <= worst.ratio)) {
      worst.ratio = Number.isNaN(ratio) ? Infinity : ratio;
      worst.where = `${where}[${i}]: expected ${e}, got ${a} (|diff| ${Math.abs(a - e).toExponential(3)}, allowed ${(tol.abs + tol.rel * Math.abs(e)).toExponential(3)})`;
    }
  }
}

function runOptimizer(f: OptimizerFixture, backend: OptimizerOptions['backend']): Worst {
  const params = Object.fromEntries(Object.entries(f.params).map(([k, p]) => [k, Float32Array.from(p.data)]));
  const opt = createOptimizer(f.optimizer, params, { flavor: f.flavor, ...f.options, backend });
  const worst: Worst = { ratio: 0, where: '' };
  try {
    f.steps.forEach((s, i) => {
      if (s.lr !== undefined) opt.lr = s.lr;
      opt.step(Object.fromEntries(Object.entries(s.grads).map(([k, g]) => [k, Float32Array.from(g)])));
      for (const [k, expected] of Object.entries(s.params))
        compare(worst, `step ${i} ${k}`, params[k]!, expected, f.tolerance);
      const ema = s.ema ? opt.emaWeights() : {};
      for (const [k, expected] of Object.entries(s.ema ?? {}))
        compare(worst, `step ${i} ema ${k}`, ema[k]!, expected, f.tolerance);
    });
  } finally {
    opt.dispose();
  }
  return worst;
}

function runSchedule(f: ScheduleFixture): Worst {
  const tol = { rel: 1e-6, abs: 1e-12 };
  const worst: Worst = { ratio: 0, where: '' };
  let lrs: number[];
  if (f.scheduler === 'ReduceLROnPlateau') {
    const target = { paramGroups: [{ options: { lr: f.base_lr } }] };
    const plateau = new ReduceLROnPlateau(target, plateauFromTorch(f.options));
    lrs = (f.metrics ?? []).map((m) => {
      const lr = target.paramGroups[0]!.options.lr;
      plateau.step(m);
      return lr;
    });
  } else {
    const schedule = scheduleFromTorch(f.scheduler, f.options, f.base_lr);
    lrs = f.lrs.map((_, t) => schedule(t));
  }
  compare(worst, 'lr', lrs, f.lrs, tol);
  return worst;
}

/** Runs one fixture of either format and says whether every value is within its tolerance. */
export function runConformance(f: Fixture, backend: OptimizerOptions['backend'] = 'wasm'): ConformanceResult {
  const name = f?.name ?? '(unnamed)';
  try {
    let worst: Worst;
    if (f.format === 'rmsprop-conformance/1') worst = runOptimizer(f, backend);
    else if (f.format === 'rmsprop-schedule/1') worst = runSchedule(f);
    else return { name, passed: false, detail: `unknown format ${JSON.stringify((f as { format?: unknown }).format)}` };
    return worst.ratio <= 1 ? { name, passed: true } : { name, passed: false, detail: worst.where };
  } catch (e) {
    return { name, passed: false, detail: `error: ${(e as Error).message}` };
  }
}
