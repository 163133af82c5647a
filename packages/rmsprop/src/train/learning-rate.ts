import { ReduceLROnPlateau, type PlateauOptions, type Schedule } from '../optim/index.js';
import type { Callback } from './callback.js';
import { finiteOrNull, modeOf, monitorOf, valueOf } from './monitor.js';

/**
 * A learning-rate schedule for the run. Per step (the default) it becomes every group's `lr`, which the
 * optimizer evaluates at its own step count before each update, so a resumed run picks it up where it
 * was. Per epoch, the rate is set to `schedule(epoch − 1)` as each epoch begins.
 */
export function learningRateSchedule(schedule: Schedule, o: { per?: 'step' | 'epoch'; name?: string } = {}): Callback {
  const { per = 'step', name = 'learningRateSchedule' } = o;
  if (typeof schedule !== 'function') throw new TypeError('learningRateSchedule: expected a schedule (step) => lr');
  if (per !== 'step' && per !== 'epoch')
    throw new RangeError(`learningRateSchedule: per must be 'step' or 'epoch', got ${JSON.stringify(per)}`);
  return per === 'step'
    ? {
        name,
        onTrainBegin(ctx) {
          for (const g of ctx.optimizer.paramGroups) g.options.lr = schedule;
        },
      }
    : {
        name,
        onEpochBegin(ctx) {
          ctx.optimizer.lr = schedule(ctx.epoch - 1);
        },
      };
}

export interface ReduceLROnPlateauOptions extends Partial<Omit<PlateauOptions, 'mode'>> {
  /** The epoch value to watch; default `testLoss` with a held-out set, else `loss`. */
  monitor?: string;
  /** 'auto' (default): 'max' for accuracies, 'min' otherwise. */
  mode?: 'min' | 'max' | 'auto';
  name?: string;
}

/**
 * PyTorch's ReduceLROnPlateau (optim's), stepped with the monitored value at the end of every epoch.
 * A non-finite value is passed over (stopping on it is the NaN guard's work). Its state goes into checkpoints.
 */
export function reduceLROnPlateau(o: ReduceLROnPlateauOptions = {}): Callback {
  const { monitor: given, mode = 'auto', name = 'reduceLROnPlateau', ...options } = o;
  let plateau: ReduceLROnPlateau | null = null;
  let pending: { best: number | null; badSteps: number; cooldownLeft: number } | null = null;
  const make = (target: ConstructorParameters<typeof ReduceLROnPlateau>[0], monitor: string) => {
    const p = new ReduceLROnPlateau(target, { ...options, mode: modeOf(mode, monitor) });
    if (pending) {
      p.best = pending.best ?? p.best;
      [p.badSteps, p.cooldownLeft] = [pending.badSteps, pending.cooldownLeft];
      pending = null;
    }
    return p;
  };
  return {
    name,
    onTrainBegin() {
      plateau = null;
    },
    onEpochEnd(ctx, log) {
      const monitor = monitorOf(given, log);
      const v = valueOf(name, log, monitor);
      plateau ??= make(ctx.optimizer, monitor);
      if (Number.isFinite(v)) plateau.step(v);
    },
    stateDict: () =>
      plateau
        ? { best: finiteOrNull(plateau.best), badSteps: plateau.badSteps, cooldownLeft: plateau.cooldownLeft }
        : (pending ?? { best: null, badSteps: 0, cooldownLeft: 0 }),
    loadStateDict(s) {
      pending = s as typeof pending;
      plateau = null;
    },
  };
}
