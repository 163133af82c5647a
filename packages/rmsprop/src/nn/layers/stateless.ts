import {
  avgPool2d,
  dropout,
  gelu,
  leakyRelu,
  maxPool2d,
  relu,
  reshape,
  sigmoid,
  tanh,
  type Generator,
  type PoolOptions,
  type Tensor,
} from '../../tensor/index.js';
import { Module } from '../module.js';

// Layers without parameters: thin wrappers so that they compose in Sequential.

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}
export class LeakyReLU extends Module {
  constructor(readonly slope = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.slope);
  }
}
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}
export class GELU extends Module {
  forward(x: Tensor): Tensor {
    return gelu(x);
  }
}

export class MaxPool2d extends Module {
  constructor(readonly options: PoolOptions) {
    super();
  }
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.options);
  }
}
export class AvgPool2d extends Module {
  constructor(readonly options: PoolOptions & { countIncludePad?: boolean }) {
    super();
  }
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.options);
  }
}

/** Flattens dimensions from `startDim` on (the batch dimension stays). */
export class Flatten extends Module {
  constructor(readonly startDim = 1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return reshape(x, [...x.shape.slice(0, this.startDim), -1]);
  }
}

/** Inverted dropout while training, the identity in evaluation mode. */
export class Dropout extends Module {
  constructor(
    readonly p = 0.5,
    readonly generator?: Generator,
  ) {
    super();
    if (!(p >= 0 && p < 1)) throw new RangeError(`Dropout: p must be in [0, 1), got ${p}`);
  }
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, { training: this.training, generator: this.generator });
  }
}
