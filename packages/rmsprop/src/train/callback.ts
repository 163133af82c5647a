import type { Module } from '../nn/index.js';
import type { Optimizer } from '../optim/index.js';

/** One training step: where it was, what it cost, and its loss and metrics on its batch. */
export interface StepLog {
  /** 1 for the first epoch. */
  epoch: number;
  /** 1 for the first batch of the epoch. */
  batch: number;
  /** 1 for the first step of the run (counting on across resumed runs). */
  step: number;
  /** Examples in the batch. */
  size: number;
  /** The learning rate this step used (the first group's). */
  lr: number;
  loss: number;
  /** Wall time of the step. */
  seconds: number;
  /** Metric values by metric name (`accuracy`, …). */
  [metric: string]: number;
}

/**
 * One epoch: the training loss and metrics averaged over its examples (`loss`, `accuracy`, …) and, when
 * a held-out set is given, the same on it with a `test` prefix (`testLoss`, `testAccuracy`, …).
 */
export interface EpochLog {
  epoch: number;
  /** Steps taken so far. */
  step: number;
  /** The learning rate at the end of the epoch. */
  lr: number;
  loss: number;
  seconds: number;
  [value: string]: number;
}

/** The fields every step log has besides the metrics, whose names therefore may not take them. */
export const STEP_FIELDS: ReadonlySet<string> = new Set(['loss', 'epoch', 'batch', 'step', 'size', 'lr', 'seconds']);

/** The epoch log's key of a value measured on the held-out set: `accuracy` → `testAccuracy`. */
export const testKey = (name: string): string => `test${name[0]!.toUpperCase()}${name.slice(1)}`;

/** Why a run ended before its last epoch. */
export interface StopInfo {
  /** The callback that stopped it (`earlyStopping`, `nanGuard`, …). */
  by: string;
  message: string;
  epoch: number;
  step: number;
}

export interface History {
  /** One log per completed epoch. */
  epochs: EpochLog[];
  /** The loss of every step, in order. */
  losses: number[];
  /** Null when the run went through all its epochs. */
  stopped: StopInfo | null;
}

/** What callbacks see of a run, and how they act on it. */
export interface FitContext {
  readonly model: Module;
  readonly optimizer: Optimizer;
  /** The last epoch the run goes to. */
  readonly epochs: number;
  /** The first epoch of this call (after the checkpoint's epoch when resuming). */
  readonly startEpoch: number;
  /** Batches per epoch, when the training data knows it. */
  readonly stepsPerEpoch: number | undefined;
  readonly history: History;
  readonly seed: number | undefined;
  /** The current epoch (1 for the first). */
  readonly epoch: number;
  /** The current batch of the epoch (1 for the first; 0 before the first). */
  readonly batch: number;
  /** Steps taken, counting the one under way. */
  readonly step: number;
  /** Set once a callback has asked to stop. */
  readonly stopped: StopInfo | null;
  /** Whether this call continues a run from a checkpoint (`resume`). */
  readonly resumed: boolean;
  /**
   * Ends the run: asked during a step (from `onLoss` the update is not applied) it ends at once, with no
   * evaluation of the unfinished epoch; asked at the end of an epoch, after it. The first request counts.
   */
  stop(by: string, message: string): void;
  /** The state of every generator the run draws from (the training loader's, the default one). */
  rngState(): number[];
  setRngState(state: readonly number[]): void;
  /** The state of every callback that has one, by callback name (what a checkpoint keeps). */
  callbackStates(): Record<string, unknown>;
  /**
   * Where the run is inside an epoch whose batches are under way (from its first batch until its last
   * has been trained), which a checkpoint keeps to resume at that very batch; null between epochs.
   */
  epochProgress(): EpochProgress | null;
}

/**
 * An unfinished epoch, as JSON (non-finite numbers and −0 written as strings: "NaN", "-Infinity", "-0").
 * Resuming draws the epoch's order again from `rng` and skips the `batch` batches already trained.
 */
export interface EpochProgress {
  /** Batches of the epoch trained (their updates applied). */
  batch: number;
  /** The generators' states (as `rngState`) when the epoch drew its order. */
  rng: (number | string)[];
  /** The epoch's sums so far, weighted by examples: the loss, then each metric. */
  sums: (number | string)[];
  /** Examples trained in the epoch so far. */
  examples: number;
  /** Wall time spent in the epoch so far. */
  seconds: number;
}

type Hook<T extends unknown[] = []> = (ctx: FitContext, ...args: T) => void | Promise<void>;

/**
 * Hooks into `fit`, each optional. Hooks may be async except `onLoss`, which runs inside the step. At
 * each hook, callbacks run in the order given, those marked `runsLast` after the others.
 */
export interface Callback {
  /** Names the callback's state in checkpoints (unique among the callbacks of a run that have state). */
  readonly name: string;
  /** Run after the other callbacks at every hook (a checkpoint must see their updated state). */
  readonly runsLast?: boolean;
  onTrainBegin?: Hook;
  onEpochBegin?: Hook;
  onStepBegin?: Hook;
  /** After the forward pass, before backward and the update: the place to refuse a loss. */
  onLoss?: (ctx: FitContext, loss: number) => void;
  onStepEnd?: Hook<[log: StepLog]>;
  onEpochEnd?: Hook<[log: EpochLog]>;
  /** Also runs when the run fails, with the error (after which fit rethrows it). */
  onTrainEnd?: Hook<[history: History, error: unknown]>;
  /** JSON-able state for checkpoints, and its restoration when resuming. */
  stateDict?(): unknown;
  loadStateDict?(state: unknown): void;
}
