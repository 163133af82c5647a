import { addingProblem } from '../../data/index.js';
import { mseLoss } from '../../tensor/index.js';
import { LastStepLSTM } from './modules.js';
import type { Problem } from './problem.js';

export interface AddingOptions {
  /** Sequence length T; default 100. */
  seqLength?: number;
  /** Hidden units; default 128. */
  hidden?: number;
  /** Default 10 000 training and 1000 test sequences. */
  trainSize?: number;
  testSize?: number;
}

/**
 * `adding`: the adding problem (Hochreiter & Schmidhuber 1997, as in Le, Jaitly & Hinton 2015) with
 * T = 100: an LSTM reads [value, marker] pairs and a dense layer of 1 on its last hidden state
 * predicts the sum of the two marked values; mean squared error (always answering 1 scores 1/6).
 * Training sequences are drawn with seed 1, test sequences with seed 2. Batch 50, 100 epochs.
 */
export function adding(o: AddingOptions = {}): Problem {
  const { seqLength = 100, hidden = 128, trainSize = 10_000, testSize = 1000 } = o;
  return {
    name: 'adding',
    description: `the adding problem, T = ${seqLength}: LSTM ${hidden}, dense 1 on the last step, MSE`,
    batchSize: 50,
    epochs: 100,
    async data(d = {}) {
      const { limit } = d;
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1))
        throw new RangeError(`adding: limit must be an integer ≥ 1, got ${limit}`);
      const size = (n: number) => Math.min(n, limit ?? n);
      return {
        train: addingProblem({ size: size(trainSize), seqLength, seed: 1 }),
        test: addingProblem({ size: size(testSize), seqLength, seed: 2 }),
      };
    },
    model: () => new LastStepLSTM(seqLength, 2, hidden, 1),
    loss: (output, y) => mseLoss(output, y),
    metric: null,
  };
}
