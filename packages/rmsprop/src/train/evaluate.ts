import type { Batch } from '../data/index.js';
import type { Module } from '../nn/index.js';
import { noGrad, scope, type Tensor } from '../tensor/index.js';
import type { Metric } from './metric.js';

/** The loss of a batch's output against its targets: a one-element tensor. */
export type LossFn = (output: Tensor, y: Tensor) => Tensor;
/** The model's output for a batch's inputs; `model.forward(x)` by default. */
export type ForwardFn = (model: Module, x: Tensor) => Tensor;

export const defaultForward: ForwardFn = (model, x) => model.forward(x);

export interface EvaluateOptions {
  loss: LossFn;
  metrics?: readonly Metric[];
  forward?: ForwardFn;
}

/** The mean loss and the mean of each metric, by metric name. */
export interface Evaluation {
  loss: number;
  [metric: string]: number;
}

/** Examples in a batch: the length of the targets' first dimension. */
export const batchSize = (b: Batch): number => b.y.shape[0] ?? 1;

/**
 * The loss and metrics of `model` on every batch of `data`, averaged over the examples, in evaluation
 * mode and without recording gradients; each batch is freed as soon as it is measured. The model's
 * training mode is restored after.
 */
export function evaluate(model: Module, data: Iterable<Batch>, o: EvaluateOptions): Evaluation {
  const { loss, metrics = [], forward = defaultForward } = o;
  const wasTraining = model.training;
  model.eval();
  try {
    const sums = new Float64Array(metrics.length + 1);
    let examples = 0;
    for (const batch of data) {
      scope(() =>
        noGrad(() => {
          const out = forward(model, batch.x);
          const n = batchSize(batch);
          sums[0]! += lossValue(loss(out, batch.y)) * n;
          metrics.forEach((m, i) => (sums[i + 1]! += m.compute(out, batch.y) * n));
          examples += n;
        }),
      );
    }
    if (examples === 0) throw new RangeError('evaluate: the data gave no examples');
    return Object.fromEntries([
      ['loss', sums[0]! / examples],
      ...metrics.map((m, i) => [m.name, sums[i + 1]! / examples]),
    ]) as Evaluation;
  } finally {
    model.train(wasTraining);
  }
}

/** The value of a loss tensor, which must hold one element. */
export function lossValue(t: Tensor): number {
  if (t.size !== 1) throw new RangeError(`fit: the loss must be one value, got shape [${t.shape.join(', ')}]`);
  return t.item();
}
