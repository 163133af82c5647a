import { describe, expect, it } from 'vitest';
import { configure, describe as describeConfig, kindById, optimizerKinds, type Options } from './optimizer-kinds.js';

const rmsprop = kindById('rmsprop')!;

/**
 * Takes `steps` steps on a 2-element parameter with fixed pseudo-random gradients and checks, after each,
 * that the parameter moved by −effectiveStep·u, u being what the effective step multiplies (the
 * gradient, or Adam's bias-corrected mean).
 */
function checkEffectiveStep(kindId: string, options: Options, steps = 20): void {
  const config = configure(kindById(kindId)!, options);
  const p = Float32Array.of(0.5, -1);
  const opt = config.kind.create({ xy: p }, config.options);
  for (let t = 1; t <= steps; t++) {
    const g = Float32Array.of(Math.sin(t) * 3, Math.cos(3 * t) * 0.01);
    const before = Float64Array.from(p);
    opt.step({ xy: g });
    const state = opt.stateDict().state.xy!;
    const effective = config.kind.effectiveStep(config.options, state, 2);
    const u =
      kindId === 'adam'
        ? Array.from(state.buffers.expAvg!, (m) => m / (1 - (config.options.beta1 as number) ** t))
        : Array.from(g);
    for (let i = 0; i < 2; i++) {
      const moved = p[i]! - before[i]!;
      expect(moved).toBeCloseTo(-effective[i]! * u[i]!, 6);
    }
  }
}

describe('effectiveStep', () => {
  it.each([
    ['rmsprop', {}],
    ['rmsprop', { epsInSqrt: true, eps: 1e-3 }],
    ['rmsprop', { centered: true, decay: 0.8 }],
    ['rmsprop', { initialAccumulator: 1, epsInSqrt: true }],
    ['adam', { lr: 0.01 }],
    ['adam', { amsgrad: true, beta2: 0.9 }],
    ['sgd', { lr: 0.1 }],
    ['adagrad', { lr: 0.3 }],
    ['adagrad', { epsInSqrt: true, eps: 0.01, initialAccumulator: 0.1 }],
  ] as const)('of %s %j is the step the library took', (kind, options) => checkEffectiveStep(kind, options));

  it('is lr/(√v + ε) per coordinate for plain RMSProp', () => {
    const o = configure(rmsprop, { lr: 0.01, eps: 1e-8 }).options;
    const [a, b] = rmsprop.effectiveStep(o, { step: 1, buffers: { squareAvg: [4, 1e-6] } }, 2);
    expect(a).toBeCloseTo(0.01 / (2 + 1e-8), 12);
    expect(b).toBeCloseTo(0.01 / (1e-3 + 1e-8), 6);
  });
});

describe('configure', () => {
  it('fills in the library defaults and drops keys the kind does not show', () => {
    const c = configure(rmsprop, { momentum: 0.9, beta1: 0.5 });
    expect(c.options).toMatchObject({ lr: 1e-3, decay: 0.9, eps: 1e-8, momentum: 0.9, centered: false });
    expect(c.options).not.toHaveProperty('beta1');
  });

  it('gives every kind a default for each of its settings', () => {
    for (const kind of optimizerKinds) {
      for (const s of kind.settings) {
        expect(typeof kind.defaults[s.key]).toBe(s.type === 'switch' ? 'boolean' : 'number');
        if (s.type === 'number') {
          expect(s.min).toBeLessThan(s.max);
          if (s.scale === 'log') expect(s.min).toBeGreaterThan(0);
        }
      }
    }
  });
});

describe('describe', () => {
  it('names the kind, the options that differ from the defaults, and the learning rate', () => {
    expect(describeConfig(configure(rmsprop, { lr: 0.005 }))).toBe('RMSProp (lr 0.005)');
    expect(describeConfig(configure(rmsprop, { momentum: 0.9, centered: true }))).toBe(
      'RMSProp, momentum 0.9, centered (lr 0.001)',
    );
  });
});
