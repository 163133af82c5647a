import { add, div, mean, mul, noGrad, ones, reshape, sqrt, sub, zeros, type Tensor } from '../../tensor/index.js';
import { Module } from '../module.js';

/**
 * Batch normalisation (Ioffe & Szegedy 2015) over every dimension but the channel (dim 1): batch
 * statistics while training, with running mean and unbiased variance updated by `momentum`; the running
 * statistics in evaluation mode.
 */
class BatchNorm extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  /** Batches seen in training mode (PyTorch keeps it in the state dict too). */
  readonly batchesTracked: Tensor;
  constructor(
    private readonly dims: number[],
    readonly features: number,
    readonly eps = 1e-5,
    readonly momentum = 0.1,
  ) {
    super();
    this.weight = this.param('weight', ones([features]));
    this.bias = this.param('bias', zeros([features]));
    this.runningMean = this.buffer('running_mean', zeros([features]));
    this.runningVar = this.buffer('running_var', ones([features]));
    this.batchesTracked = this.buffer('num_batches_tracked', zeros([]));
  }

  forward(x: Tensor): Tensor {
    if (!this.dims.includes(x.ndim) || x.shape[1] !== this.features) {
      throw new RangeError(
        `${this.constructor.name}: input must be ${this.dims.map((d) => `${d}-D`).join(' or ')} with ${this.features} channels in dim 1, got [${x.shape.join(', ')}]`,
      );
    }
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const shape = x.shape.map((d, i) => (i === 1 ? d : 1));
    let mu: Tensor;
    let variance: Tensor;
    if (this.training) {
      const n = x.size / this.features;
      if (n < 2)
        throw new RangeError(
          `${this.constructor.name}: training needs more than 1 value per channel, got input [${x.shape.join(', ')}]`,
        );
      mu = mean(x, axes, true);
      const centered = sub(x, mu);
      variance = mean(mul(centered, centered), axes, true);
      noGrad(() => {
        this.batchesTracked.data[0]! += 1;
        const [m, v, bm, bv] = [this.runningMean.data, this.runningVar.data, mu.data, variance.data];
        for (let c = 0; c < this.features; c++) {
          m[c] = (1 - this.momentum) * m[c]! + this.momentum * bm[c]!;
          v[c] = (1 - this.momentum) * v[c]! + (this.momentum * bv[c]! * n) / (n - 1);
        }
      });
    } else {
      mu = reshape(this.runningMean.detach(), shape);
      variance = reshape(this.runningVar.detach(), shape);
    }
    const normalised = div(sub(x, mu), sqrt(add(variance, this.eps)));
    return add(mul(normalised, reshape(this.weight, shape)), reshape(this.bias, shape));
  }
}

/** Over [N, C] or [N, C, L]. */
export class BatchNorm1d extends BatchNorm {
  constructor(features: number, o: { eps?: number; momentum?: number } = {}) {
    super([2, 3], features, o.eps, o.momentum);
  }
}

/** Over [N, C, H, W]. */
export class BatchNorm2d extends BatchNorm {
  constructor(features: number, o: { eps?: number; momentum?: number } = {}) {
    super([4], features, o.eps, o.momentum);
  }
}
