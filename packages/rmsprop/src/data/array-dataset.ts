import { sizeOf, Tensor, type DType, type Shape } from '../tensor/tensor.js';
import { checkIndices, type Batch, type Dataset } from './dataset.js';

/** Typed arrays a data set may keep its examples in (bytes keep MNIST-sized sets 4× smaller). */
export type NumericArray = Float32Array | Float64Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array;

export interface ArrayDatasetOptions {
  /** All inputs, example after example: length × size of xShape values. */
  x: NumericArray;
  xShape: Shape;
  /** 'int32' for token indices; default 'float32'. */
  xDtype?: DType;
  /** Multiplies the inputs as they are copied into a batch (1/255 turns bytes into [0, 1]). */
  xScale?: number;
  y: NumericArray;
  yShape: Shape;
  /** 'int32' for class indices (the default), 'float32' for regression targets. */
  yDtype?: DType;
}

/** A data set held in two typed arrays, inputs and targets, example after example. */
export class ArrayDataset implements Dataset {
  readonly length: number;
  readonly xShape: Shape;
  readonly xDtype: DType;
  readonly yShape: Shape;
  readonly yDtype: DType;
  readonly xScale: number;
  readonly x: NumericArray;
  readonly y: NumericArray;

  constructor(o: ArrayDatasetOptions) {
    [this.x, this.y, this.xScale] = [o.x, o.y, o.xScale ?? 1];
    [this.xShape, this.yShape] = [[...o.xShape], [...o.yShape]];
    [this.xDtype, this.yDtype] = [o.xDtype ?? 'float32', o.yDtype ?? 'int32'];
    const [xs, ys] = [sizeOf(this.xShape), sizeOf(this.yShape)];
    this.length = xs > 0 ? o.x.length / xs : o.y.length / Math.max(ys, 1);
    if (!Number.isInteger(this.length) || o.x.length !== this.length * xs || o.y.length !== this.length * ys) {
      throw new RangeError(
        `ArrayDataset: ${o.x.length} input values of shape [${this.xShape.join(', ')}] and ${o.y.length} target ` +
          `values of shape [${this.yShape.join(', ')}] do not make a whole number of examples`,
      );
    }
  }

  batch(indices: ArrayLike<number>): Batch {
    checkIndices('ArrayDataset.batch', indices, this.length);
    const n = indices.length;
    // Allocate both before taking views: a growth of the memory would detach the first.
    const x = new Tensor([n, ...this.xShape], this.xDtype);
    const y = new Tensor([n, ...this.yShape], this.yDtype);
    gather(this.x, sizeOf(this.xShape), indices, x.dtype === 'float32' ? x.data : x.ints, this.xScale);
    gather(this.y, sizeOf(this.yShape), indices, y.dtype === 'float32' ? y.data : y.ints, 1);
    return { x, y };
  }
}

function gather(
  src: NumericArray,
  size: number,
  indices: ArrayLike<number>,
  dst: Float32Array | Int32Array,
  scale: number,
): void {
  for (let k = 0; k < indices.length; k++) {
    const from = indices[k]! * size;
    const to = k * size;
    if (scale === 1) dst.set(src.subarray(from, from + size), to);
    else for (let j = 0; j < size; j++) dst[to + j] = src[from + j]! * scale;
  }
}
