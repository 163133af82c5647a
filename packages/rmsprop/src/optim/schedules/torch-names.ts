import type { PlateauOptions } from './reduce-on-plateau.js';
import type { Schedule } from './schedule.js';
import * as s from './schedules.js';

type Kwargs = Readonly<Record<string, unknown>>;
const num = (o: Kwargs, key: string, fallback?: number): number => {
  const v = o[key] ?? fallback;
  if (typeof v !== 'number') throw new RangeError(`torch scheduler: ${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
};

/**
 * The schedule torch.optim.lr_scheduler's `name` gives with these keyword arguments for an optimizer
 * whose learning rate is `lr`, for recipes written for PyTorch. ReduceLROnPlateau is not a schedule
 * of the step count: see `plateauFromTorch`.
 */
export function scheduleFromTorch(name: string, o: Kwargs, lr: number): Schedule {
  switch (name) {
    case 'StepLR':
      return s.step({ lr, stepSize: num(o, 'step_size'), gamma: num(o, 'gamma', 0.1) });
    case 'MultiStepLR':
      return s.multiStep({ lr, milestones: o.milestones as number[], gamma: num(o, 'gamma', 0.1) });
    case 'ExponentialLR':
      return s.exponential({ lr, gamma: num(o, 'gamma') });
    case 'CosineAnnealingLR':
      return s.cosine({ lr, period: num(o, 'T_max'), min: num(o, 'eta_min', 0) });
    case 'CosineAnnealingWarmRestarts':
      return s.cosineWarmRestarts({ lr, period: num(o, 'T_0'), mult: num(o, 'T_mult', 1), min: num(o, 'eta_min', 0) });
    case 'LinearLR':
      return s.linear({
        lr,
        start: num(o, 'start_factor', 1 / 3),
        end: num(o, 'end_factor', 1),
        steps: num(o, 'total_iters', 5),
      });
    case 'OneCycleLR':
      return s.oneCycle({
        maxLr: num(o, 'max_lr'),
        total: num(o, 'total_steps'),
        pct: num(o, 'pct_start', 0.3),
        anneal: (o.anneal_strategy ?? 'cos') as 'cos' | 'linear',
        divFactor: num(o, 'div_factor', 25),
        finalDivFactor: num(o, 'final_div_factor', 1e4),
        threePhase: (o.three_phase ?? false) as boolean,
      });
    case 'SequentialLR': {
      const parts = o.schedulers as { scheduler: string; options: Kwargs }[];
      return s.sequential(
        parts.map((p) => scheduleFromTorch(p.scheduler, p.options, lr)),
        o.milestones as number[],
      );
    }
    default:
      throw new RangeError(
        `torch scheduler '${name}' is not known; known are StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, ` +
          'CosineAnnealingWarmRestarts, LinearLR, OneCycleLR, SequentialLR (and ReduceLROnPlateau via plateauFromTorch)',
      );
  }
}

/** ReduceLROnPlateau's options from PyTorch's keyword arguments. */
export function plateauFromTorch(o: Kwargs): Partial<PlateauOptions> {
  const names: Record<string, keyof PlateauOptions> = {
    mode: 'mode',
    factor: 'factor',
    patience: 'patience',
    threshold: 'threshold',
    threshold_mode: 'thresholdMode',
    cooldown: 'cooldown',
    min_lr: 'minLr',
    eps: 'eps',
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const ours = names[k];
    if (!ours)
      throw new RangeError(
        `ReduceLROnPlateau: unknown PyTorch option '${k}'; known are ${Object.keys(names).join(', ')}`,
      );
    out[ours] = v;
  }
  return out as Partial<PlateauOptions>;
}
