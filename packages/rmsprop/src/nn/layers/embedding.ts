import { embedding, noGrad, zeros, type Tensor } from '../../tensor/index.js';
import { normal } from '../init.js';
import { Module } from '../module.js';

/** A lookup table [num, dim] initialised N(0, 1); the `paddingIdx` row starts at zero and gets no gradient. */
export class Embedding extends Module {
  readonly weight: Tensor;
  constructor(
    readonly num: number,
    readonly dim: number,
    readonly paddingIdx: number | null = null,
  ) {
    super();
    if (paddingIdx !== null && !(Number.isInteger(paddingIdx) && paddingIdx >= 0 && paddingIdx < num)) {
      throw new RangeError(`Embedding: paddingIdx must be an index below ${num}, got ${paddingIdx}`);
    }
    this.weight = this.param('weight', normal(zeros([num, dim])));
    const p = this.paddingIdx;
    if (p !== null) noGrad(() => this.weight.data.fill(0, p * dim, (p + 1) * dim));
  }
  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, this.paddingIdx);
  }
}
