// One test per bad input: each is refused at construction (or at the step) with a message that names
// the option, the value and what is allowed.
import { describe, expect, it } from 'vitest';
import { Adadelta, Adagrad, Adam, OptionError, RMSprop, SGD } from './index.js';

const p = () => ({ w: Float32Array.of(1, 2) });
type Any = Record<string, unknown>;
const rms = (o: Any) => () => new RMSprop(p(), o as never);

describe('hyper-parameters', () => {
  const cases: [string, () => unknown, string][] = [
    ['negative learning rate', rms({ lr: -1 }), 'RMSprop: lr must be a finite number ≥ 0, got -1'],
    ['infinite learning rate', rms({ lr: Infinity }), 'RMSprop: lr must be a finite number ≥ 0, got Infinity'],
    ['decay of 1', rms({ decay: 1 }), 'RMSprop: decay must be a finite number in [0, 1), got 1'],
    ['negative decay', rms({ decay: -0.1 }), 'RMSprop: decay must be a finite number in [0, 1), got -0.1'],
    ['ε of 0', rms({ eps: 0 }), 'RMSprop: eps must be a finite number > 0, got 0'],
    ['negative ε', rms({ eps: -1e-8 }), 'RMSprop: eps must be a finite number > 0, got -1e-8'],
    ['momentum of 1', rms({ momentum: 1 }), 'RMSprop: momentum must be a finite number in [0, 1), got 1'],
    [
      'Nesterov without momentum',
      rms({ nesterov: true }),
      'RMSprop: nesterov must be false when momentum is 0 (Nesterov needs momentum), got true',
    ],
    ['negative weight decay', rms({ weightDecay: -0.1 }), 'RMSprop: weightDecay must be a finite number ≥ 0, got -0.1'],
    ['a string for a boolean', rms({ centered: 'yes' }), 'RMSprop: centered must be true or false, got "yes"'],
    [
      'negative initial accumulator',
      rms({ initialAccumulator: -1 }),
      'RMSprop: initialAccumulator must be a finite number ≥ 0, got -1',
    ],
    ['clipNorm of 0', rms({ clipNorm: 0 }), 'RMSprop: clipNorm must be a finite number > 0, got 0'],
    ['negative clipValue', rms({ clipValue: -1 }), 'RMSprop: clipValue must be a finite number > 0, got -1'],
    [
      'negative globalClipNorm',
      rms({ globalClipNorm: -1 }),
      'RMSprop: globalClipNorm must be a finite number > 0, got -1',
    ],
    ['EMA momentum above 1', rms({ ema: 1.5 }), 'RMSprop: ema must be a finite number in [0, 1], got 1.5'],
    [
      'EMA overwrite without EMA',
      rms({ emaOverwriteEvery: 3 }),
      'RMSprop: emaOverwriteEvery must be null when ema is off, got 3',
    ],
    [
      'fractional EMA overwrite',
      rms({ ema: 0.9, emaOverwriteEvery: 1.5 }),
      'RMSprop: emaOverwriteEvery must be null or an integer ≥ 1, got 1.5',
    ],
    [
      'unknown nonFinite policy',
      rms({ nonFinite: 'ignore' }),
      'RMSprop: nonFinite must be one of "error", "skip", got "ignore"',
    ],
    ['unknown backend', rms({ backend: 'gpu' }), 'RMSprop: backend must be one of "wasm", "js", got "gpu"'],
    ['Adam β1 of 1', () => new Adam(p(), { beta1: 1 }), 'Adam: beta1 must be a finite number in [0, 1), got 1'],
    ['Adam β2 above 1', () => new Adam(p(), { beta2: 1.1 }), 'Adam: beta2 must be a finite number in [0, 1), got 1.1'],
    [
      'SGD Nesterov with dampening',
      () => new SGD(p(), { momentum: 0.9, dampening: 0.1, nesterov: true }),
      'SGD: nesterov must be false unless momentum > 0 and dampening = 0 (as in PyTorch), got true',
    ],
    [
      'SGD dampening above 1',
      () => new SGD(p(), { dampening: 2 }),
      'SGD: dampening must be a finite number in [0, 1], got 2',
    ],
    [
      'Adagrad negative lr decay',
      () => new Adagrad(p(), { lrDecay: -1 }),
      'Adagrad: lrDecay must be a finite number ≥ 0, got -1',
    ],
    ['Adadelta ε of 0', () => new Adadelta(p(), { eps: 0 }), 'Adadelta: eps must be a finite number > 0, got 0'],
  ];
  it.each(cases)('%s', (_, make, message) => {
    expect(make).toThrow(OptionError);
    expect(make).toThrow(message);
  });
});

describe('names and flavors', () => {
  const cases: [string, () => unknown, string | RegExp][] = [
    ['unknown option', rms({ decayy: 0.9 }), /RMSprop: unknown option 'decayy'; known options are .*centered.*decay/],
    ['a framework name without its flavor', rms({ alpha: 0.9 }), /RMSprop: unknown option 'alpha'/],
    [
      'unknown flavor',
      rms({ flavor: 'jax' }),
      'RMSprop: flavor must be one of keras, optax, pytorch, tf1, tfjs, got "jax"',
    ],
    [
      'another flavor’s name',
      rms({ flavor: 'keras', alpha: 0.9 }),
      /RMSprop \(keras flavor\): unknown option 'alpha'; known options are .*rho/,
    ],
    [
      'a flavor error quotes the user’s name',
      rms({ flavor: 'pytorch', alpha: 1.5 }),
      "RMSprop (pytorch flavor): pytorch 'alpha' must be a finite number in [0, 1), got 1.5",
    ],
    [
      'a required learning rate',
      rms({ flavor: 'optax' }),
      'RMSprop (optax flavor): learning_rate is required (the learning rate has no default in optax)',
    ],
    [
      'an unsupported Keras option',
      rms({ flavor: 'keras', gradient_accumulation_steps: 4 }),
      /gradient_accumulation_steps=4 is not supported/,
    ],
    [
      'an optimizer the flavor lacks',
      // The compiler refuses it too (a flavor's names are typed); JavaScript callers get this message.
      () => new Adadelta(p(), { flavor: 'tf1', learning_rate: 1 } as never),
      "Adadelta: the tf1 flavor has no optimizer 'adadelta' of this kind",
    ],
  ];
  it.each(cases)('%s', (_, make, message) => expect(make).toThrow(message));
});

describe('flavor options are typed', () => {
  // The `@ts-expect-error` lines are the test: `npm run typecheck` fails if any of them compiles.
  it('refuses at compile time a name the flavor does not have, and accepts its own', () => {
    const wrong = [
      // @ts-expect-error Keras calls the learning rate learning_rate.
      () => new RMSprop(p(), { flavor: 'keras', lr: 1e-3 }),
      // @ts-expect-error PyTorch's RMSprop has alpha, not rho.
      () => new RMSprop(p(), { flavor: 'pytorch', rho: 0.9 }),
      // @ts-expect-error TF1 has no Adadelta.
      () => new Adadelta(p(), { flavor: 'tf1', learning_rate: 1 }),
      // @ts-expect-error momentum is TF1's name for SGD with momentum, not for RMSProp.
      () => new RMSprop(p(), { flavor: 'tf1', optimizer: 'momentum', learning_rate: 1 }),
    ];
    for (const make of wrong) expect(make).toThrow(OptionError);
    const right = [
      new RMSprop(p(), { flavor: 'keras', learning_rate: 1e-3, rho: 0.95, clipNorm: 1 }),
      new RMSprop(p(), { flavor: 'tfjs', learningRate: 1e-3, centered: true }),
      new SGD(p(), { flavor: 'tf1', optimizer: 'momentum', learning_rate: 0.1, momentum: 0.9 }),
      new Adam(p(), { flavor: 'optax', optimizer: 'amsgrad', learning_rate: 1e-3 }),
    ];
    expect(right.map((o) => o.constructor.name)).toEqual(['RMSprop', 'RMSprop', 'SGD', 'Adam']);
  });
});

describe('parameters and gradients', () => {
  const cases: [string, () => unknown, string | RegExp][] = [
    ['no groups', () => new RMSprop([], {}), 'RMSprop: got an empty list of parameter groups'],
    ['an empty group', () => new RMSprop({}, {}), 'RMSprop: got a parameter group with no parameters'],
    [
      'a parameter twice',
      () => new RMSprop([{ params: p() }, { params: p() }]),
      "RMSprop: parameter 'w' appears in more than one group",
    ],
    [
      'a plain array as a parameter',
      () => new RMSprop({ w: [1, 2] as never }),
      "RMSprop: parameter 'w' must be a Float32Array or { data: Float32Array, grad? }",
    ],
    [
      'an optimizer-wide option in a group',
      () => new RMSprop([{ params: p(), ema: 0.9 }]),
      'RMSprop: ema apply to the whole optimizer, not to a parameter group',
    ],
    [
      'a gradient of the wrong length',
      () => new RMSprop(p()).step({ w: Float32Array.of(1) }),
      "RMSprop.step: the gradient of 'w' must be a Float32Array of 2 elements, got 1 elements",
    ],
    [
      'a gradient that is not a Float32Array',
      () => new RMSprop(p()).step({ w: [1, 2] as never }),
      "RMSprop.step: the gradient of 'w' must be a Float32Array of 2 elements, got object",
    ],
    [
      'a gradient for an unknown parameter',
      () => new RMSprop(p()).step({ v: Float32Array.of(1, 2) }),
      "RMSprop.step: got a gradient for unknown parameter 'v'; parameters are w",
    ],
    [
      'setting a negative lr',
      () => {
        new RMSprop(p()).lr = -1;
      },
      'RMSprop: lr must be a finite number ≥ 0, got -1',
    ],
  ];
  it.each(cases)('%s', (_, make, message) => expect(make).toThrow(message));
});
