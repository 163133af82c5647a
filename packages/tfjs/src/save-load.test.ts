// A tfjs-layers model saved with its optimizer (`includeOptimizer: true`) and loaded again, in the four
// directions between our RMSprop and tf.train.rmsprop: the same weight specs, and training that goes
// on as if it had never stopped.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { RMSprop } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const X = tf.tensor2d(
  Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7)),
  [8, 3],
);
const Y = tf.tensor2d(
  Array.from({ length: 8 }, (_, i) => Math.cos(i)),
  [8, 1],
);

/** A small model with fixed initial weights, compiled with `optimizer`. */
function model(optimizer: tf.Optimizer): tfl.LayersModel {
  const m = tfl.sequential({
    layers: [tfl.layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }), tfl.layers.dense({ units: 1 })],
  });
  m.setWeights(
    m.getWeights().map((w, k) =>
      tf.tensor(
        Array.from({ length: w.size }, (_, i) => Math.sin(i + 3 * k) / 2),
        w.shape,
      ),
    ),
  );
  m.compile({ optimizer, loss: 'meanSquaredError' });
  return m;
}

async function train(m: tfl.LayersModel, steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) await m.trainOnBatch(X, Y);
}

async function save(m: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | null = null;
  await m.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer: true },
  );
  return artifacts!;
}

const weightsOf = (m: tfl.LayersModel): number[] => m.getWeights().flatMap((w) => Array.from(w.dataSync()));

/** The optimizer's part of the weight specs, each variable's name replaced by its position. */
function optimizerSpecs(a: tf.io.ModelArtifacts, m: tfl.LayersModel) {
  const names = m.trainableWeights.map((w) => w.originalName);
  return a
    .weightSpecs!.filter((s) => s.group === 'optimizer')
    .map((s) => {
      const cut = s.name.lastIndexOf('/');
      const variable = s.name.slice(0, cut);
      return {
        name: s.name === 'iter' ? 'iter' : `${names.indexOf(variable)}/${s.name.slice(cut + 1)}`,
        shape: s.shape,
        dtype: s.dtype,
      };
    });
}

const byteLength = (a: tf.io.ModelArtifacts): number => (a.weightData as ArrayBuffer).byteLength;

describe.each([
  ['plain', { momentum: 0, centered: false }],
  ['momentum', { momentum: 0.9, centered: false }],
  ['centered', { momentum: 0, centered: true }],
  ['centered with momentum', { momentum: 0.5, centered: true }],
])('RMSprop %s, saved with the model and loaded again', (_, { momentum, centered }) => {
  const lr = 0.01;
  const ours = () => new RMSprop({ flavor: 'tfjs', learningRate: lr, decay: 0.9, momentum, centered });
  const theirs = () => tf.train.rmsprop(lr, 0.9, momentum, undefined, centered);
  // TensorFlow.js's centered RMSProp subtracts ε where ours adds it (README): its runs differ by that.
  const tolerance = centered ? 1e-4 : 1e-6;

  it('writes the weight specs tf.train.rmsprop writes: names, order, count, shapes and bytes', async () => {
    const [a, b] = [model(ours()), model(theirs())];
    await train(a, 3);
    await train(b, 3);
    const [sa, sb] = [await save(a), await save(b)];
    expect(optimizerSpecs(sa, a)).toEqual(optimizerSpecs(sb, b));
    expect(byteLength(sa)).toBe(byteLength(sb));
  });

  it('ours → ours: tf.loadLayersModel gives our optimizer back, which goes on exactly', async () => {
    const straight = model(ours());
    await train(straight, 5);
    const first = model(ours());
    await train(first, 3);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(await save(first)));
    expect(loaded.optimizer).toBeInstanceOf(RMSprop);
    expect(loaded.optimizer.iterations).toBe(3);
    await train(loaded, 2);
    expect(weightsOf(loaded)).toEqual(weightsOf(straight));
  });

  /**
   * Trains 3 steps with `first`, saves the model and loads it, moves the optimizer state to `then` and
   * trains 2 more steps: the weights must be those of 5 steps with `first` alone.
   */
  async function handOver(first: () => tf.Optimizer, then: () => tf.Optimizer): Promise<void> {
    const straight = model(first());
    await train(straight, 5);
    const begun = model(first());
    await train(begun, 3);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(await save(begun)));
    const opt = then();
    await opt.setWeights(await loaded.optimizer.getWeights());
    loaded.compile({ optimizer: opt, loss: 'meanSquaredError' });
    await train(loaded, 2);
    const [got, want] = [weightsOf(loaded), weightsOf(straight)];
    got.forEach((x, i) => expect(Math.abs(x - want[i]!)).toBeLessThan(tolerance * (1 + Math.abs(want[i]!))));
  }

  it('tf.train.rmsprop → ours: a TensorFlow.js run goes on with ours as it would have', () => handOver(theirs, ours));

  it('ours → tf.train.rmsprop: our run goes on with TensorFlow.js as it would have', () => handOver(ours, theirs));
});

describe('the adapter in saved models', () => {
  it('keeps a flavor’s options through the snake_case round trip of a saved configuration', async () => {
    const first = model(new RMSprop({ flavor: 'keras', learning_rate: 0.02, rho: 0.8 }));
    await train(first, 1);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(await save(first)));
    expect(loaded.optimizer.getConfig()).toMatchObject({ lr: 0.02, decay: 0.8, eps: 1e-7, epsInSqrt: true });
  });

  it('names the option as the user wrote it when the learning rate is missing', () => {
    expect(() => new RMSprop({ flavor: 'tfjs' })).toThrow(/learningRate/);
  });
});
