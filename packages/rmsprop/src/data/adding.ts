import { Generator } from '../tensor/random.js';
import { ArrayDataset } from './array-dataset.js';

export interface AddingProblemOptions {
  /** Number of sequences. */
  size: number;
  /** Steps per sequence, T ≥ 2. */
  seqLength: number;
  /** Default 0. */
  seed?: number;
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997; the form of Le, Jaitly & Hinton 2015): T steps of
 * [value, marker] with values uniform in [0, 1) and exactly two markers set to 1, one in each half of the
 * sequence; the target is the sum of the two marked values. Inputs float32 [T, 2], targets float32 [1].
 * Always predicting 1 gives a mean squared error of 1/6, the level a model must beat.
 */
export function addingProblem(o: AddingProblemOptions): ArrayDataset {
  const { size, seqLength: T, seed = 0 } = o;
  if (!Number.isInteger(size) || size < 0)
    throw new RangeError(`addingProblem: size must be an integer ≥ 0, got ${size}`);
  if (!Number.isInteger(T) || T < 2) throw new RangeError(`addingProblem: seqLength must be an integer ≥ 2, got ${T}`);
  const g = new Generator(seed);
  const x = new Float32Array(size * T * 2);
  const y = new Float32Array(size);
  const half = Math.floor(T / 2);
  for (let n = 0; n < size; n++) {
    const base = n * T * 2;
    for (let t = 0; t < T; t++) x[base + 2 * t] = g.uniform();
    const first = Math.floor(g.uniform() * half);
    const second = half + Math.floor(g.uniform() * (T - half));
    x[base + 2 * first + 1] = 1;
    x[base + 2 * second + 1] = 1;
    y[n] = x[base + 2 * first]! + x[base + 2 * second]!;
  }
  return new ArrayDataset({ x, xShape: [T, 2], y, yShape: [1], yDtype: 'float32' });
}
