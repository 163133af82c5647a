import { linear, zeros, type Tensor } from '../../tensor/index.js';
import { uniform } from '../init.js';
import { Module } from '../module.js';

/** y = x·Wᵀ + b; weight [out, in] and bias initialised U(±1/√in) as in PyTorch. */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    o: { bias?: boolean } = {},
  ) {
    super();
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = this.param('weight', uniform(zeros([outFeatures, inFeatures]), -bound, bound));
    this.bias = o.bias === false ? null : this.param('bias', uniform(zeros([outFeatures]), -bound, bound));
  }
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}
