import { Tensor, type DType, type Shape } from '../tensor/tensor.js';
import { checkIndices, type Batch, type Dataset } from './dataset.js';
import { Vocabulary } from './vocabulary.js';

export interface TextDatasetOptions {
  /** Characters per example, T. */
  seqLength: number;
  /** Characters between the starts of consecutive examples; default seqLength (no overlap). */
  stride?: number;
  /** 'one-hot' (default): float32 inputs [T, vocabulary size]; 'indices': int32 inputs [T] for an embedding. */
  inputs?: 'one-hot' | 'indices';
  /** Default: the text's own characters; pass the training set's to encode a validation text alike. */
  vocabulary?: Vocabulary;
}

/**
 * Character-level language modelling: example i is the characters [i·stride, i·stride + T) of the text
 * and its targets are the next characters, [i·stride + 1, i·stride + T + 1), as int32 indices [T].
 */
export class TextDataset implements Dataset {
  readonly vocabulary: Vocabulary;
  /** The whole text as character indices. */
  readonly tokens: Int32Array;
  readonly length: number;
  readonly seqLength: number;
  readonly stride: number;
  readonly xShape: Shape;
  readonly xDtype: DType;
  readonly yShape: Shape;
  readonly yDtype: DType = 'int32';

  constructor(text: string, o: TextDatasetOptions) {
    const { seqLength: T, stride = T, inputs = 'one-hot' } = o;
    if (!Number.isInteger(T) || T < 1) throw new RangeError(`TextDataset: seqLength must be an integer ≥ 1, got ${T}`);
    if (!Number.isInteger(stride) || stride < 1)
      throw new RangeError(`TextDataset: stride must be an integer ≥ 1, got ${stride}`);
    if (inputs !== 'one-hot' && inputs !== 'indices') {
      throw new RangeError(`TextDataset: inputs must be 'one-hot' or 'indices', got ${JSON.stringify(inputs)}`);
    }
    this.vocabulary = o.vocabulary ?? Vocabulary.fromText(text);
    this.tokens = this.vocabulary.encode(text);
    if (this.tokens.length < T + 1) {
      throw new RangeError(
        `TextDataset: a text of ${this.tokens.length} characters is too short for seqLength ${T} (needs ${T + 1})`,
      );
    }
    [this.seqLength, this.stride] = [T, stride];
    this.length = Math.floor((this.tokens.length - 1 - T) / stride) + 1;
    this.xShape = inputs === 'one-hot' ? [T, this.vocabulary.size] : [T];
    this.xDtype = inputs === 'one-hot' ? 'float32' : 'int32';
    this.yShape = [T];
  }

  batch(indices: ArrayLike<number>): Batch {
    checkIndices('TextDataset.batch', indices, this.length);
    const [n, T, V] = [indices.length, this.seqLength, this.vocabulary.size];
    const x = new Tensor([n, ...this.xShape], this.xDtype);
    const y = new Tensor([n, T], 'int32');
    const yi = y.ints;
    const xs = x.dtype === 'float32' ? x.data : x.ints;
    if (x.dtype === 'float32') xs.fill(0);
    for (let k = 0; k < n; k++) {
      const start = indices[k]! * this.stride;
      yi.set(this.tokens.subarray(start + 1, start + T + 1), k * T);
      if (x.dtype === 'int32') xs.set(this.tokens.subarray(start, start + T), k * T);
      else for (let t = 0; t < T; t++) xs[(k * T + t) * V + this.tokens[start + t]!] = 1;
    }
    return { x, y };
  }
}
