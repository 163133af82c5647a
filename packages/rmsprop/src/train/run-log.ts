import type { Callback } from './callback.js';

export interface RunLogOptions {
  /** Write a line for every step (default true), or only every this many steps; false: epochs only. */
  steps?: boolean | number;
  name?: string;
}

/** JSON for a log record; NaN and ±Infinity, which JSON lacks, are written as the strings "NaN", "Infinity", "-Infinity". */
export const logLine = (record: object): string =>
  JSON.stringify(record, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));

/**
 * The run log: one JSON object per line, each with a `type`:
 * - `begin`: epochs, startEpoch, startStep (steps taken before: a resumed run's checkpoint's step, else 0),
 *   stepsPerEpoch, seed, optimizer, parameters, time (ISO 8601);
 * - `step`: epoch, batch, step, size, lr, loss, each metric, seconds;
 * - `epoch`: epoch, step, lr, loss and metrics (averaged over the epoch), testLoss and test metrics, seconds;
 * - `end`: epoch, step, stopped (null, or by, message, epoch, step), error (a message, when the run failed).
 * `write` gets each line without its newline.
 */
export function runLog(write: (line: string) => void, o: RunLogOptions = {}): Callback {
  const { steps = true, name = 'runLog' } = o;
  const every = steps === true ? 1 : steps === false ? 0 : steps;
  if (!Number.isInteger(every) || every < 0)
    throw new RangeError(`runLog: steps must be true, false or an integer ≥ 1, got ${steps}`);
  let began = 0;
  return {
    name,
    onTrainBegin(ctx) {
      began = performance.now();
      write(
        logLine({
          type: 'begin',
          epochs: ctx.epochs,
          startEpoch: ctx.startEpoch,
          startStep: ctx.step,
          stepsPerEpoch: ctx.stepsPerEpoch,
          seed: ctx.seed,
          optimizer: ctx.optimizer.constructor.name,
          parameters: ctx.model.parameterCount,
          time: new Date().toISOString(),
        }),
      );
    },
    onStepEnd(_, log) {
      if (every > 0 && log.step % every === 0) write(logLine({ type: 'step', ...log }));
    },
    onEpochEnd(_, log) {
      write(logLine({ type: 'epoch', ...log }));
    },
    onTrainEnd(ctx, _, error) {
      write(
        logLine({
          type: 'end',
          epoch: ctx.epoch,
          step: ctx.step,
          stopped: ctx.stopped,
          ...(error === null ? {} : { error: error instanceof Error ? error.message : String(error) }),
          seconds: (performance.now() - began) / 1000,
        }),
      );
    },
  };
}
