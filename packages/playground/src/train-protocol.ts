import type { Options } from './optimizer-kinds.js';

/** An optimizer as it crosses to the worker: its kind's key and its options (kinds hold functions). */
export interface OptimizerSpecMessage {
  readonly kind: string;
  readonly options: Options;
}

/** Trains one copy of the network per optimizer, from the same initial weights on the same batches. */
export interface TrainRequest {
  readonly type: 'start';
  readonly optimizers: readonly OptimizerSpecMessage[];
  readonly batchSize: number;
  readonly epochs: number;
  readonly seed: number;
}

export type ToWorker = TrainRequest | { readonly type: 'stop' };

export type FromWorker =
  /** How many threads the kernels train on, and why only one where that is all the page allows. */
  | { readonly type: 'threads'; readonly threads: number; readonly reason: string | null }
  /** The data is loaded: the test digits whose predictions will follow. */
  | { readonly type: 'ready'; readonly images: Float32Array; readonly labels: readonly number[] }
  | {
      readonly type: 'step';
      readonly run: number;
      readonly step: number;
      readonly loss: number;
      readonly accuracy: number;
    }
  /** Loss and accuracy on held-out digits, and the predicted class of each digit shown. */
  | {
      readonly type: 'evaluation';
      readonly run: number;
      readonly step: number;
      readonly loss: number;
      readonly accuracy: number;
      readonly predictions: readonly number[];
    }
  | { readonly type: 'finished'; readonly run: number; readonly stopped: string | null }
  | { readonly type: 'error'; readonly run: number | null; readonly message: string }
  /** Every run has ended. */
  | { readonly type: 'done' };
