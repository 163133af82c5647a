import type { Schedule } from './schedule.js';

// Each function returns the learning rate for optimizer step t (0 for the first step), matching
// PyTorch's scheduler of the same name stepped once per optimizer step. `lr` is the base rate.

function check(name: string, o: Record<string, number>): void {
  for (const [k, v] of Object.entries(o)) {
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw new RangeError(
        `schedules.${name}: ${k} must be a finite number ≥ 0, got ${typeof v === 'number' ? v : JSON.stringify(v)}`,
      );
    }
  }
}
function positiveInt(name: string, key: string, v: number): void {
  if (!(Number.isInteger(v) && v > 0))
    throw new RangeError(`schedules.${name}: ${key} must be an integer > 0, got ${v}`);
}

export const constant = (lr: number): Schedule => {
  check('constant', { lr });
  return () => lr;
};

/** StepLR: lr·γ^⌊t / stepSize⌋. */
export function step(o: { lr: number; stepSize: number; gamma?: number }): Schedule {
  const { lr, stepSize, gamma = 0.1 } = o;
  check('step', { lr, gamma });
  positiveInt('step', 'stepSize', stepSize);
  return (t) => lr * gamma ** Math.floor(t / stepSize);
}

/** MultiStepLR: lr·γ^(number of milestones ≤ t). */
export function multiStep(o: { lr: number; milestones: readonly number[]; gamma?: number }): Schedule {
  const { lr, milestones, gamma = 0.1 } = o;
  check('multiStep', { lr, gamma });
  for (const m of milestones) positiveInt('multiStep', 'milestones[]', m);
  return (t) => lr * gamma ** milestones.filter((m) => m <= t).length;
}

/** ExponentialLR: lr·γᵗ. */
export function exponential(o: { lr: number; gamma: number }): Schedule {
  check('exponential', o);
  return (t) => o.lr * o.gamma ** t;
}

const cosineAt = (lr: number, min: number, t: number, period: number): number =>
  min + ((lr - min) * (1 + Math.cos((Math.PI * t) / period))) / 2;

/** CosineAnnealingLR: from lr down to `min` over `period` steps, then back up, as PyTorch continues. */
export function cosine(o: { lr: number; period: number; min?: number }): Schedule {
  const { lr, period, min = 0 } = o;
  check('cosine', { lr, min });
  positiveInt('cosine', 'period', period);
  return (t) => cosineAt(lr, min, t, period);
}

/** CosineAnnealingWarmRestarts (SGDR, Loshchilov & Hutter 2017): restarts after `period`, then period·mult, … */
export function cosineWarmRestarts(o: { lr: number; period: number; mult?: number; min?: number }): Schedule {
  const { lr, period, mult = 1, min = 0 } = o;
  check('cosineWarmRestarts', { lr, min });
  positiveInt('cosineWarmRestarts', 'period', period);
  positiveInt('cosineWarmRestarts', 'mult', mult);
  return (t) => {
    let start = 0;
    let length = period;
    while (t >= start + length) {
      start += length;
      length *= mult;
    }
    return cosineAt(lr, min, t - start, length);
  };
}

/** LinearLR: lr times a factor going from `start` to `end` over `steps` steps. */
export function linear(o: { lr: number; start?: number; end?: number; steps?: number }): Schedule {
  const { lr, start = 1 / 3, end = 1, steps = 5 } = o;
  check('linear', { lr, start, end });
  positiveInt('linear', 'steps', steps);
  return (t) => lr * (start + ((end - start) * Math.min(t, steps)) / steps);
}

/** SequentialLR: `schedules[i]` from `milestones[i − 1]` on, each counting its steps from 0. */
export function sequential(schedules: readonly Schedule[], milestones: readonly number[]): Schedule {
  if (schedules.length !== milestones.length + 1) {
    throw new RangeError(
      `schedules.sequential: ${schedules.length} schedules need ${schedules.length - 1} milestones, got ${milestones.length}`,
    );
  }
  milestones.forEach((m, i) => {
    positiveInt('sequential', 'milestones[]', m);
    if (i > 0 && m <= milestones[i - 1]!)
      throw new RangeError(`schedules.sequential: milestones must increase, got ${milestones.join(', ')}`);
  });
  return (t) => {
    let i = 0;
    while (i < milestones.length && t >= milestones[i]!) i++;
    return schedules[i]!(t - (i > 0 ? milestones[i - 1]! : 0));
  };
}

/** A linear warm-up from start·lr over `steps` steps, then `schedule` from its own step 0. */
export function warmup(schedule: Schedule, o: { steps: number; start?: number }): Schedule {
  const { steps, start = 0 } = o;
  return sequential([linear({ lr: schedule(0), start, end: 1, steps }), schedule], [steps]);
}

/**
 * OneCycleLR (Smith & Topin 2019): from maxLr/divFactor up to maxLr over pct·total steps, then down to
 * maxLr/(divFactor·finalDivFactor); `threePhase` comes back to the start before the final descent.
 */
export function oneCycle(o: {
  maxLr: number;
  total: number;
  pct?: number;
  anneal?: 'cos' | 'linear';
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
}): Schedule {
  const { maxLr, total, pct = 0.3, anneal = 'cos', divFactor = 25, finalDivFactor = 1e4, threePhase = false } = o;
  check('oneCycle', { maxLr, pct, divFactor, finalDivFactor });
  positiveInt('oneCycle', 'total', total);
  if (pct > 1) throw new RangeError(`schedules.oneCycle: pct must be in [0, 1], got ${pct}`);
  if (anneal !== 'cos' && anneal !== 'linear')
    throw new RangeError(`schedules.oneCycle: anneal must be 'cos' or 'linear', got ${JSON.stringify(anneal)}`);
  const initial = maxLr / divFactor;
  const min = initial / finalDivFactor;
  const phases = threePhase
    ? [
        { end: pct * total - 1, from: initial, to: maxLr },
        { end: 2 * pct * total - 2, from: maxLr, to: initial },
        { end: total - 1, from: initial, to: min },
      ]
    : [
        { end: pct * total - 1, from: initial, to: maxLr },
        { end: total - 1, from: maxLr, to: min },
      ];
  const shape =
    anneal === 'cos'
      ? (a: number, b: number, f: number) => b + ((a - b) / 2) * (Math.cos(Math.PI * f) + 1)
      : (a: number, b: number, f: number) => (b - a) * f + a;
  return (t) => {
    if (t >= total) throw new RangeError(`schedules.oneCycle: step ${t} is past the ${total} total steps`);
    let begin = 0;
    for (let i = 0; i < phases.length; i++) {
      const p = phases[i]!;
      if (t <= p.end || i === phases.length - 1) return shape(p.from, p.to, (t - begin) / (p.end - begin));
      begin = p.end;
    }
    return min;
  };
}
