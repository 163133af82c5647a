import {
  add,
  gruLayer,
  lstmLayer,
  permute,
  reshape,
  rnnLayer,
  slice,
  type RnnNonlinearity,
  stack,
  zeros,
  type Tensor,
} from '../../tensor/index.js';
import { uniform } from '../init.js';
import { Module } from '../module.js';

export interface RecurrentOptions {
  layers?: number;
  /** Input [N, T, features] (true, the default here) or [T, N, features] (PyTorch's default). */
  batchFirst?: boolean;
  bias?: boolean;
}

/** The outputs of every step of the last layer, and the final state of every layer ([layers, N, H]). */
export interface RecurrentResult {
  output: Tensor;
  h: Tensor;
  /** LSTM only: the final cell state. */
  c?: Tensor;
}

interface Weights {
  ih: Tensor;
  hh: Tensor;
  bih: Tensor | null;
  bhh: Tensor | null;
}

/** One layer over a sequence [T, N, F] from state (h, c), as one op: its outputs and its final state. */
type Layer = (x: Tensor, h: Tensor, c: Tensor | null, w: Weights) => { output: Tensor; h: Tensor; c: Tensor | null };

/** The last step [N, H] of states [T, N, H]. */
const lastStep = (states: Tensor): Tensor => {
  const [T, N, H] = states.shape as [number, number, number];
  return reshape(slice(states, 0, T - 1, T), [N, H]);
};

/** b_ih + b_hh, which the LSTM and the RNN add to the input's share of every step in one. */
const summedBias = (w: Weights): Tensor | null => (w.bih && w.bhh ? add(w.bih, w.bhh) : (w.bih ?? w.bhh));

/**
 * A multi-layer recurrent network with PyTorch's parameter names (`weight_ih_l0`, `bias_hh_l1`, …) and
 * initialisation U(±1/√hidden); `layer` runs one layer over the sequence.
 */
class Recurrent extends Module {
  private readonly weights: Weights[] = [];
  readonly layers: number;
  readonly batchFirst: boolean;
  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    gates: number,
    private readonly layer: Layer,
    private readonly hasCell: boolean,
    o: RecurrentOptions,
  ) {
    super();
    this.layers = o.layers ?? 1;
    this.batchFirst = o.batchFirst ?? true;
    if (!Number.isInteger(this.layers) || this.layers < 1)
      throw new RangeError(`${this.constructor.name}: layers must be an integer ≥ 1, got ${this.layers}`);
    const bound = 1 / Math.sqrt(hiddenSize);
    const make = (name: string, shape: number[]) => this.param(name, uniform(zeros(shape), -bound, bound));
    for (let l = 0; l < this.layers; l++) {
      const inp = l === 0 ? inputSize : hiddenSize;
      this.weights.push({
        ih: make(`weight_ih_l${l}`, [gates * hiddenSize, inp]),
        hh: make(`weight_hh_l${l}`, [gates * hiddenSize, hiddenSize]),
        bih: o.bias === false ? null : make(`bias_ih_l${l}`, [gates * hiddenSize]),
        bhh: o.bias === false ? null : make(`bias_hh_l${l}`, [gates * hiddenSize]),
      });
    }
  }

  /** Runs the sequence from state (h0, c0) (zeros when not given), each [layers, N, hidden]. */
  run(x: Tensor, h0?: Tensor, c0?: Tensor): RecurrentResult {
    if (x.ndim !== 3 || x.shape[2] !== this.inputSize) {
      throw new RangeError(
        `${this.constructor.name}: input must be 3-D with ${this.inputSize} features last, got [${x.shape.join(', ')}]`,
      );
    }
    const n = x.shape[this.batchFirst ? 0 : 1]!;
    const stateShape = [this.layers, n, this.hiddenSize];
    if (this.hasCell && (h0 === undefined) !== (c0 === undefined)) {
      throw new RangeError(`${this.constructor.name}: give h0 and c0 together, or neither`);
    }
    for (const [name, s] of [
      ['h0', h0],
      ['c0', c0],
    ] as const) {
      if (s && (s.ndim !== 3 || s.shape.some((d, i) => d !== stateShape[i]))) {
        throw new RangeError(
          `${this.constructor.name}: ${name} must be [${stateShape.join(', ')}], got [${s.shape.join(', ')}]`,
        );
      }
    }
    let seq = this.batchFirst ? permute(x, [1, 0, 2]) : x;
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    this.weights.forEach((w, l) => {
      const initial = (s: Tensor | undefined) =>
        s ? reshape(slice(s, 0, l, l + 1), [n, this.hiddenSize]) : zeros([n, this.hiddenSize]);
      const r = this.layer(seq, initial(h0), this.hasCell ? initial(c0) : null, w);
      seq = r.output;
      hs.push(r.h);
      if (r.c) cs.push(r.c);
    });
    const output = this.batchFirst ? permute(seq, [1, 0, 2]) : seq;
    return { output, h: stack(hs, 0), ...(this.hasCell ? { c: stack(cs, 0) } : {}) };
  }

  /** The outputs of every step (see `run` for the final state). */
  forward(x: Tensor): Tensor {
    return this.run(x).output;
  }
}

// Each layer is one op over the whole sequence (tensor/ops/lstm.ts, gru.ts, rnn.ts).

const rnn =
  (nonlinearity: RnnNonlinearity): Layer =>
  (x, h, _, w) => {
    const output = rnnLayer(x, w.ih, summedBias(w), w.hh, h, nonlinearity);
    return { output, h: lastStep(output), c: null };
  };

// Gates in PyTorch's order: input, forget, cell, output.
const lstm: Layer = (x, h, c, w) => {
  const states = lstmLayer(x, w.ih, summedBias(w), w.hh, h, c!);
  const [, T, N, H] = states.shape as [number, number, number, number];
  const steps = reshape(states, [2 * T, N, H]); // h₁…h_T, then c₁…c_T
  const last = (k: number) => reshape(slice(steps, 0, k * T + T - 1, k * T + T), [N, H]);
  return { output: slice(steps, 0, 0, T), h: last(0), c: last(1) };
};

// Gates in PyTorch's order: reset, update, new; the reset gate scales W_hn·h + b_hn (Cho et al. as PyTorch has it).
const gru: Layer = (x, h, _, w) => {
  const output = gruLayer(x, w.ih, w.bih, w.hh, w.bhh, h);
  return { output, h: lastStep(output), c: null };
};

export interface RNNOptions extends RecurrentOptions {
  /** h' = tanh(…) (the default) or relu(…). */
  nonlinearity?: RnnNonlinearity;
}

/** Elman RNN: h' = tanh(W_ih·x + b_ih + W_hh·h + b_hh), or relu of the same. */
export class RNN extends Recurrent {
  readonly nonlinearity: RnnNonlinearity;
  constructor(inputSize: number, hiddenSize: number, o: RNNOptions = {}) {
    const nonlinearity = o.nonlinearity ?? 'tanh';
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu')
      throw new RangeError(`RNN: nonlinearity must be 'tanh' or 'relu', got ${JSON.stringify(nonlinearity)}`);
    super(inputSize, hiddenSize, 1, rnn(nonlinearity), false, o);
    this.nonlinearity = nonlinearity;
  }
}

/** Long short-term memory (Hochreiter & Schmidhuber 1997) with a forget gate, as PyTorch's LSTM. */
export class LSTM extends Recurrent {
  constructor(inputSize: number, hiddenSize: number, o: RecurrentOptions = {}) {
    super(inputSize, hiddenSize, 4, lstm, true, o);
  }
}

/** Gated recurrent unit (Cho et al. 2014), as PyTorch's GRU. */
export class GRU extends Recurrent {
  constructor(inputSize: number, hiddenSize: number, o: RecurrentOptions = {}) {
    super(inputSize, hiddenSize, 3, gru, false, o);
  }
}
