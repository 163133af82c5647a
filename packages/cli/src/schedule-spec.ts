import { schedules, scheduleFromTorch, type Schedule } from 'rmsprop/optim';
import { UsageError } from './cli-error.js';
import { parseOptions } from './optimizer-spec.js';

// `--schedule NAME[:KEY=VALUE,…]`: one of the library's schedules in its names (`cosine:period=1000`),
// with the optimizer's lr as the base rate, or a PyTorch scheduler in PyTorch's (`OneCycleLR:max_lr=0.1,
// total_steps=1000`). `warmup=N` in front of either adds a linear warm-up of N steps. Steps are optimizer steps.

type Options = Record<string, unknown>;
const call =
  <A>(f: (a: A) => Schedule) =>
  (o: Options): Schedule =>
    f(o as A);

/** Ours: their options, and how to make them; `period` and `total` default to the run's steps. */
const OURS: Readonly<Record<string, { keys: readonly string[]; make: (o: Options, steps: number) => Schedule }>> = {
  constant: { keys: [], make: (o) => schedules.constant(o.lr as number) },
  step: { keys: ['stepSize', 'gamma'], make: call(schedules.step) },
  multiStep: { keys: ['milestones', 'gamma'], make: call(schedules.multiStep) },
  exponential: { keys: ['gamma'], make: call(schedules.exponential) },
  cosine: { keys: ['period', 'min'], make: (o, steps) => schedules.cosine({ period: steps, ...o } as never) },
  cosineWarmRestarts: { keys: ['period', 'mult', 'min'], make: call(schedules.cosineWarmRestarts) },
  linear: { keys: ['start', 'end', 'steps'], make: call(schedules.linear) },
  oneCycle: {
    keys: ['maxLr', 'total', 'pct', 'anneal', 'divFactor', 'finalDivFactor', 'threePhase'],
    make: (o, steps) => schedules.oneCycle({ total: steps, maxLr: o.lr, ...o } as never),
  },
};
const TORCH = [
  'StepLR',
  'MultiStepLR',
  'ExponentialLR',
  'CosineAnnealingLR',
  'CosineAnnealingWarmRestarts',
  'LinearLR',
  'OneCycleLR',
];

export interface ScheduleChoice {
  readonly label: string;
  /** The schedule for an optimizer of base rate `lr`, over a run of `steps` optimizer steps. */
  create(lr: number, steps: number): Schedule;
}

/** `--schedule`, checked by building it once for a stand-in run. */
export function scheduleChoice(flag: string, spec: string): ScheduleChoice {
  const colon = spec.indexOf(':');
  const name = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  const { warmup, ...options } = colon < 0 ? {} : parseOptions(flag, spec, spec.slice(colon + 1));
  const ours = OURS[name];
  if (!ours && !TORCH.includes(name))
    throw new UsageError(
      `${flag}: unknown schedule '${name}'; valid schedules are ${Object.keys(OURS).join(', ')} (ours) and ` +
        `${TORCH.join(', ')} (PyTorch's, with PyTorch's option names)`,
    );
  const unknown = ours ? Object.keys(options).find((k) => !ours.keys.includes(k)) : undefined;
  if (unknown !== undefined)
    throw new UsageError(
      `${flag} "${spec}": unknown option '${unknown}' of ${name}; its options are ${[...ours!.keys, 'warmup'].join(', ')}`,
    );
  const create = (lr: number, steps: number): Schedule => {
    const s = ours ? ours.make({ lr, ...options }, steps) : scheduleFromTorch(name, options, lr);
    return warmup === undefined ? s : schedules.warmup(s, { steps: warmup as number });
  };
  try {
    create(1e-3, 1000)(0);
  } catch (e) {
    throw new UsageError(`${flag} "${spec}": ${(e as Error).message}`, { cause: e });
  }
  return { label: spec.trim(), create };
}
