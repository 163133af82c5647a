import type { TrainingCheckpoint } from './checkpoint.js';
import type { Batch } from '../data/index.js';
import type { Module } from '../nn/index.js';
import type { GroupOptions, Optimizer } from '../optim/index.js';
import { defaultGenerator, manualSeed, noGrad, scope, type Generator } from '../tensor/index.js';
import type { Callback, EpochLog, EpochProgress, FitContext, History, StepLog, StopInfo } from './callback.js';
import { batchSize, defaultForward, evaluate, lossValue, type ForwardFn, type LossFn } from './evaluate.js';
import type { Metric } from './metric.js';

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

export const FIT_FORMAT = 'rmsprop-fit/1';

const now = (): number => performance.now();
const capitalized = (s: string): string => s[0]!.toUpperCase() + s.slice(1);

// A checkpoint's config is JSON, which lacks NaN, ±Infinity and −0 (a generator's state holds NaN, a
// diverging epoch's sums ±Infinity): those travel as strings, which Number() reads back.
const toJson = (xs: ArrayLike<number>): (number | string)[] =>
  Array.from(xs, (x) => (Object.is(x, -0) ? '-0' : Number.isFinite(x) ? x : String(x)));
const fromJson = (xs: readonly (number | string)[]): number[] => xs.map(Number);

/** The checkpoint's progress, checked against this run; null when it was taken between epochs. */
function progressOf(config: Partial<FitCheckpointConfig>, metrics: number, generators: number): EpochProgress | null {
  const p = config.progress;
  if (p === undefined) return null;
  const fail = (what: string): never => {
    throw new RangeError(`fit: the checkpoint's epoch progress ${what}`);
  };
  if (!p || typeof p !== 'object') fail(`must be an object, got ${JSON.stringify(p)}`);
  if (!Number.isInteger(p.batch) || p.batch < 0) fail(`has batch ${p.batch}; it must be an integer ≥ 0`);
  if (!Array.isArray(p.sums) || p.sums.length !== metrics + 1)
    fail(`has ${p.sums?.length} sums; this run's loss and ${metrics} metric(s) need ${metrics + 1}`);
  if (!Array.isArray(p.rng) || p.rng.length !== 5 * generators)
    fail(`has a random state of ${p.rng?.length} numbers; this run's ${generators} generators need ${5 * generators}`);
  if (!Number.isInteger(p.examples) || p.examples < 0) fail(`has examples ${p.examples}; it must be an integer ≥ 0`);
  return p;
}

/**
 * The batches of an epoch after the first `skip`, which a resumed run trained before its checkpoint;
 * `skipped` runs once they are passed (a lazy DataLoader makes no tensor for them).
 */
function* after<T>(data: Iterable<T>, skip: number, epoch: number, skipped: () => void): IterableIterator<T> {
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

function check(o: FitOptions, metrics: readonly Metric[], callbacks: readonly Callback[]): void {
  if (!o || typeof o !== 'object') throw new TypeError('fit: expected options { train, epochs, loss, … }');
  if (!o.train || typeof o.train[Symbol.iterator] !== 'function')
    throw new TypeError('fit: train must be a DataLoader or an iterable of batches');
  if (o.test !== undefined && typeof o.test?.[Symbol.iterator] !== 'function')
    throw new TypeError('fit: test must be a DataLoader or an iterable of batches');
  if (!Number.isInteger(o.epochs) || o.epochs < 0)
    throw new RangeError(`fit: epochs must be an integer ≥ 0, got ${o.epochs}`);
  if (typeof o.loss !== 'function') throw new TypeError('fit: loss must be a function (output, y) => Tensor');
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed))
    throw new RangeError(`fit: seed must be an integer, got ${o.seed}`);
  const reserved = new Set(['loss', 'epoch', 'batch', 'step', 'size', 'lr', 'seconds']);
  const names = new Set<string>();
  for (const m of metrics) {
    if (reserved.has(m.name) || names.has(m.name))
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

/**
 * Trains `model` with `optimizer`: for each epoch, every training batch in a step of its own (forward,
 * loss, backward, update, all freed when the step ends), then the held-out set. Returns the history;
 * with a `seed`, the same call gives the same run.
 */
export async function fit<O extends GroupOptions>(
  model: Module,
  optimizer: Optimizer<O>,
  o: FitOptions,
): Promise<History> {
  const metrics = o.metrics ?? [];
  const callbacks = [...(o.callbacks ?? [])];
  check(o, metrics, callbacks);
  callbacks.sort((a, b) => Number(!!a.runsLast) - Number(!!b.runsLast));
  const { train, test, loss, forward = defaultForward, seed } = o;
  const opt = optimizer as unknown as Optimizer<GroupOptions>;
  const generators = [...new Set([train.generator, defaultGenerator])].filter((g): g is Generator => !!g);
  if (seed !== undefined) for (const g of generators) g.seed(seed);
  if (seed !== undefined) manualSeed(seed);

  const history: History = { epochs: [], losses: [], stopped: null };
  let startEpoch = 1;
  let step = 0;
  let resumeAt: EpochProgress | null = null;
  if (o.resume) {
    const r = o.resume;
    const config = r.config as Partial<FitCheckpointConfig> | undefined;
    if (config?.format !== FIT_FORMAT || !Number.isInteger(config.epoch))
      throw new RangeError(
        `fit: resume needs a checkpoint written by the checkpoint callback (config.format ${FIT_FORMAT})`,
      );
    model.loadStateDict(Object.fromEntries(Object.entries(r.model).map(([k, t]) => [k, t.data.slice()])));
    if (r.optimizer) opt.loadStateDict(r.optimizer);
    if (r.rng) setRngState(r.rng);
    for (const c of callbacks) {
      const s = config.callbacks?.[c.name];
      if (s !== undefined && c.loadStateDict) c.loadStateDict(s);
    }
    resumeAt = progressOf(config, metrics.length, generators.length);
    startEpoch = config.epoch! + 1;
    step = r.step;
  }

  function setRngState(state: readonly number[]): void {
    if (state.length !== 5 * generators.length)
      throw new RangeError(
        `fit: the random state has ${state.length} numbers, this run's ${generators.length} generators need ${5 * generators.length}`,
      );
    generators.forEach((g, i) => g.setState(state.slice(5 * i, 5 * i + 5)));
  }

  let epoch = startEpoch;
  let batch = 0;
  let stopped: StopInfo | null = null;
  // The epoch under way: the generators' states that drew its order, its sums and examples so far,
  // when it began, and the batches trained (a step refused by `onLoss` is not one of them).
  let current: { rng: number[]; sums: Float64Array; examples: number; began: number; trained: number } | null = null;
  const ctx: FitContext = {
    model,
    optimizer: opt,
    epochs: o.epochs,
    startEpoch,
    stepsPerEpoch: train.length,
    history,
    seed,
    resumed: o.resume !== undefined,
    get epoch() {
      return epoch;
    },
    get batch() {
      return batch;
    },
    get step() {
      return step;
    },
    get stopped() {
      return stopped;
    },
    stop(by, message) {
      stopped ??= { by, message, epoch, step };
      history.stopped = stopped;
    },
    rngState: () => generators.flatMap((g) => g.getState()),
    setRngState,
    callbackStates: () => Object.fromEntries(callbacks.filter((c) => c.stateDict).map((c) => [c.name, c.stateDict!()])),
    epochProgress: () =>
      current && {
        batch: current.trained,
        rng: toJson(current.rng),
        sums: toJson(current.sums),
        examples: current.examples,
        seconds: (now() - current.began) / 1000,
      },
  };
  const run = async <K extends 'onTrainBegin' | 'onEpochBegin' | 'onStepBegin'>(hook: K): Promise<void> => {
    for (const c of callbacks) await c[hook]?.(ctx);
  };

  let failure: unknown = null;
  try {
    await run('onTrainBegin');
    for (; epoch <= o.epochs && !stopped; epoch++) {
      batch = 0;
      model.train();
      await run('onEpochBegin');
      const sums = new Float64Array(metrics.length + 1);
      const at = resumeAt;
      resumeAt = null;
      const state = {
        rng: at ? fromJson(at.rng) : ctx.rngState(),
        sums,
        examples: at?.examples ?? 0,
        began: now() - (at?.seconds ?? 0) * 1000,
        trained: 0,
      };
      current = state;
      let batches: Iterable<Batch> = train;
      if (at) {
        // Draw the epoch's order as it was drawn, pass the batches done, then go on from the checkpoint's state.
        const checkpointRng = ctx.rngState();
        setRngState(state.rng);
        sums.set(fromJson(at.sums));
        batches = after(train, at.batch, epoch, () => {
          setRngState(checkpointRng);
          batch = state.trained = at.batch;
        });
      }
      let finished = true;
      for (const b of batches) {
        batch++;
        step++;
        await run('onStepBegin');
        if (stopped) {
          finished = false;
          break;
        }
        const lr = opt.lr;
        const t0 = now();
        const r = scope(() => {
          model.zeroGrad();
          const out = forward(model, b.x);
          const l = loss(out, b.y);
          const value = lossValue(l);
          for (const c of callbacks) c.onLoss?.(ctx, value);
          const values = noGrad(() => metrics.map((m) => m.compute(out, b.y)));
          if (!stopped) {
            l.backward();
            opt.step();
          }
          return { value, values, size: batchSize(b) };
        });
        history.losses.push(r.value);
        if (!stopped) {
          sums[0]! += r.value * r.size;
          r.values.forEach((v, i) => (sums[i + 1]! += v * r.size));
          state.examples += r.size;
          state.trained = batch;
        }
        const log: StepLog = { epoch, batch, step, size: r.size, lr, loss: r.value, seconds: (now() - t0) / 1000 };
        metrics.forEach((m, i) => (log[m.name] = r.values[i]!));
        for (const c of callbacks) await c.onStepEnd?.(ctx, log);
        if (stopped) {
          finished = false;
          break;
        }
      }
      if (!finished) break;
      current = null;
      const { examples, began } = state;
      if (examples === 0) throw new RangeError(`fit: the training data gave no examples in epoch ${epoch}`);
      const log: EpochLog = { epoch, step, lr: opt.lr, loss: sums[0]! / examples, seconds: 0 };
      metrics.forEach((m, i) => (log[m.name] = sums[i + 1]! / examples));
      if (test) {
        const measured = evaluate(model, test, { loss, metrics, forward });
        for (const [k, v] of Object.entries(measured)) log[`test${capitalized(k)}`] = v;
      }
      log.seconds = (now() - began) / 1000;
      history.epochs.push(log);
      for (const c of callbacks) await c.onEpochEnd?.(ctx, log);
    }
    // Leave `epoch` at the last epoch begun.
    epoch = Math.min(epoch, Math.max(o.epochs, startEpoch));
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
