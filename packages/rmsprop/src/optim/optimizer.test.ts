// The stateful facade: groups, state by name, state dicts, options changed mid-run, non-finite gradients,
// EMA, and views of WebAssembly memory that must survive its growth.
import { describe, expect, it } from 'vitest';
import { F32Block, heap, threadsAvailable } from '../kernels/index.js';
import { Adam, AdamW, NonFiniteGradientError, RMSprop, SGD, schedules, type OptimizerStateDict } from './index.js';

const f32 = (...v: number[]) => Float32Array.from(v);
const params = () => ({ w: f32(0.5, -1, 2), b: f32(0.1) });
const grads = (k = 1) => ({ w: f32(0.3 * k, -0.2, 0.1), b: f32(-0.4 * k) });

describe('parameter groups', () => {
  it('apply their own options (no decay on biases)', () => {
    const p = params();
    const opt = new RMSprop(
      [
        { params: { w: p.w }, weightDecay: 0.5 },
        { params: { b: p.b }, lr: 0 },
      ],
      { lr: 0.1 },
    );
    opt.step(grads());
    expect(p.b[0]).toBe(Math.fround(0.1));
    expect(p.w[0]).not.toBe(Math.fround(0.5));
    expect(opt.paramGroups[0]!.options.weightDecay).toBe(0.5);
    expect(opt.paramGroups[1]!.options.weightDecay).toBe(0);
  });

  it('take options in the flavor of the optimizer', () => {
    const p = params();
    const opt = new RMSprop([{ params: { w: p.w }, alpha: 0.5 }, { params: { b: p.b } }], {
      flavor: 'pytorch',
      lr: 0.1,
    });
    expect(opt.paramGroups[0]!.options.decay).toBe(0.5);
    expect(opt.paramGroups[1]!.options.decay).toBe(0.99);
  });

  it('can be added later', () => {
    const p = params();
    const opt = new SGD({ w: p.w }, { lr: 0.1 });
    opt.addParamGroup({ params: { b: p.b }, lr: 1 });
    opt.step(grads());
    expect(p.b[0]).toBeCloseTo(0.5, 6);
  });
});

describe('state by name', () => {
  it('does not depend on the order or completeness of the gradients', () => {
    const a = params();
    const b = params();
    const oa = new Adam(a, { lr: 0.1 });
    const ob = new Adam(b, { lr: 0.1 });
    oa.step(grads());
    ob.step({ b: grads().b, w: grads().w });
    oa.step({ w: grads(2).w });
    ob.step({ w: grads(2).w });
    expect(a).toEqual(b);
    // A parameter without a gradient is left alone and its step count does not advance (PyTorch).
    expect(oa.stateDict().state.w!.step).toBe(2);
    expect(oa.stateDict().state.b!.step).toBe(1);
  });

  it('reads gradients from { data, grad } parameters, and zeroGrad clears them', () => {
    const w = { data: f32(1, 2), grad: f32(1, 1) };
    const opt = new SGD({ w }, { lr: 0.5 });
    opt.step();
    expect(Array.from(w.data)).toEqual([0.5, 1.5]);
    opt.zeroGrad();
    expect(Array.from(w.grad)).toEqual([0, 0]);
  });
});

describe('stateDict', () => {
  const run = (opt: RMSprop, steps: number[]) => steps.forEach((k) => opt.step(grads(k)));
  const options = { lr: 0.05, momentum: 0.9, centered: true };

  it('round-trips through JSON and continues exactly as the uninterrupted run', () => {
    const straight = params();
    run(new RMSprop(straight, options), [1, 2, 3, 4]);

    const first = params();
    const a = new RMSprop(first, options);
    run(a, [1, 2]);
    const json = JSON.stringify(a.stateDict(), (_, v) => (v instanceof Float32Array ? Array.from(v) : v));
    const resumed = { w: first.w.slice(), b: first.b.slice() };
    const b = new RMSprop(resumed, options);
    b.loadStateDict(JSON.parse(json) as OptimizerStateDict);
    expect(b.stepCount).toBe(2);
    run(b, [3, 4]);
    expect(resumed).toEqual(straight);
  });

  it('is a snapshot, not a view', () => {
    const opt = new RMSprop(params(), options);
    opt.step(grads());
    const sd = opt.stateDict();
    const before = Float32Array.from(sd.state.w!.buffers.squareAvg!);
    opt.step(grads());
    expect(sd.state.w!.buffers.squareAvg).toEqual(before);
  });

  it('keeps a schedule given to the loading optimizer', () => {
    const sched = schedules.exponential({ lr: 0.1, gamma: 0.5 });
    const a = new RMSprop(params(), { lr: sched });
    a.step(grads());
    const b = new RMSprop(params(), { lr: sched });
    b.loadStateDict(a.stateDict());
    expect(b.paramGroups[0]!.options.lr).toBe(sched);
    expect(b.lr).toBeCloseTo(0.05, 12);
  });

  describe('refuses, changing nothing,', () => {
    const saved = () => {
      const opt = new RMSprop(params(), options);
      opt.step(grads());
      return opt.stateDict();
    };
    const target = () => {
      const opt = new RMSprop(params(), options);
      opt.step(grads(5));
      return opt;
    };
    const cases: [string, (sd: OptimizerStateDict) => unknown, RegExp][] = [
      ['another optimizer', (sd) => ({ ...sd, optimizer: 'adam' }), /the state is of adam, this optimizer is rmsprop/],
      ['not a state dict', () => ({ format: 'x' }), /not an optimizer state dict/],
      [
        'a missing parameter',
        (sd) => ({ ...sd, groups: [{ ...sd.groups[0]!, params: ['w'] }] }),
        /group 0 holds \[w\] in the state, \[b, w\] here/,
      ],
      [
        'an unknown parameter',
        (sd) => ({ ...sd, state: { ...sd.state, z: sd.state.w } }),
        /parameter 'z', which this optimizer does not have/,
      ],
      [
        'a wrong shape',
        (sd) => ({ ...sd, state: { ...sd.state, w: { ...sd.state.w!, buffers: { squareAvg: [1, 2] } } } }),
        /buffer 'squareAvg' of 'w' has 2 elements, the parameter 3/,
      ],
      [
        'an unknown buffer',
        (sd) => ({ ...sd, state: { ...sd.state, b: { step: 1, buffers: { expAvg: [0] } } } }),
        /'b' has buffer 'expAvg'/,
      ],
      [
        'non-finite buffers',
        (sd) => ({ ...sd, state: { ...sd.state, b: { step: 1, buffers: { squareAvg: [NaN] } } } }),
        /holds non-finite values/,
      ],
      ['a negative step', (sd) => ({ ...sd, step: -1 }), /step must be an integer ≥ 0/],
      ['another group count', (sd) => ({ ...sd, groups: [] }), /the state has 0 parameter groups, this optimizer 1/],
      [
        'invalid saved options',
        (sd) => ({ ...sd, groups: [{ ...sd.groups[0]!, options: { ...sd.groups[0]!.options, decay: 2 } }] }),
        /decay must be a finite number in \[0, 1\), got 2/,
      ],
      [
        'a buffer of another meaning',
        (sd) => ({ ...sd, groups: [{ ...sd.groups[0]!, options: { ...sd.groups[0]!.options, lrInMomentum: true } }] }),
        /option lrInMomentum is true in the state and false here/,
      ],
    ];
    it.each(cases)('%s', (_, corrupt, message) => {
      const opt = target();
      const before = JSON.stringify(opt.stateDict(), (_, v) => (v instanceof Float32Array ? Array.from(v) : v));
      expect(() => opt.loadStateDict(corrupt(saved()) as OptimizerStateDict)).toThrow(message);
      expect(JSON.stringify(opt.stateDict(), (_, v) => (v instanceof Float32Array ? Array.from(v) : v))).toBe(before);
    });
  });
});

describe('options changed between steps', () => {
  it('turning momentum and centered on creates their buffers', () => {
    const opt = new RMSprop(params(), { lr: 0.01 });
    opt.step(grads());
    opt.paramGroups[0]!.options.momentum = 0.9;
    opt.paramGroups[0]!.options.centered = true;
    opt.step(grads());
    const sd = opt.stateDict();
    expect(Object.keys(sd.state.w!.buffers).sort()).toEqual(['gradAvg', 'momentumBuffer', 'squareAvg']);
    // The new buffers hold exactly one step's worth: ḡ = (1 − decay)·g.
    expect(sd.state.w!.buffers.gradAvg![0]).toBeCloseTo(0.1 * 0.3, 6);
  });

  it('a new learning rate applies from the next step', () => {
    const p = params();
    const opt = new SGD(p, { lr: 0.1 });
    opt.step(grads());
    opt.lr = 1;
    const before = p.w[0]!;
    opt.step(grads());
    expect(p.w[0]).toBeCloseTo(before - 0.3, 6);
  });

  it('an invalid change is refused at the next step, before anything changes', () => {
    const p = params();
    const opt = new RMSprop(p, { lr: 0.01 });
    opt.paramGroups[0]!.options.decay = 1.5;
    expect(() => opt.step(grads())).toThrow(/RMSprop: decay must be a finite number in \[0, 1\), got 1.5/);
    expect(p).toEqual(params());
  });

  it('a schedule that gives an invalid rate is refused', () => {
    const opt = new RMSprop(params(), { lr: (t) => (t === 0 ? 0.1 : NaN) });
    opt.step(grads());
    expect(() => opt.step(grads())).toThrow(/the learning-rate schedule gave NaN at step 1/);
  });
});

describe('non-finite gradients', () => {
  for (const backend of ['wasm', 'js'] as const) {
    it(`raise an error naming the parameter, index and step, changing nothing (${backend})`, () => {
      const p = params();
      const opt = new RMSprop(p, { lr: 0.01, momentum: 0.9, backend });
      opt.step(grads());
      const before = { params: structuredClone(p), state: opt.stateDict() };
      expect(() => opt.step({ w: f32(1, 2, 3), b: f32(Infinity) })).toThrow(NonFiniteGradientError);
      expect(() => opt.step({ w: f32(1, NaN, 3), b: f32(0) })).toThrow(
        "RMSprop.step: the gradient of 'w' is NaN at index 1 (step 1); nothing was changed",
      );
      expect(p).toEqual(before.params);
      expect(opt.stateDict()).toEqual(before.state);
    });
  }

  it('skip the whole step with nonFinite: skip', () => {
    const p = params();
    const opt = new Adam(p, { lr: 0.01, nonFinite: 'skip' });
    expect(opt.step({ w: f32(1, 2, 3), b: f32(NaN) })).toBe(false);
    expect(p).toEqual(params());
    expect(opt.skippedSteps).toBe(1);
    expect(opt.stepCount).toBe(0);
    expect(opt.step(grads())).toBe(true);
  });

  it('a huge but finite gradient is not mistaken for one', () => {
    const p = { w: f32(0) };
    const opt = new SGD(p, { lr: 1e-30 });
    expect(opt.step({ w: f32(3e38) })).toBe(true);
    expect(p.w[0]).toBeCloseTo(-3e8, -3);
  });
});

describe('TensorFlow.js centered RMSProp', () => {
  it('stays finite where tf.train.rmsprop gives NaN (gradients [1, 1e-3, 1e-4, 0])', () => {
    const p = { w: f32(0, 0, 0, 0) };
    new RMSprop(p, { flavor: 'tfjs', learningRate: 0.1, centered: true }).step({ w: f32(1, 1e-3, 1e-4, 0) });
    expect(Array.from(p.w).every(Number.isFinite)).toBe(true);
    expect(p.w[3]).toBe(0);
  });
});

describe('weight EMA', () => {
  it('starts as a copy and follows avg ← m·avg + (1 − m)·w', () => {
    const p = { w: f32(1) };
    const opt = new SGD(p, { lr: 1, ema: 0.5 });
    opt.step({ w: f32(1) }); // w = 0, ema = 0 (copy on the first step)
    opt.step({ w: f32(1) }); // w = −1, ema = 0.5·0 + 0.5·(−1)
    expect(opt.emaWeights().w![0]).toBeCloseTo(-0.5, 7);
  });

  it('overwrites the weights every emaOverwriteEvery steps', () => {
    const p = { w: f32(1) };
    const opt = new SGD(p, { lr: 1, ema: 0.5, emaOverwriteEvery: 2 });
    opt.step({ w: f32(1) });
    opt.step({ w: f32(1) });
    expect(p.w[0]).toBeCloseTo(-0.5, 7);
  });
});

describe('WebAssembly memory', () => {
  it('parameters given as views of it survive its growth', () => {
    const block = new F32Block(5);
    block.array.set([1, 2, 3, 4, 5]);
    const raw = block.array; // a bare view: the optimizer keeps its address, not the view
    const opt = new RMSprop(
      {
        w: raw,
        v: {
          get data() {
            return block.array;
          },
        } as unknown as Float32Array,
      },
      { lr: 0.1 },
    );
    opt.step({ w: f32(1, 1, 1, 1, 1), v: f32(1, 1, 1, 1, 1) });
    const before = heap!.memory.buffer.byteLength;
    const big = new F32Block(before); // 4× the memory: forces growth
    expect(heap!.memory.buffer.byteLength).toBeGreaterThan(before);
    // Detached, as the platform does with a plain memory; a shared one keeps the old view at its length.
    expect(raw.length).toBe(threadsAvailable ? 5 : 0);
    const g = new F32Block(5);
    g.array.fill(1);
    opt.step({ w: g.array, v: f32(1, 1, 1, 1, 1) });
    expect(block.array[0]).toBeLessThan(0.9);
    for (const b of [big, g, block]) b.free();
  });
});

describe('AdamW', () => {
  it('decays weights decoupled, 0.01 by default, and follows the flavor', () => {
    const o = new AdamW(params());
    expect(o.paramGroups[0]!.options).toMatchObject({ weightDecay: 0.01, decoupledWeightDecay: true });
    const k = new AdamW(params(), { flavor: 'keras' });
    expect(k.paramGroups[0]!.options).toMatchObject({ weightDecay: 0.004, eps: 1e-7, epsHat: true });
  });
});
