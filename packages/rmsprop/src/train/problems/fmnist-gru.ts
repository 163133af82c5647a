import { crossEntropy } from '../../tensor/index.js';
import { accuracy } from '../metric.js';
import { fashionMnist } from './fashion-mnist.js';
import { LastStepGRU } from './modules.js';
import type { Problem } from './problem.js';

/**
 * `fmnist_gru`: `fmnist_lstm` with a GRU of 128 units (PyTorch's initialisation) in place of the LSTM: each
 * Fashion-MNIST image read as a sequence of its 28 rows, a dense layer of 10 on the last hidden state,
 * softmax cross-entropy. Not a DeepOBS problem; batch 128, 50 epochs.
 */
export function fmnistGru(): Problem {
  return {
    name: 'fmnist_gru',
    description: 'GRU 128 over the 28 rows of Fashion-MNIST images, dense 10 on the last step',
    batchSize: 128,
    epochs: 50,
    data: (o = {}) => fashionMnist(o, 'fmnist_gru'),
    model: () => new LastStepGRU(28, 28, 128, 10),
    loss: (output, y) => crossEntropy(output, y),
    metric: accuracy,
  };
}
