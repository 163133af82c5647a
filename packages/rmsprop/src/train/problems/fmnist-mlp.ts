import { Flatten, Linear, ReLU, Sequential } from '../../nn/index.js';
import { crossEntropy } from '../../tensor/index.js';
import { accuracy } from '../metric.js';
import { fashionMnist } from './fashion-mnist.js';
import { truncatedNormalInit } from './init.js';
import type { Problem } from './problem.js';

/**
 * `fmnist_mlp` (DeepOBS): a multi-layer perceptron 784-1000-500-100-10 with ReLU on Fashion-MNIST,
 * weights from a truncated normal of deviation 0.03, biases zero, softmax cross-entropy. Batch 128, 100 epochs.
 */
export function fmnistMlp(): Problem {
  const dense = (i: number, o: number) => truncatedNormalInit(new Linear(i, o), 3e-2, 0);
  return {
    name: 'fmnist_mlp',
    description: 'MLP 784-1000-500-100-10 (ReLU) on Fashion-MNIST (DeepOBS)',
    batchSize: 128,
    epochs: 100,
    data: (o = {}) => fashionMnist(o, 'fmnist_mlp'),
    model: () =>
      new Sequential(
        new Flatten(),
        dense(784, 1000),
        new ReLU(),
        dense(1000, 500),
        new ReLU(),
        dense(500, 100),
        new ReLU(),
        dense(100, 10),
      ),
    loss: (output, y) => crossEntropy(output, y),
    metric: accuracy,
  };
}
