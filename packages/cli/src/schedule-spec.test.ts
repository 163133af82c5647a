import { describe, expect, it } from 'vitest';
import { scheduleChoice } from './schedule-spec.js';

describe('schedule specs', () => {
  it("make ours from the optimizer's rate, with period and total defaulting to the run's steps", () => {
    const cosine = scheduleChoice('--schedule', 'cosine').create(0.1, 100);
    expect([cosine(0), cosine(50)]).toEqual([0.1, expect.closeTo(0.05, 12)]);
    const step = scheduleChoice('--schedule', 'step:stepSize=10,gamma=0.5').create(0.1, 100);
    expect([step(9), step(10), step(25)]).toEqual([0.1, 0.05, 0.025]);
    const cycle = scheduleChoice('--schedule', 'oneCycle').create(0.1, 100);
    expect(cycle(0)).toBeCloseTo(0.1 / 25, 12); // up from maxLr / divFactor, maxLr being the optimizer's rate
  });

  it("make PyTorch's from PyTorch's names, and put a warm-up in front of either", () => {
    const torch = scheduleChoice('--schedule', 'StepLR:step_size=2,gamma=0.1').create(1, 100);
    expect([torch(1), torch(2)]).toEqual([1, 0.1]);
    const warm = scheduleChoice('--schedule', 'cosine:period=10,warmup=4').create(1, 100);
    expect([warm(0), warm(2), warm(4)]).toEqual([0, 0.5, 1]);
  });

  it('refuse values the schedule refuses, naming the spec', () => {
    expect(() => scheduleChoice('--schedule', 'step:gamma=0.5')).toThrow(
      '--schedule "step:gamma=0.5": schedules.step: stepSize must be an integer > 0, got undefined',
    );
  });
});
