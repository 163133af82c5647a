import { LSTM, Linear, Module } from '../../nn/index.js';
import { fromArray, keep, matmul, mul, reshape, slice, sub, sum, ones, type Tensor } from '../../tensor/index.js';

/**
 * DeepOBS's noisy quadratic: one parameter θ [1, dim] starting at 1, and for each example x the loss
 * ½(θ − x)ᵀH(θ − x) with a fixed Hessian H. The output is that loss per example, [N].
 */
export class NoisyQuadratic extends Module {
  readonly theta: Tensor;
  private readonly hessian: Tensor;
  constructor(
    hessian: Float32Array,
    readonly dim: number,
  ) {
    super();
    this.theta = this.param('theta', ones([1, dim]));
    this.hessian = keep(fromArray(hessian, [dim, dim]));
  }
  forward(x: Tensor): Tensor {
    const d = sub(this.theta, x);
    return mul(sum(mul(matmul(d, this.hessian), d), 1), 0.5);
  }
}

/**
 * An LSTM read over a sequence, then a dense layer on its last hidden state. Inputs [N, …] are read as
 * `steps` steps of `features` values (a 28 × 28 image as 28 rows).
 */
export class LastStepLSTM extends Module {
  readonly lstm: LSTM;
  readonly head: Linear;
  constructor(
    readonly steps: number,
    readonly features: number,
    hidden: number,
    outputs: number,
  ) {
    super();
    this.lstm = this.module('lstm', new LSTM(features, hidden));
    this.head = this.module('head', new Linear(hidden, outputs));
  }
  forward(x: Tensor): Tensor {
    const n = x.shape[0]!;
    const { h } = this.lstm.run(reshape(x, [n, this.steps, this.features]));
    const last = this.lstm.layers - 1;
    return this.head.forward(reshape(slice(h, 0, last, last + 1), [n, this.lstm.hiddenSize]));
  }
}

/** A character model: a stacked LSTM over one-hot characters [N, T, V], and logits for the next one, [N, T, V]. */
export class CharLSTM extends Module {
  readonly lstm: LSTM;
  readonly head: Linear;
  constructor(vocabulary: number, hidden: number, layers: number) {
    super();
    this.lstm = this.module('lstm', new LSTM(vocabulary, hidden, { layers }));
    this.head = this.module('head', new Linear(hidden, vocabulary));
  }
  forward(x: Tensor): Tensor {
    return this.head.forward(this.lstm.forward(x));
  }
}
