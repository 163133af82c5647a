// User chains: any chain of the library's transforms, or of one's own, stepped with the presets'
// validation, state by name and state dicts; and equal to the preset it spells out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chain,
  ChainOptimizer,
  clipByGlobalNorm,
  NonFiniteGradientError,
  RMSprop,
  scaleByLearningRate,
  scaleByRms,
  type OptimizerStateDict,
  type Transform,
} from './index.js';
import { heavyBall } from './test-support.js';

/** A transform as a user writes one: signSGD's direction (Bernstein et al. 2018), no state. */
const sign: Transform = { init: () => ({}), update: (updates) => updates.map((u) => u.map(Math.sign)) };

const random = (n: number, seed: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 97.3 + i * 12.9898) * 2);
const params = () => ({ w: random(7, 1), b: random(3, 2) });
const grads = (step: number) => ({ w: random(7, 10 + step), b: random(3, 30 + step) });

describe('ChainOptimizer', () => {
  it("steps the README's chain exactly as the preset it spells out", () => {
    const [mine, theirs] = [params(), params()];
    const user = new ChainOptimizer(
      mine,
      chain(clipByGlobalNorm(1), scaleByRms({ decay: 0.9 }), scaleByLearningRate(1e-3)),
    );
    const preset = new RMSprop(theirs, { lr: 1e-3, decay: 0.9, globalClipNorm: 1, backend: 'js' });
    for (let t = 0; t < 5; t++) {
      user.step(grads(t));
      preset.step(grads(t));
    }
    expect(mine).toEqual(theirs);
    expect(user.lr).toBe(1e-3);
    expect(user.stateDict().state.w!.buffers.squareAvg).toEqual(preset.stateDict().state.w!.buffers.squareAvg);
  });

  it('runs a user-written transform: a signSGD step is −lr·sign(g)', () => {
    const p = { w: Float32Array.of(1, 1, 1) };
    new ChainOptimizer(p, chain(sign, scaleByLearningRate(0.25))).step({ w: Float32Array.of(3, -0.5, 0) });
    expect(Array.from(p.w)).toEqual([0.75, 1.25, 1]);
  });

  it("round-trips a user transform's state through a JSON state dict and goes on exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), (before, after) => {
        const make = (p: ReturnType<typeof params>) =>
          new ChainOptimizer(p, chain(scaleByRms(), heavyBall(0.9), scaleByLearningRate(0.01)), { globalClipNorm: 5 });
        const [a, b] = [params(), params()];
        const first = make(a);
        for (let t = 0; t < before; t++) first.step(grads(t));
        const saved = JSON.parse(
          JSON.stringify(first.stateDict(), (_, v) => (v instanceof Float32Array ? Array.from(v) : v)),
        );
        b.w.set(a.w);
        b.b.set(a.b);
        const second = make(b);
        second.loadStateDict(saved as OptimizerStateDict);
        expect(second.stepCount).toBe(before);
        for (let t = before; t < before + after; t++) {
          first.step(grads(t));
          second.step(grads(t));
        }
        expect(b).toEqual(a);
        expect(Object.keys(saved.state.w.buffers).sort()).toEqual(['squareAvg', 'velocity']);
      }),
      { numRuns: 20 },
    );
  });

  it("reads and sets the chain's learning rate, and restores it from a state dict", () => {
    const opt = new ChainOptimizer(params(), chain(scaleByRms(), scaleByLearningRate(0.1)));
    opt.lr = 0.05;
    opt.step(grads(0));
    const saved = opt.stateDict();
    expect(saved.groups[0]!.options.lr).toBe(0.05);
    const other = new ChainOptimizer(params(), chain(scaleByRms(), scaleByLearningRate(0.1)));
    other.loadStateDict(saved);
    expect(other.lr).toBe(0.05);
    const scheduled = new ChainOptimizer(
      params(),
      scaleByLearningRate((t) => 1 / (t + 1)),
    );
    scheduled.step(grads(0));
    expect(scheduled.lr).toBe(0.5);
  });

  it('refuses what it cannot do, naming it', () => {
    const none = new ChainOptimizer(params(), sign);
    expect(none.lr).toBeNaN();
    expect(() => (none.lr = 0.1)).toThrow(
      'ChainOptimizer: the chain has no scaleByLearningRate link, so there is no learning rate to set',
    );
    const opt = new ChainOptimizer(params(), chain(sign, scaleByLearningRate(0.1)));
    expect(() => (opt.lr = -1)).toThrow('ChainOptimizer: lr must be a finite number ≥ 0, got -1');
    expect(() => new ChainOptimizer(params(), sign, { lr: 0.1 } as object)).toThrow(
      'ChainOptimizer: the learning rate belongs to the chain (scaleByLearningRate(0.1)), not to the options',
    );
    expect(() => new ChainOptimizer(params(), sign, { momentum: 0.9 } as object)).toThrow(
      "ChainOptimizer: unknown option 'momentum'",
    );
    expect(() => new ChainOptimizer(params(), sign, { weightDecay: 0.1, decoupledWeightDecay: true })).toThrow(
      'ChainOptimizer: decoupledWeightDecay must be false unless the chain has a scaleByLearningRate link',
    );
    expect(() => new ChainOptimizer(params(), {} as Transform)).toThrow(
      'ChainOptimizer: expected a transform { init, update }',
    );
    const p = params();
    const w = p.w.slice();
    expect(() =>
      new ChainOptimizer(p, chain(sign, scaleByLearningRate(0.1))).step({ w: Float32Array.of(1, NaN, 0, 0, 0, 0, 0) }),
    ).toThrow(NonFiniteGradientError);
    expect(p.w).toEqual(w);
    expect(() => opt.step({ w: new Float32Array(2) })).toThrow(
      "ChainOptimizer.step: the gradient of 'w' must be a Float32Array of 7 elements, got 2 elements",
    );
  });
});
