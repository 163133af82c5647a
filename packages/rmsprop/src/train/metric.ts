import type { Tensor } from '../tensor/index.js';

/** A quantity measured on a batch's output, averaged over its examples; `mode` says which way is better. */
export interface Metric {
  readonly name: string;
  readonly mode: 'min' | 'max';
  /** The mean over the batch (fit weighs batches by their number of examples). */
  compute(output: Tensor, y: Tensor): number;
}

/**
 * The share of predictions whose largest output is the target class: outputs [..., classes] against
 * int32 targets [...] (one class per example, or per step of a sequence).
 */
export const accuracy: Metric = {
  name: 'accuracy',
  mode: 'max',
  compute(output, y) {
    const classes = output.shape.at(-1)!;
    const rows = output.size / classes;
    if (y.dtype !== 'int32' || y.size !== rows) {
      throw new RangeError(
        `accuracy: outputs [${output.shape.join(', ')}] need ${rows} int32 targets, got ${y.dtype} [${y.shape.join(', ')}]`,
      );
    }
    const [o, t] = [output.data, y.ints];
    let right = 0;
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let c = 1; c < classes; c++) if (o[r * classes + c]! > o[r * classes + best]!) best = c;
      if (best === t[r]) right++;
    }
    return right / rows;
  },
};
