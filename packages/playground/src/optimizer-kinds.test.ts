import { describe, expect, it } from 'vitest';
import { configure, describe as describeConfig, kindById, optimizerKinds } from './optimizer-kinds.js';

const rmsprop = kindById('rmsprop')!;

describe('optimizerKinds', () => {
  it("build the library's optimizers through its registry", () => {
    const opt = rmsprop.create({ xy: Float32Array.of(1, 1) }, { lr: 0.1 });
    expect(opt.kind).toBe('rmsprop');
    opt.step({ xy: Float32Array.of(1, -1) });
    expect(Array.from(opt.effectiveStep('xy'))).toHaveLength(2);
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
