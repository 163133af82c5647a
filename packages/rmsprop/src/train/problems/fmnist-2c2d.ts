import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '../../nn/index.js';
import { crossEntropy } from '../../tensor/index.js';
import { accuracy } from '../metric.js';
import { fashionMnist } from './fashion-mnist.js';
import { truncatedNormalInit } from './init.js';
import type { Problem } from './problem.js';

/**
 * `fmnist_2c2d` (DeepOBS): conv 5×5×32 'same', ReLU, max-pool 2; conv 5×5×64 'same', ReLU, max-pool 2;
 * dense 1024, ReLU; dense 10 — weights from a truncated normal of deviation 0.05, biases 0.05, softmax
 * cross-entropy on Fashion-MNIST. Batch 128, 100 epochs.
 */
export function fmnist2c2d(): Problem {
  const init = <L extends Linear | Conv2d>(layer: L) => truncatedNormalInit(layer, 0.05, 0.05);
  return {
    name: 'fmnist_2c2d',
    description: 'two convolutions and two dense layers on Fashion-MNIST (DeepOBS)',
    batchSize: 128,
    epochs: 100,
    data: (o = {}) => fashionMnist(o, 'fmnist_2c2d'),
    model: () =>
      new Sequential(
        init(new Conv2d(1, 32, 5, { padding: 'same' })),
        new ReLU(),
        new MaxPool2d({ kernel: 2 }),
        init(new Conv2d(32, 64, 5, { padding: 'same' })),
        new ReLU(),
        new MaxPool2d({ kernel: 2 }),
        new Flatten(),
        init(new Linear(7 * 7 * 64, 1024)),
        new ReLU(),
        init(new Linear(1024, 10)),
      ),
    loss: (output, y) => crossEntropy(output, y),
    metric: accuracy,
  };
}
