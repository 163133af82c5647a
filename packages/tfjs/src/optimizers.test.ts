import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as core from 'rmsprop/optim';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Adam, AdamW, RMSprop, SGD, type TfjsOptimizer } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => tf.disposeVariables());

const TARGET = [0.3, -1.2, 2, 0.7, -0.1];
const SCALE = [1, 4, 0.5, 2, 10];
let uid = 0;

/** loss = Σ c·(w − t)² over a 2×2 matrix and a 1-vector; its gradient in plain JavaScript for the core run. */
function problem() {
  const name = `p${uid++}`;
  const w = tf.variable(
    tf.tensor2d([
      [1, -1],
      [0.5, 2],
    ]),
    true,
    `${name}/w`,
  );
  const b = tf.variable(tf.tensor1d([-0.5]), true, `${name}/b`);
  const loss = () =>
    tf.tidy(() => {
      const all = tf.concat([tf.reshape(w, [4]), b]);
      return tf.sum(tf.mul(tf.tensor1d(SCALE), tf.square(tf.sub(all, tf.tensor1d(TARGET))))) as tf.Scalar;
    });
  return { w, b, loss };
}
const jsGrad = (all: number[]) => all.map((x, i) => 2 * SCALE[i]! * (x - TARGET[i]!));

/** Runs `steps` of the bridge with `minimize` and of the library optimizer on the same problem. */
function both(
  make: () => TfjsOptimizer<core.OptimizerKind>,
  makeCore: (p: Record<string, Float32Array>) => core.Optimizer,
  steps = 8,
) {
  const { w, b, loss } = problem();
  const opt = make();
  for (let i = 0; i < steps; i++) opt.minimize(loss);
  const ours = [...w.dataSync(), ...b.dataSync()];
  const p = { w: Float32Array.of(1, -1, 0.5, 2), b: Float32Array.of(-0.5) };
  const ref = makeCore(p);
  for (let i = 0; i < steps; i++) {
    const g = jsGrad([...p.w, ...p.b]);
    ref.step({ w: Float32Array.from(g.slice(0, 4)), b: Float32Array.from(g.slice(4)) });
  }
  opt.dispose();
  return { ours, reference: [...p.w, ...p.b] };
}

const close = (a: number[], b: number[], tol = 1e-5) =>
  a.forEach((x, i) => expect(Math.abs(x - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!))));

describe('the same trajectory as the library', () => {
  const cases: [
    string,
    () => TfjsOptimizer<core.OptimizerKind>,
    (p: Record<string, Float32Array>) => core.Optimizer,
  ][] = (
    [
      ['RMSprop defaults', {}],
      ['RMSprop centered, Nesterov momentum', { lr: 0.01, centered: true, momentum: 0.9, nesterov: true }],
      [
        'RMSprop pytorch flavor, L2 decay, maximize',
        { flavor: 'pytorch', lr: 0.01, alpha: 0.9, weight_decay: 0.1, maximize: true },
      ],
      [
        'RMSprop keras flavor, clipping, decay, EMA overwrite',
        {
          flavor: 'keras',
          learning_rate: 0.02,
          rho: 0.8,
          momentum: 0.5,
          clipnorm: 1,
          weight_decay: 0.05,
          use_ema: true,
          ema_overwrite_frequency: 3,
        },
      ],
      ['RMSprop tf1 flavor', { flavor: 'tf1', learning_rate: 0.05, centered: true }],
      [
        'RMSprop optax flavor, bias correction',
        { flavor: 'optax', learning_rate: 0.05, bias_correction: true, eps_in_sqrt: false },
      ],
      [
        'RMSprop schedule, global clip, clip value',
        { lr: core.schedules.cosine({ lr: 0.05, period: 6 }), globalClipNorm: 3, clipValue: 2 },
      ],
    ] as [string, Record<string, unknown>][]
  )
    .map(([n, o]): (typeof cases)[number] => [
      n,
      () => new RMSprop(o as never) as never,
      (p) => new core.RMSprop(p, o as never) as never,
    ])
    .concat([
      [
        'Adam AMSGrad',
        () => new Adam({ lr: 0.05, amsgrad: true }) as never,
        (p) => new core.Adam(p, { lr: 0.05, amsgrad: true }) as never,
      ],
      [
        'AdamW keras flavor',
        () => new AdamW({ flavor: 'keras', learning_rate: 0.05 }) as never,
        (p) => new core.AdamW(p, { flavor: 'keras', learning_rate: 0.05 }) as never,
      ],
      [
        'SGD Nesterov',
        () => new SGD({ lr: 0.01, momentum: 0.9, nesterov: true }) as never,
        (p) => new core.SGD(p, { lr: 0.01, momentum: 0.9, nesterov: true }) as never,
      ],
    ]);
  it.each(cases)('%s', (_, make, makeCore) => {
    const { ours, reference } = both(make, makeCore);
    close(ours, reference);
    expect(ours).not.toEqual([1, -1, 0.5, 2, -0.5]);
  });
});

describe('the same trajectory as tf.train.rmsprop (non-centered)', () => {
  const cases: [string, number, number, number][] = [
    ['plain', 0.01, 0.9, 0],
    ['momentum', 0.01, 0.8, 0.9],
  ];
  it.each(cases)('%s', (_, lr, decay, momentum) => {
    const a = problem();
    const ours = new RMSprop({ flavor: 'tfjs', learningRate: lr, decay, momentum });
    const b = problem();
    const theirs = tf.train.rmsprop(lr, decay, momentum);
    for (let i = 0; i < 10; i++) {
      ours.minimize(a.loss);
      theirs.minimize(b.loss);
    }
    close([...a.w.dataSync(), ...a.b.dataSync()], [...b.w.dataSync(), ...b.b.dataSync()]);
    theirs.dispose();
  });
});

describe('centered RMSProp with small gradients', () => {
  it('stays finite where tf.train.rmsprop gives NaN', () => {
    const grads = () => ({ [v.name]: tf.tensor1d([1, 1e-3, 1e-4, 0]) });
    const v = tf.variable(tf.zeros([4]), true, `c${uid++}`);
    const theirs = tf.train.rmsprop(0.1, 0.9, 0, 1e-7, true);
    theirs.applyGradients(grads());
    expect(Array.from(v.dataSync()).slice(1, 3).every(Number.isNaN)).toBe(true);
    v.assign(tf.zeros([4]));
    new RMSprop({ flavor: 'tfjs', learningRate: 0.1, centered: true }).applyGradients(grads());
    expect(Array.from(v.dataSync()).every(Number.isFinite)).toBe(true);
    theirs.dispose();
  });
});

describe('state by variable name', () => {
  it('a reordered or partial gradient list does not mix buffers up', () => {
    const a = problem();
    const b = problem();
    const oa = new RMSprop({ lr: 0.01, momentum: 0.9 });
    const ob = new RMSprop({ lr: 0.01, momentum: 0.9 });
    const ga = () => tf.variableGrads(a.loss).grads;
    const gb = () => tf.variableGrads(b.loss).grads;
    oa.applyGradients(ga());
    const g = gb();
    ob.applyGradients([
      { name: b.b.name, tensor: g[b.b.name]! },
      { name: b.w.name, tensor: g[b.w.name]! },
    ]);
    oa.applyGradients({ [a.w.name]: ga()[a.w.name]! });
    ob.applyGradients({ [b.w.name]: gb()[b.w.name]! });
    close([...a.w.dataSync(), ...a.b.dataSync()], [...b.w.dataSync(), ...b.b.dataSync()], 0);
  });
});

describe('getWeights and setWeights', () => {
  it("use tf.train.rmsprop's names and order, and resume exactly", async () => {
    const straight = problem();
    const s = new RMSprop({ lr: 0.02, momentum: 0.9, centered: true });
    for (let i = 0; i < 5; i++) s.minimize(straight.loss);

    const first = problem();
    const a = new RMSprop({ lr: 0.02, momentum: 0.9, centered: true });
    for (let i = 0; i < 3; i++) a.minimize(first.loss);
    const saved = await a.getWeights();
    expect(saved.map((x) => x.name)).toEqual([
      'iter',
      ...['rms', 'momentum', 'mg'].flatMap((slot) => [`${first.w.name}/${slot}`, `${first.b.name}/${slot}`]),
    ]);
    const b = new RMSprop({ lr: 0.02, momentum: 0.9, centered: true });
    await b.setWeights(saved);
    expect(b.iterations).toBe(3);
    for (let i = 0; i < 2; i++) b.minimize(first.loss);
    close([...first.w.dataSync(), ...first.b.dataSync()], [...straight.w.dataSync(), ...straight.b.dataSync()], 0);
  });

  it('refuse mismatched state, changing nothing', async () => {
    const p = problem();
    const opt = new RMSprop({ lr: 0.02 });
    opt.minimize(p.loss);
    const weights = await opt.getWeights();
    const rms = weights[1]!;
    const cases: [{ name: string; tensor: tf.Tensor }[], RegExp][] = [
      [weights.slice(1), /the first weight must be 'iter', got "p\d+\/w\/rms"/],
      [
        [weights[0]!, { name: `${p.w.name}/velocity`, tensor: rms.tensor }],
        /is not <variable>\/<slot> with a slot of rms, momentum, mg, ema/,
      ],
      [
        [weights[0]!, { name: 'nope/rms', tensor: rms.tensor }],
        /the weights hold the state of 1 variables, this optimizer trains 2/,
      ],
      [
        [weights[0]!, { name: `${p.b.name}/rms`, tensor: rms.tensor }],
        /buffer 'squareAvg' of 'p\d+\/b' has 4 elements, the parameter 1/,
      ],
    ];
    for (const [bad, message] of cases) await expect(opt.setWeights(bad)).rejects.toThrow(message);
    expect(await opt.getWeights()).toHaveLength(weights.length);
    expect(opt.iterations).toBe(1);
  });
});

describe('TensorFlow.js integration', () => {
  it('trains a tf.sequential model with compile and fit', async () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ units: 8, inputShape: [2], activation: 'tanh' }), tfl.layers.dense({ units: 1 })],
    });
    model.compile({ optimizer: new RMSprop({ lr: 0.01, momentum: 0.5 }), loss: 'meanSquaredError' });
    const xs = tf.randomUniform([64, 2], -1, 1, 'float32', 1);
    const ys = tf.tidy(() => tf.sum(tf.mul(xs, tf.tensor1d([1.5, -2])), 1, true));
    const history = await model.fit(xs, ys, { epochs: 30, batchSize: 16, verbose: 0, shuffle: false });
    const loss = history.history.loss as number[];
    expect(loss.at(-1)!).toBeLessThan(loss[0]! / 5);
    model.dispose();
    xs.dispose();
    ys.dispose();
  });

  it('leaks no tensor per step', () => {
    const p = problem();
    const opt = new RMSprop({ lr: 0.01, momentum: 0.9, ema: 0.99 });
    opt.minimize(p.loss);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) opt.minimize(p.loss);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is registered for serialization and round-trips its configuration', () => {
    const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap['rmsprop.RMSprop']!;
    expect(cls).toBe(RMSprop);
    const opt = new RMSprop({ lr: core.schedules.constant(0.3), decay: 0.8 });
    const copy = fromConfig(cls, opt.getConfig()) as RMSprop;
    expect(copy.getConfig()).toEqual({ lr: 0.3, decay: 0.8 });
  });

  it('lets the learning rate change between steps and checks it', () => {
    const opt = new RMSprop({ lr: 0.01 });
    opt.learningRate = 0.5;
    expect(opt.learningRate).toBe(0.5);
    expect(() => (opt.learningRate = -1)).toThrow('RMSprop: lr must be a finite number ≥ 0, got -1');
    expect(() => new RMSprop({ decay: 2 })).toThrow('RMSprop: decay must be a finite number in [0, 1), got 2');
  });
});
