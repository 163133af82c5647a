// What a checkpoint of `fit` holds, and how a run resumes from one: at the next epoch, or inside the
// epoch it was taken in, at the next batch, exactly as if it had never stopped.
import type { Module } from '../nn/index.js';
import type { Optimizer, OptimizerStateDict } from '../optim/index.js';
import { numbersFromJson, type Generator, type Tensor } from '../tensor/index.js';
import type { Callback, EpochProgress } from './callback.js';

export const FIT_FORMAT = 'rmsprop-fit/1';

/**
 * What a checkpoint holds; io's `saveCheckpoint` and `loadCheckpoint` write and read exactly this shape.
 * (train/ does not import io, per shared/DESIGN.md: the caller hands the writer in.)
 */
export interface TrainingCheckpoint {
  model: Readonly<Record<string, Tensor>>;
  optimizer?: OptimizerStateDict;
  step: number;
  rng?: readonly number[];
  config?: unknown;
}

/** What the `checkpoint` callback stores as the checkpoint's `config`. */
export interface FitCheckpointConfig {
  format: typeof FIT_FORMAT;
  /** The last completed epoch. */
  epoch: number;
  callbacks: Record<string, unknown>;
  /** When taken within an epoch: how far the next epoch had gone. */
  progress?: EpochProgress;
}

/** An unfinished epoch read back from a checkpoint. */
export interface Progress {
  readonly batch: number;
  readonly rng: number[];
  readonly sums: number[];
  readonly examples: number;
  readonly seconds: number;
}

/** Where a resumed run starts. */
export interface ResumePoint {
  /** The epoch after the checkpoint's last completed one. */
  readonly startEpoch: number;
  readonly step: number;
  /** How far that epoch had gone, when the checkpoint was taken inside it. */
  readonly progress: Progress | null;
}

/** Sets each generator's state from their states laid end to end (5 numbers each). */
export function setRngState(generators: readonly Generator[], state: readonly number[]): void {
  if (state.length !== 5 * generators.length)
    throw new RangeError(
      `fit: the random state has ${state.length} numbers, this run's ${generators.length} generators need ${5 * generators.length}`,
    );
  generators.forEach((g, i) => g.setState(state.slice(5 * i, 5 * i + 5)));
}

/** The checkpoint's progress, checked against this run; null when it was taken between epochs. */
function progressOf(config: Partial<FitCheckpointConfig>, metrics: number, generators: number): Progress | null {
  const p = config.progress;
  if (p === undefined) return null;
  const fail = (what: string): never => {
    throw new RangeError(`fit: the checkpoint's epoch progress ${what}`);
  };
  if (!p || typeof p !== 'object') fail(`must be an object, got ${JSON.stringify(p)}`);
  if (!Number.isInteger(p.batch) || p.batch < 0) fail(`has batch ${p.batch}; it must be an integer ≥ 0`);
  const sums = numbersFromJson(p.sums);
  if (!sums || sums.length !== metrics + 1)
    fail(`has ${p.sums?.length} sums; this run's loss and ${metrics} metric(s) need ${metrics + 1}`);
  const rng = numbersFromJson(p.rng);
  if (!rng || rng.length !== 5 * generators)
    fail(`has a random state of ${p.rng?.length} numbers; this run's ${generators} generators need ${5 * generators}`);
  if (!Number.isInteger(p.examples) || p.examples < 0) fail(`has examples ${p.examples}; it must be an integer ≥ 0`);
  return { batch: p.batch, rng: rng!, sums: sums!, examples: p.examples, seconds: p.seconds ?? 0 };
}

/**
 * Puts a checkpoint's parameters, optimizer state, generators' states and callbacks' states in place,
 * and says where the run goes on.
 */
export function resumeFrom(
  r: TrainingCheckpoint,
  run: {
    model: Module;
    optimizer: Optimizer;
    callbacks: readonly Callback[];
    metrics: number;
    generators: readonly Generator[];
  },
): ResumePoint {
  const config = r.config as Partial<FitCheckpointConfig> | undefined;
  if (config?.format !== FIT_FORMAT || !Number.isInteger(config.epoch))
    throw new RangeError(
      `fit: resume needs a checkpoint written by the checkpoint callback (config.format ${FIT_FORMAT})`,
    );
  const progress = progressOf(config, run.metrics, run.generators.length);
  run.model.loadStateDict(Object.fromEntries(Object.entries(r.model).map(([k, t]) => [k, t.data.slice()])));
  if (r.optimizer) run.optimizer.loadStateDict(r.optimizer);
  if (r.rng) setRngState(run.generators, r.rng);
  for (const c of run.callbacks) {
    const s = config.callbacks?.[c.name];
    if (s !== undefined && c.loadStateDict) c.loadStateDict(s);
  }
  return { startEpoch: config.epoch! + 1, step: r.step, progress };
}

/**
 * The batches of an epoch after the first `skip`, which a resumed run trained before its checkpoint;
 * `skipped` runs once they are passed (a lazy DataLoader makes no tensor for them).
 */
export function* after<T>(data: Iterable<T>, skip: number, epoch: number, skipped: () => void): IterableIterator<T> {
  const it = data[Symbol.iterator]();
  try {
    for (let i = 0; i < skip; i++) {
      if (it.next().done)
        throw new RangeError(
          `fit: the checkpoint was taken after batch ${skip} of epoch ${epoch}, but the training data has only ${i} batches`,
        );
    }
    skipped();
    for (let r = it.next(); !r.done; r = it.next()) yield r.value;
  } finally {
    it.return?.();
  }
}
