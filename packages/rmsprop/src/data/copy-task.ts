import { Generator } from '../tensor/random.js';
import { ArrayDataset } from './array-dataset.js';

export interface CopyTaskOptions {
  /** Number of sequences. */
  size: number;
  /** Steps between the end of the symbols and the delimiter that asks for them back, T ≥ 1. Default 100. */
  delay?: number;
  /** Symbols to remember; default 10. */
  symbols?: number;
  /** Distinct symbols, drawn uniformly; default 8. */
  alphabet?: number;
  /** Default 0. */
  seed?: number;
}

/**
 * The copy task (Hochreiter & Schmidhuber 1997; the form of Arjovsky, Shah & Bengio 2016). With S symbols,
 * an alphabet of A and delay T, a sequence has T + 2S steps over A + 2 categories: 0 is blank, 1…A are
 * symbols, A + 1 is the delimiter. Input: S random symbols, T − 1 blanks, the delimiter, S blanks.
 * Target: T + S blanks, then the S symbols. Inputs one-hot float32 [T + 2S, A + 2], targets int32
 * [T + 2S]. Always predicting blanks then uniform guesses scores a cross-entropy of S·log(A)/(T + 2S).
 */
export function copyTask(o: CopyTaskOptions): ArrayDataset {
  const { size, delay: T = 100, symbols: S = 10, alphabet: A = 8, seed = 0 } = o;
  const check = (name: string, v: number, min: number): void => {
    if (!Number.isInteger(v) || v < min)
      throw new RangeError(`copyTask: ${name} must be an integer ≥ ${min}, got ${v}`);
  };
  check('size', size, 0);
  check('delay', T, 1);
  check('symbols', S, 1);
  check('alphabet', A, 1);
  const [L, C] = [T + 2 * S, A + 2];
  const g = new Generator(seed);
  const x = new Float32Array(size * L * C);
  const y = new Int32Array(size * L);
  for (let n = 0; n < size; n++) {
    const input = new Int32Array(L);
    for (let s = 0; s < S; s++) {
      const symbol = 1 + Math.floor(g.uniform() * A);
      input[s] = symbol;
      y[n * L + T + S + s] = symbol;
    }
    input[S + T - 1] = A + 1;
    input.forEach((c, t) => (x[(n * L + t) * C + c] = 1));
  }
  return new ArrayDataset({ x, xShape: [L, C], y, yShape: [L] });
}
