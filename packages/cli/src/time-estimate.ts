import type { Callback } from 'rmsprop/train';
import { about } from './format.js';

/** What a command trains, as its time estimate describes it. */
export interface Job {
  /** Runs in all, tuning runs included, each of `epochs` epochs. */
  runs: number;
  /** How many of the runs tune a learning rate. */
  tuning: number;
  epochs: number;
  /** The flags that would shorten the job (`--epochs`, `--seeds`), named in the estimate. */
  shorten: readonly string[];
}

// The pace is measured over this many steps after the first (which warms up), or as many as this many
// seconds hold, whichever comes first: enough for a steady figure, soon enough to stop a long job early.
const MEASURED_STEPS = 20;
const MEASURED_SECONDS = 5;

/** Seconds left of a job: the steps left of the run under way and every step of the runs after it, at one pace. */
export function secondsLeft(o: {
  stepsLeft: number;
  runsAfter: number;
  stepsPerRun: number;
  secondsPerStep: number;
}): number {
  return (o.stepsLeft + o.runsAfter * o.stepsPerRun) * o.secondsPerStep;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `time left: ~2.7 h for 6 runs × 100 epochs (~19 s an epoch); shorten with --epochs or --seeds` */
export function estimateLine(job: Job, seconds: number, epochSeconds: number): string {
  const tuning = job.tuning > 0 ? ` (${job.tuning} tuning)` : '';
  const runs = job.runs === 1 ? '' : `${plural(job.runs, 'run')}${tuning} × `;
  const flags =
    job.shorten.length > 1 ? `${job.shorten.slice(0, -1).join(', ')} or ${job.shorten.at(-1)}` : job.shorten[0];
  return (
    `time left: ${about(seconds)} for ${runs}${plural(job.epochs, 'epoch')} (${about(epochSeconds)} an epoch)` +
    (flags ? `; shorten with ${flags}` : '')
  );
}

/**
 * A job's time estimate, printed once: by the first of its runs to measure its pace over the steps after
 * its first (test-set evaluations are not counted, so it errs short by their time).
 */
export class TimeEstimate {
  #printed = false;

  constructor(readonly job: Job) {}

  /** The callback of a run followed by `runsAfter` others of the job (the same size), printing with `print`. */
  callback(runsAfter: number, print: (line: string) => void): Callback {
    let from: { time: number; step: number } | null = null;
    return {
      name: 'timeEstimate',
      onStepEnd: (ctx) => {
        const stepsPerEpoch = ctx.stepsPerEpoch;
        if (this.#printed || !stepsPerEpoch) return;
        const time = performance.now();
        if (!from) return void (from = { time, step: ctx.step });
        const steps = ctx.step - from.step;
        const seconds = (time - from.time) / 1000;
        if (steps < MEASURED_STEPS && seconds < MEASURED_SECONDS) return;
        const secondsPerStep = seconds / steps;
        const left = secondsLeft({
          stepsLeft: (ctx.epochs - ctx.epoch + 1) * stepsPerEpoch - ctx.batch,
          runsAfter,
          stepsPerRun: ctx.epochs * stepsPerEpoch,
          secondsPerStep,
        });
        print(estimateLine(this.job, left, stepsPerEpoch * secondsPerStep));
        this.#printed = true;
      },
    };
  }
}
