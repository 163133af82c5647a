import { DataLoader, subset, type Dataset } from '../../data/index.js';
import type { Module } from '../../nn/index.js';
import { manualSeed } from '../../tensor/index.js';
import type { ForwardFn, LossFn } from '../evaluate.js';
import type { Metric } from '../metric.js';

export interface ProblemData {
  train: Dataset;
  test: Dataset;
}

export interface ProblemDataOptions {
  /** At most this many examples in each split (the first ones), for fast runs. */
  limit?: number;
  /** Where the files are, for problems that read files (Fashion-MNIST). */
  folder?: string;
}

/**
 * A reference problem in the manner of DeepOBS (Schneider, Balles & Hennig 2019): data, model, loss and
 * metric defined once, with the batch size and epoch budget a benchmark uses by default.
 */
export interface Problem {
  /** DeepOBS's name where it has one (`fmnist_2c2d`). */
  readonly name: string;
  readonly description: string;
  readonly batchSize: number;
  readonly epochs: number;
  data(o?: ProblemDataOptions): Promise<ProblemData>;
  /** A new model, initialised from the default generator (`setupProblem` seeds it). */
  model(data: ProblemData): Module;
  loss: LossFn;
  /** Measured besides the loss; null when the loss says it all. */
  metric: Metric | null;
  forward?: ForwardFn;
}

/** The first `limit` examples of a data set (all of them when limit is undefined). */
export function limited(dataset: Dataset, limit: number | undefined, owner: string): Dataset {
  if (limit === undefined) return dataset;
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`${owner}: limit must be an integer ≥ 1, got ${limit}`);
  return limit >= dataset.length
    ? dataset
    : subset(
        dataset,
        Int32Array.from({ length: limit }, (_, i) => i),
      );
}

export interface SetupOptions extends ProblemDataOptions {
  /** Default: the problem's. */
  batchSize?: number;
  /** Seeds the model's initialisation and the training order; default 0. */
  seed?: number;
}

/** A problem made ready to train: spread it into fit's options, `fit(run.model, opt, { ...run, epochs })`. */
export interface ProblemRun {
  problem: Problem;
  data: ProblemData;
  model: Module;
  train: DataLoader;
  test: DataLoader;
  loss: LossFn;
  forward?: ForwardFn;
  metrics: Metric[];
  seed: number;
}

/** Loads a problem's data, builds its model from `seed`, and makes its loaders (the test one unshuffled). */
export async function setupProblem(problem: Problem, o: SetupOptions = {}): Promise<ProblemRun> {
  const { batchSize = problem.batchSize, seed = 0, ...dataOptions } = o;
  const data = await problem.data(dataOptions);
  manualSeed(seed);
  const model = problem.model(data);
  return {
    problem,
    data,
    model,
    train: new DataLoader(data.train, { batchSize, seed }),
    test: new DataLoader(data.test, { batchSize, shuffle: false }),
    loss: problem.loss,
    ...(problem.forward ? { forward: problem.forward } : {}),
    metrics: problem.metric ? [problem.metric] : [],
    seed,
  };
}
