import type { Batch } from '../data/index.js';
import type { Module } from '../nn/index.js';
import type { Optimizer } from '../optim/index.js';
import { defaultGenerator, manualSeed, noGrad, numbersToJson, scope, type Generator } from '../tensor/index.js';
import {
  STEP_FIELDS,
  testKey,
  type Callback,
  type EpochLog,
  type FitContext,
  type History,
  type StepLog,
  type StopInfo,
} from './callback.js';
import { batchSize, defaultForward, evaluate, lossValue, type ForwardFn, type LossFn } from './evaluate.js';
import type { Metric } from './metric.js';
import { progress } from './progress.js';
import { after, resumeFrom, setRngState, type Progress, type TrainingCheckpoint } from './resume.js';

/** Training batches: a DataLoader, or any iterable of batches (one pass per epoch). */
export interface TrainData extends Iterable<Batch> {
  /** Batches per epoch, if known. */
  readonly length?: number;
  /** The generator that draws the order, saved in checkpoints and reseeded by `seed`. */
  readonly generator?: Generator;
}

export interface FitOptions {
  train: TrainData;
  /** Held-out batches, measured after every epoch (evaluation mode, no gradients). */
  test?: Iterable<Batch>;
  /** The last epoch: a resumed run goes on from the checkpoint's epoch up to this one. */
  epochs: number;
  loss: LossFn;
  forward?: ForwardFn;
  /** Measured on every training batch and on the held-out set; the loss always is. */
  metrics?: readonly Metric[];
  callbacks?: readonly Callback[];
  /** Reseeds the default generator and the training data's before the first epoch. */
  seed?: number;
  /**
   * A checkpoint written by `trainingCheckpoint` (the `checkpoint` callback's): parameters, optimizer,
   * step, generators, callbacks, and within an epoch its progress, from which the run goes on at the
   * next batch exactly as if it had never stopped.
   */
  resume?: TrainingCheckpoint;
  /**
   * What fit prints, as Keras's `verbose`: `'auto'` (the default) or `1`, a live progress line during
   * each epoch on a terminal and one line at the end of each epoch; `2`, the epoch lines only; `0`,
   * nothing. Lines go to stdout in Node (the live line only when it is a terminal), to the console
   * elsewhere. It is the `progress` callback: pass `verbose: 0` and `progress({ … })` among the
   * callbacks to write elsewhere, with a label, another metric or other number formats.
   */
  verbose?: Verbosity;
}

/** `fit`'s `verbose`, as Keras's: `'auto'` or 1 a live line on a terminal, 2 epoch lines only, 0 silent. */
export type Verbosity = 'auto' | 0 | 1 | 2;
const VERBOSITIES: readonly unknown[] = ['auto', 0, 1, 2];

const now = (): number => performance.now();

/** The epoch under way: the generators' states that drew its order, its sums and examples so far, when it began, and the batches trained. */
interface EpochState {
  readonly rng: number[];
  readonly sums: Float64Array;
  examples: number;
  readonly began: number;
  trained: number;
}

function check(o: FitOptions, metrics: readonly Metric[], callbacks: readonly Callback[]): void {
  if (!o || typeof o !== 'object') throw new TypeError('fit: expected options { train, epochs, loss, … }');
  if (o.verbose !== undefined && !VERBOSITIES.includes(o.verbose))
    throw new RangeError(
      `fit: verbose must be 'auto' or 1 (a live line on a terminal, and a line per epoch), 2 (a line per epoch) ` +
        `or 0 (silent), got ${typeof o.verbose === 'string' ? `'${o.verbose}'` : String(o.verbose)}`,
    );
  if (!o.train || typeof o.train[Symbol.iterator] !== 'function')
    throw new TypeError('fit: train must be a DataLoader or an iterable of batches');
  if (o.test !== undefined && typeof o.test?.[Symbol.iterator] !== 'function')
    throw new TypeError('fit: test must be a DataLoader or an iterable of batches');
  if (!Number.isInteger(o.epochs) || o.epochs < 0)
    throw new RangeError(`fit: epochs must be an integer ≥ 0, got ${o.epochs}`);
  if (typeof o.loss !== 'function') throw new TypeError('fit: loss must be a function (output, y) => Tensor');
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed))
    throw new RangeError(`fit: seed must be an integer, got ${o.seed}`);
  const names = new Set<string>();
  for (const m of metrics) {
    if (STEP_FIELDS.has(m.name) || names.has(m.name))
      throw new RangeError(`fit: metric name '${m.name}' is ${names.has(m.name) ? 'given twice' : 'reserved'}`);
    names.add(m.name);
  }
  const stateful = new Set<string>();
  for (const c of callbacks) {
    if (!c || typeof c.name !== 'string') throw new TypeError('fit: every callback needs a name');
    if (!c.stateDict) continue;
    if (stateful.has(c.name))
      throw new RangeError(`fit: two callbacks with state are named '${c.name}'; give one another name`);
    stateful.add(c.name);
  }
}

/** Where a run is: its position, and the epoch under way (null between epochs). */
interface Position {
  epoch: number;
  batch: number;
  step: number;
  stopped: StopInfo | null;
  current: EpochState | null;
}

/**
 * Trains `model` with `optimizer`: for each epoch, every training batch in a step of its own (forward,
 * loss, backward, update, all freed when the step ends), then the held-out set. Returns the history;
 * with a `seed`, the same call gives the same run. Says how it goes as `verbose` asks: by default a line
 * per epoch, and a live line during each on a terminal.
 */
export async function fit(model: Module, optimizer: Optimizer, o: FitOptions): Promise<History> {
  const metrics = o.metrics ?? [];
  const callbacks = [...(o.callbacks ?? [])];
  check(o, metrics, callbacks);
  const { verbose = 'auto' } = o;
  if (verbose !== 0)
    callbacks.push(progress({ metric: metrics[0]?.name ?? null, ...(verbose === 2 ? { live: false } : {}) }));
  callbacks.sort((a, b) => Number(!!a.runsLast) - Number(!!b.runsLast));
  const { train, test, loss, forward = defaultForward, seed } = o;
  const generators = [...new Set([train.generator, defaultGenerator])].filter((g): g is Generator => !!g);
  if (seed !== undefined) for (const g of generators) g.seed(seed);
  if (seed !== undefined) manualSeed(seed);

  const start = o.resume
    ? resumeFrom(o.resume, { model, optimizer, callbacks, metrics: metrics.length, generators })
    : { startEpoch: 1, step: 0, progress: null };
  let resumeAt: Progress | null = start.progress;
  const history: History = { epochs: [], losses: [], stopped: null };
  const at: Position = { epoch: start.startEpoch, batch: 0, step: start.step, stopped: null, current: null };
  const rngState = (): number[] => generators.flatMap((g) => g.getState());
  const ctx: FitContext = {
    model,
    optimizer,
    epochs: o.epochs,
    startEpoch: start.startEpoch,
    stepsPerEpoch: train.length,
    history,
    seed,
    resumed: o.resume !== undefined,
    get epoch() {
      return at.epoch;
    },
    get batch() {
      return at.batch;
    },
    get step() {
      return at.step;
    },
    get stopped() {
      return at.stopped;
    },
    stop(by, message) {
      at.stopped ??= { by, message, epoch: at.epoch, step: at.step };
      history.stopped = at.stopped;
    },
    rngState,
    setRngState: (state) => setRngState(generators, state),
    callbackStates: () => Object.fromEntries(callbacks.filter((c) => c.stateDict).map((c) => [c.name, c.stateDict!()])),
    epochProgress: () =>
      at.current && {
        batch: at.current.trained,
        rng: numbersToJson(at.current.rng),
        sums: numbersToJson(at.current.sums),
        examples: at.current.examples,
        seconds: (now() - at.current.began) / 1000,
      },
  };
  const run = async <K extends 'onTrainBegin' | 'onEpochBegin' | 'onStepBegin'>(hook: K): Promise<void> => {
    for (const c of callbacks) await c[hook]?.(ctx);
  };

  /** The epoch's batches; a resumed one draws its order as it was drawn and passes the batches done. */
  const batchesOf = (state: EpochState, progress: Progress | null): Iterable<Batch> => {
    if (!progress) return train;
    const checkpointRng = rngState();
    setRngState(generators, state.rng);
    state.sums.set(progress.sums);
    return after(train, progress.batch, at.epoch, () => {
      setRngState(generators, checkpointRng);
      at.batch = state.trained = progress.batch;
    });
  };

  /** Trains one batch; false when a callback stopped the run. */
  const trainStep = async (b: Batch, state: EpochState): Promise<boolean> => {
    at.batch++;
    at.step++;
    await run('onStepBegin');
    if (at.stopped) return false;
    const lr = optimizer.lr;
    const t0 = now();
    const r = scope(() => {
      model.zeroGrad();
      const out = forward(model, b.x);
      const l = loss(out, b.y);
      const value = lossValue(l);
      for (const c of callbacks) c.onLoss?.(ctx, value);
      const values = noGrad(() => metrics.map((m) => m.compute(out, b.y)));
      if (!at.stopped) {
        l.backward();
        optimizer.step();
      }
      return { value, values, size: batchSize(b) };
    });
    history.losses.push(r.value);
    if (!at.stopped) {
      state.sums[0]! += r.value * r.size;
      r.values.forEach((v, i) => (state.sums[i + 1]! += v * r.size));
      state.examples += r.size;
      state.trained = at.batch;
    }
    const log: StepLog = {
      epoch: at.epoch,
      batch: at.batch,
      step: at.step,
      size: r.size,
      lr,
      loss: r.value,
      seconds: (now() - t0) / 1000,
    };
    metrics.forEach((m, i) => (log[m.name] = r.values[i]!));
    for (const c of callbacks) await c.onStepEnd?.(ctx, log);
    return !at.stopped;
  };

  /** Trains one epoch and measures it; false when a callback stopped the run inside it. */
  const trainEpoch = async (): Promise<boolean> => {
    at.batch = 0;
    model.train();
    await run('onEpochBegin');
    const progress = resumeAt;
    resumeAt = null;
    const state: EpochState = {
      rng: progress?.rng ?? rngState(),
      sums: new Float64Array(metrics.length + 1),
      examples: progress?.examples ?? 0,
      began: now() - (progress?.seconds ?? 0) * 1000,
      trained: 0,
    };
    at.current = state;
    for (const b of batchesOf(state, progress)) if (!(await trainStep(b, state))) return false;
    at.current = null;
    const { sums, examples, began } = state;
    if (examples === 0) throw new RangeError(`fit: the training data gave no examples in epoch ${at.epoch}`);
    const log: EpochLog = { epoch: at.epoch, step: at.step, lr: optimizer.lr, loss: sums[0]! / examples, seconds: 0 };
    metrics.forEach((m, i) => (log[m.name] = sums[i + 1]! / examples));
    if (test) {
      const measured = evaluate(model, test, { loss, metrics, forward });
      for (const [k, v] of Object.entries(measured)) log[testKey(k)] = v;
    }
    log.seconds = (now() - began) / 1000;
    history.epochs.push(log);
    for (const c of callbacks) await c.onEpochEnd?.(ctx, log);
    return true;
  };

  let failure: unknown = null;
  try {
    await run('onTrainBegin');
    for (; at.epoch <= o.epochs && !at.stopped; at.epoch++) if (!(await trainEpoch())) break;
    // Leave `epoch` at the last epoch begun.
    at.epoch = Math.min(at.epoch, Math.max(o.epochs, start.startEpoch));
  } catch (e) {
    failure = e;
  }
  for (const c of callbacks) {
    try {
      await c.onTrainEnd?.(ctx, history, failure);
    } catch (e) {
      failure ??= e;
    }
  }
  if (failure !== null) throw failure;
  return history;
}
