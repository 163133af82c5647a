// Sequences are checked against PyTorch in conformance.test.ts; here: composition, use in an
// optimizer, and one test per bad input.
import { describe, expect, it } from 'vitest';
import { SGD } from '../sgd.js';
import { ReduceLROnPlateau } from './reduce-on-plateau.js';
import * as schedules from './schedules.js';
import { scheduleFromTorch } from './torch-names.js';

describe('warmup', () => {
  it('rises linearly to the schedule, which then starts from its own step 0', () => {
    const s = schedules.warmup(schedules.exponential({ lr: 1, gamma: 0.5 }), { steps: 4 });
    expect([0, 1, 2, 3, 4, 5, 6].map(s)).toEqual([0, 0.25, 0.5, 0.75, 1, 0.5, 0.25]);
  });
});

describe('a schedule in an optimizer', () => {
  it('is evaluated at the optimizer step count', () => {
    const p = { w: Float32Array.of(0) };
    const opt = new SGD(p, { lr: schedules.step({ lr: 1, stepSize: 2, gamma: 0.1 }) });
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      seen.push(opt.lr);
      opt.step({ w: Float32Array.of(1) });
    }
    expect(seen.map((x) => +x.toPrecision(6))).toEqual([1, 1, 0.1, 0.1]);
    expect(p.w[0]).toBeCloseTo(-2.2, 6);
  });
});

describe('ReduceLROnPlateau', () => {
  it('cuts the rate after patience bad steps and waits out the cooldown', () => {
    const opt = new SGD({ w: Float32Array.of(0) }, { lr: 1 });
    const plateau = new ReduceLROnPlateau(opt, { patience: 1, factor: 0.5, cooldown: 1 });
    const lrs = [1, 1, 1, 1, 1, 1].map((m) => (plateau.step(m), opt.lr));
    expect(lrs).toEqual([1, 1, 0.5, 0.5, 0.5, 0.25]);
  });
  const bad: [string, Record<string, unknown>, string][] = [
    ['mode', { mode: 'up' }, `ReduceLROnPlateau: mode must be 'min' or 'max', got "up"`],
    ['factor', { factor: 1 }, 'ReduceLROnPlateau: factor must be in [0, 1), got 1'],
    ['patience', { patience: -1 }, 'ReduceLROnPlateau: patience must be an integer ≥ 0, got -1'],
    ['thresholdMode', { thresholdMode: 'pct' }, `ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', got "pct"`],
    ['minLr', { minLr: -1 }, 'ReduceLROnPlateau: minLr must be a finite number ≥ 0, got -1'],
  ];
  it.each(bad)('refuses a bad %s', (_, o, message) => {
    expect(() => new ReduceLROnPlateau(new SGD({ w: Float32Array.of(0) }), o)).toThrow(message);
  });
  it('refuses a schedule-driven optimizer and a non-finite metric', () => {
    const scheduled = new SGD({ w: Float32Array.of(0) }, { lr: schedules.constant(1) });
    expect(() => new ReduceLROnPlateau(scheduled)).toThrow('every group needs a numeric learning rate');
    const plateau = new ReduceLROnPlateau(new SGD({ w: Float32Array.of(0) }));
    expect(() => plateau.step(NaN)).toThrow('ReduceLROnPlateau.step: the metric must be finite, got NaN');
  });
});

describe('bad schedule inputs', () => {
  const cases: [string, () => unknown, string][] = [
    ['negative lr', () => schedules.constant(-1), 'schedules.constant: lr must be a finite number ≥ 0, got -1'],
    [
      'zero step size',
      () => schedules.step({ lr: 1, stepSize: 0 }),
      'schedules.step: stepSize must be an integer > 0, got 0',
    ],
    [
      'fractional period',
      () => schedules.cosine({ lr: 1, period: 2.5 }),
      'schedules.cosine: period must be an integer > 0, got 2.5',
    ],
    [
      'NaN gamma',
      () => schedules.exponential({ lr: 1, gamma: NaN }),
      'schedules.exponential: gamma must be a finite number ≥ 0, got NaN',
    ],
    [
      'milestone 0',
      () => schedules.multiStep({ lr: 1, milestones: [0] }),
      'schedules.multiStep: milestones[] must be an integer > 0, got 0',
    ],
    [
      'too few milestones',
      () => schedules.sequential([schedules.constant(1), schedules.constant(2)], []),
      'schedules.sequential: 2 schedules need 1 milestones, got 0',
    ],
    [
      'decreasing milestones',
      () => schedules.sequential([schedules.constant(1), schedules.constant(2), schedules.constant(3)], [5, 3]),
      'schedules.sequential: milestones must increase, got 5, 3',
    ],
    [
      'one-cycle pct above 1',
      () => schedules.oneCycle({ maxLr: 1, total: 10, pct: 2 }),
      'schedules.oneCycle: pct must be in [0, 1], got 2',
    ],
    [
      'one-cycle past its end',
      () => schedules.oneCycle({ maxLr: 1, total: 10 })(10),
      'schedules.oneCycle: step 10 is past the 10 total steps',
    ],
    [
      'an unknown torch scheduler',
      () => scheduleFromTorch('PolynomialLR', {}, 1),
      "torch scheduler 'PolynomialLR' is not known",
    ],
  ];
  it.each(cases)('%s', (_, make, message) => expect(make).toThrow(message));
});
