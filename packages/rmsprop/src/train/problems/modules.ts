import { GRU, LSTM, Linear, Module } from '../../nn/index.js';
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
 * A recurrent layer read over a sequence, then a dense layer on its last hidden state. Inputs [N, …] are
 * read as `steps` steps of `features` values (a 28 × 28 image as 28 rows).
 */
class LastStep extends Module {
  readonly head: Linear;
  constructor(
    readonly steps: number,
    readonly features: number,
    name: string,
    private readonly recurrent: LSTM | GRU,
    outputs: number,
  ) {
    super();
    this.module(name, recurrent);
    this.head = this.module('head', new Linear(recurrent.hiddenSize, outputs));
  }
  forward(x: Tensor): Tensor {
    const n = x.shape[0]!;
    const { h } = this.recurrent.run(reshape(x, [n, this.steps, this.features]));
    const last = this.recurrent.layers - 1;
    return this.head.forward(reshape(slice(h, 0, last, last + 1), [n, this.recurrent.hiddenSize]));
  }
}

/** An LSTM (module `lstm`) over `steps` steps of `features` values, and a dense layer on its last state. */
export class LastStepLSTM extends LastStep {
  readonly lstm: LSTM;
  constructor(steps: number, features: number, hidden: number, outputs: number) {
    const lstm = new LSTM(features, hidden);
    super(steps, features, 'lstm', lstm, outputs);
    this.lstm = lstm;
  }
}

/** A GRU (module `gru`) over `steps` steps of `features` values, and a dense layer on its last state. */
export class LastStepGRU extends LastStep {
  readonly gru: GRU;
  constructor(steps: number, features: number, hidden: number, outputs: number) {
    const gru = new GRU(features, hidden);
    super(steps, features, 'gru', gru, outputs);
    this.gru = gru;
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
