import type { FitContext, StepLog } from 'rmsprop/train';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { estimateLine, secondsLeft, TimeEstimate, type Job } from './time-estimate.js';

const compare: Job = { runs: 6, tuning: 0, epochs: 100, shorten: ['--epochs', '--seeds'] };

describe('the time estimate', () => {
  afterEach(() => void vi.useRealTimers());

  it('counts the steps left of the run under way and all those of the runs after it', () => {
    expect(secondsLeft({ stepsLeft: 100, runsAfter: 0, stepsPerRun: 1000, secondsPerStep: 0.5 })).toBe(50);
    expect(secondsLeft({ stepsLeft: 100, runsAfter: 5, stepsPerRun: 1000, secondsPerStep: 0.5 })).toBe(2550);
  });

  it('says how long, for what, and how to shorten it', () => {
    // The README's fmnist_mlp comparison: 6 runs × 100 epochs at 19 s an epoch.
    expect(estimateLine(compare, 6 * 100 * 19, 19)).toBe(
      'time left: ~3.2 h for 6 runs × 100 epochs (~19 s an epoch); shorten with --epochs or --seeds',
    );
    expect(
      estimateLine({ runs: 16, tuning: 10, epochs: 1, shorten: ['--epochs', '--seeds', '--grid-size'] }, 1500, 95),
    ).toBe(
      'time left: ~25 min for 16 runs (10 tuning) × 1 epoch (~2 min an epoch); shorten with --epochs, --seeds or --grid-size',
    );
    expect(estimateLine({ runs: 1, tuning: 0, epochs: 10, shorten: ['--epochs'] }, 2100, 210)).toBe(
      'time left: ~35 min for 10 epochs (~4 min an epoch); shorten with --epochs',
    );
  });

  it('prints once a job, after 20 steps past the first, or 5 seconds, whichever comes first', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const estimate = new TimeEstimate(compare);
    const lines: string[] = [];
    // 100 steps an epoch, 100 epochs; steps of 10 ms: printed after step 21.
    const steps = (from: number, to: number, ms: number, runsAfter: number) => {
      const c = estimate.callback(runsAfter, (l) => lines.push(l));
      const before = lines.length;
      for (let step = from; step <= to; step++) {
        vi.advanceTimersByTime(ms);
        const ctx = {
          stepsPerEpoch: 100,
          epochs: 100,
          epoch: Math.ceil(step / 100),
          batch: ((step - 1) % 100) + 1,
          step,
        };
        c.onStepEnd!(ctx as FitContext, {} as StepLog);
        if (lines.length > before) return step;
      }
      return null;
    };
    expect(steps(1, 30, 10, 5)).toBe(21);
    // 10 ms a step: 9979 steps left of this run and 5 runs of 10 000 after it; 1 s an epoch.
    expect(lines).toEqual([estimateLine(compare, (9979 + 50_000) * 0.01, 1)]);
    expect(lines[0]).toBe(
      'time left: ~10 min for 6 runs × 100 epochs (~1 s an epoch); shorten with --epochs or --seeds',
    );
    // Once a job: a later run prints nothing.
    expect(steps(1, 50, 10, 4)).toBe(null);

    // Slow steps: measured after 5 s (the 6th step past the first), before 20 steps.
    const slow: string[] = [];
    const c = new TimeEstimate(compare).callback(0, (l) => slow.push(l));
    for (let step = 1; step <= 7 && slow.length === 0; step++) {
      vi.advanceTimersByTime(1000);
      c.onStepEnd!({ stepsPerEpoch: 100, epochs: 100, epoch: 1, batch: step, step } as FitContext, {} as StepLog);
      if (step < 6) expect(slow).toEqual([]);
    }
    expect(slow).toEqual([
      'time left: ~2.8 h for 6 runs × 100 epochs (~2 min an epoch); shorten with --epochs or --seeds',
    ]);
  });
});
