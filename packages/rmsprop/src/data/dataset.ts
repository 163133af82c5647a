import type { DType, Shape, Tensor } from '../tensor/tensor.js';

/** Inputs and targets of some examples, stacked along a first (batch) dimension. */
export interface Batch {
  /** Inputs, [n, ...xShape]. */
  readonly x: Tensor;
  /** Targets, [n, ...yShape]: int32 class indices or float32 values. */
  readonly y: Tensor;
}

/**
 * A finite, indexable set of examples that the DataLoader and every reader share. Examples live in
 * JavaScript memory; `batch` copies the chosen ones into fresh tensors, which belong to the scope open
 * at the call.
 */
export interface Dataset {
  readonly length: number;
  /** Shape of one input, e.g. [1, 28, 28] or [T, 2]. */
  readonly xShape: Shape;
  readonly xDtype: DType;
  /** Shape of one target: [] for a class index, [T] for a sequence of them, [1] for one value. */
  readonly yShape: Shape;
  readonly yDtype: DType;
  batch(indices: ArrayLike<number>): Batch;
}

/** Throws unless every index is an integer in [0, length). */
export function checkIndices(op: string, indices: ArrayLike<number>, length: number): void {
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= length) {
      throw new RangeError(`${op}: index ${i} at position ${k} is outside [0, ${length})`);
    }
  }
}

/** The examples start … end − 1 of a data set as one batch. */
export function range(dataset: Dataset, start = 0, end = dataset.length): Batch {
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= dataset.length)) {
    throw new RangeError(`range: need integers 0 ≤ start ≤ end ≤ ${dataset.length}, got ${start} and ${end}`);
  }
  return dataset.batch(Int32Array.from({ length: end - start }, (_, k) => start + k));
}

/** The examples of `dataset` at `indices`, as a data set of its own (e.g. a validation split). */
export function subset(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  checkIndices('subset', indices, dataset.length);
  const picked = Int32Array.from(indices);
  return {
    length: picked.length,
    xShape: dataset.xShape,
    xDtype: dataset.xDtype,
    yShape: dataset.yShape,
    yDtype: dataset.yDtype,
    batch(at) {
      checkIndices('subset.batch', at, picked.length);
      return dataset.batch(Int32Array.from(at, (i) => picked[i]!));
    },
  };
}
