// The registry every consumer builds optimizers through: names (ours and each flavor's), the classes it
// makes, and options resolved without building anything, checked exactly as construction checks them.
import { describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  AdamW,
  createOptimizer,
  flavors,
  optimizerKinds,
  optimizerNames,
  resolveOptions,
  RMSprop,
  SGD,
  type Flavor,
  type Optimizer,
} from './index.js';

const params = () => ({ w: Float32Array.of(0.5, -1, 2) });
const optionsOf = (opt: Optimizer): Record<string, unknown> => ({ ...opt.paramGroups[0]!.options, ...opt.options });

describe('createOptimizer', () => {
  it('makes the class of each kind, AdamW with its decoupled decay', () => {
    const classes = { rmsprop: RMSprop, adam: Adam, adamw: AdamW, sgd: SGD, adagrad: Adagrad, adadelta: Adadelta };
    expect([...optimizerKinds]).toEqual(Object.keys(classes));
    for (const [kind, Class] of Object.entries(classes)) expect(createOptimizer(kind, params())).toBeInstanceOf(Class);
    const adamw = createOptimizer('adamw', params(), { lr: 0.1 });
    expect(adamw.paramGroups[0]!.options).toMatchObject({ weightDecay: 0.01, decoupledWeightDecay: true, lr: 0.1 });
  });

  it("takes a flavor's own names for its optimizers", () => {
    const momentum = createOptimizer('momentum', params(), { flavor: 'tf1', learning_rate: 0.1, momentum: 0.9 });
    expect(momentum.kind).toBe('sgd');
    expect(momentum.paramGroups[0]!.options).toMatchObject({ lr: 0.1, momentum: 0.9 });
    const amsgrad = createOptimizer('amsgrad', params(), { flavor: 'optax', learning_rate: 0.1 });
    expect(amsgrad.paramGroups[0]!.options).toMatchObject({ amsgrad: true, amsgradCorrected: true });
  });

  it('names what it refuses', () => {
    expect(() => createOptimizer('lion', params())).toThrow(
      'unknown optimizer "lion"; optimizers are adadelta, adagrad, adam, adamw, rmsprop, sgd',
    );
    expect(() => createOptimizer('momentum', params(), { flavor: 'keras' })).toThrow(
      /unknown optimizer "momentum" of the keras flavor; its optimizers are .*rmsprop/,
    );
    expect(() => createOptimizer('rmsprop', params(), { flavor: 'mxnet' })).toThrow(
      'flavor must be one of keras, optax, pytorch, tf1, tfjs, got "mxnet"',
    );
    expect(() => createOptimizer('rmsprop', params(), { decay: 1 })).toThrow(
      'RMSprop: decay must be a finite number in [0, 1), got 1',
    );
  });
});

describe('resolveOptions', () => {
  it('gives the options the optimizer would have, for every name of every flavor', () => {
    const cases: [string, Flavor | undefined][] = [
      ...optimizerNames().map((n): [string, undefined] => [n, undefined]),
      ...(Object.keys(flavors) as Flavor[]).flatMap((f) => optimizerNames(f).map((n): [string, Flavor] => [n, f])),
    ];
    expect(cases.length).toBeGreaterThan(20);
    for (const [name, flavor] of cases) {
      // Some flavors' optimizers have no default learning rate: give one, in that flavor's name.
      const lrName =
        flavor === undefined || flavor === 'pytorch' ? 'lr' : flavor === 'tfjs' ? 'learningRate' : 'learning_rate';
      const options = { flavor, [lrName]: 0.01 };
      const r = resolveOptions(name, options);
      const built = createOptimizer(name, params(), options);
      expect({ ...r.group, ...r.optimizer }, `${flavor}/${name}`).toEqual(optionsOf(built));
      expect(r.kind).toBe(flavor ? flavors[flavor][name]!.kind : name);
      expect(r.name).toBe(built.name);
    }
  });

  it('takes the flavor as an argument too, and refuses what construction refuses, with the same message', () => {
    expect(resolveOptions('rmsprop', { rho: 0.5 }, 'keras').group.decay).toBe(0.5);
    for (const [name, options] of [
      ['rmsprop', { eps: -1 }],
      ['adam', { betas: [0.9, 0.999] }],
      ['sgd', { nesterov: true }],
      ['rmsprop', { ema: 2 }],
      ['adamw', { flavor: 'pytorch', lr: -1 }],
    ] as const) {
      let built: unknown;
      try {
        createOptimizer(name, params(), options);
      } catch (e) {
        built = (e as Error).message;
      }
      expect(built, name).toBeTypeOf('string');
      expect(() => resolveOptions(name, options)).toThrow(built as string);
    }
  });

  it('leaves schedules as they are', () => {
    const schedule = (t: number) => 1 / (t + 1);
    expect(resolveOptions('adam', { lr: schedule }).group.lr).toBe(schedule);
  });
});
