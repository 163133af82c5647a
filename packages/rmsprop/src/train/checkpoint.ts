import type { Tensor } from '../tensor/index.js';
import type { Callback, FitContext } from './callback.js';
import { FIT_FORMAT, type FitCheckpointConfig, type TrainingCheckpoint } from './resume.js';

/**
 * Everything needed to continue a run exactly: parameters and buffers, the optimizer's state, the step,
 * the generators' states and the callbacks' states with the last completed epoch (as `config`). Taken
 * within an epoch (at the end of a step, or when a run stopped there ends), `config.progress` also
 * holds how far that epoch had gone, and `fit` resumes at its next batch.
 */
export function trainingCheckpoint(ctx: FitContext): TrainingCheckpoint {
  const model: Record<string, Tensor> = Object.fromEntries([
    ...ctx.model.namedParameters(),
    ...ctx.model.namedBuffers(),
  ]);
  const progress = ctx.epochProgress();
  const config: FitCheckpointConfig = {
    format: FIT_FORMAT,
    epoch: progress ? ctx.epoch - 1 : ctx.epoch,
    callbacks: ctx.callbackStates(),
    ...(progress ? { progress } : {}),
  };
  return { model, optimizer: ctx.optimizer.stateDict(), step: ctx.step, rng: ctx.rngState(), config };
}

export interface CheckpointOptions {
  /** Where to write: `{epoch}` in the path is replaced by the epoch (without it, each save replaces the last). */
  path: string | ((epoch: number) => string);
  /** Every this many epochs; default 1. */
  every?: number;
  /** How to write: io's `saveCheckpoint` (Node; atomic), or any function of the same shape. */
  save: (path: string, checkpoint: TrainingCheckpoint) => Promise<void>;
  name?: string;
}

/**
 * Saves a checkpoint (see `trainingCheckpoint`) at the end of every `every`-th epoch, after the other
 * callbacks have updated their state. Resume with `fit(model, optimizer, { …, resume: await loadCheckpoint(path) })`.
 * `saved` lists the paths written.
 */
export function checkpoint(o: CheckpointOptions): Callback & { readonly saved: string[] } {
  const { path, every = 1, save, name = 'checkpoint' } = o;
  if (!Number.isInteger(every) || every < 1)
    throw new RangeError(`checkpoint: every must be an integer ≥ 1, got ${every}`);
  if (typeof path !== 'string' && typeof path !== 'function')
    throw new TypeError('checkpoint: path must be a string or a function of the epoch');
  const saved: string[] = [];
  return {
    name,
    runsLast: true,
    saved,
    async onEpochEnd(ctx, log) {
      if (log.epoch % every !== 0) return;
      const where = typeof path === 'function' ? path(log.epoch) : path.replaceAll('{epoch}', String(log.epoch));
      await save(where, trainingCheckpoint(ctx));
      saved.push(where);
    },
  };
}
