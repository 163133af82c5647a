import { rnnCell, rnnCellBackward, type RnnActivation } from '../../kernels/index.js';
import { registerGradient } from '../tape.js';
import { Tensor } from '../tensor.js';
import { linearGradients, linearInto } from './linear.js';
import { backwardSteps, forwardSteps, hiddenPtr, recordLayer, recurrentSizes } from './recurrence.js';

/** The activation of an Elman RNN, as PyTorch's `nonlinearity` names it. */
export type RnnNonlinearity = RnnActivation;

/**
 * One Elman RNN layer over a whole sequence as one op, as PyTorch runs it: the input's share of every step
 * in one GEMM (x·W_ihᵀ + bias, bias = b_ih + b_hh), then per step only the recurrent product h·W_hhᵀ,
 * summed in place, and the activation; in the backward pass the weight gradients of all steps in one GEMM
 * each. x [T, N, in], weightIh [H, in], bias [H] or null, weightHh [H, H], h0 [N, H]; h' = act(W_ih·x +
 * W_hh·h + bias) with act tanh or relu (PyTorch's `nonlinearity`). Returns h₁…h_T, [T, N, H].
 */
export function rnnLayer(
  x: Tensor,
  weightIh: Tensor,
  bias: Tensor | null,
  weightHh: Tensor,
  h0: Tensor,
  nonlinearity: RnnNonlinearity = 'tanh',
): Tensor {
  const s = recurrentSizes('rnnLayer', 1, x, weightIh, bias, weightHh, { h0 });
  if (nonlinearity !== 'tanh' && nonlinearity !== 'relu')
    throw new RangeError(`rnnLayer: nonlinearity must be 'tanh' or 'relu', got ${JSON.stringify(nonlinearity)}`);
  const { T, N, H } = s;
  // Each step's pre-activations are summed in its own block of the output, then activated there in place.
  const out = linearInto(new Tensor([T, N, H]), x, weightIh, bias);
  const h = (t: number) => hiddenPtr(s, h0, out, t);
  forwardSteps(
    s,
    h0,
    out,
    weightHh,
    (t) => [out, t * N * H, 1],
    (t) => rnnCell(nonlinearity, h(t), h(t), N, H),
  );
  return recordLayer(out, 'rnnLayer', [x, weightIh, weightHh, h0, ...(bias ? [bias] : [])], { nonlinearity });
}

registerGradient('rnnLayer', (g, { inputs: [x, weightIh, weightHh, h0, bias], saved }, out) => {
  const { nonlinearity } = saved as { nonlinearity: RnnNonlinearity };
  const [T, N, H] = out.shape as [number, number, number];
  const s = { T, N, H, G: H };
  const dz = new Tensor([T, N, H]);
  const { dh0, dwHh } = backwardSteps(s, g, h0!, out, weightHh!, dz, false, (t, dh) =>
    rnnCellBackward(nonlinearity, hiddenPtr(s, h0!, out, t), dh, dz.ptr + 4 * t * N * H, N, H),
  );
  const [dx, dwIh, db] = linearGradients(dz, x!, weightIh!, bias ?? null);
  dz.dispose();
  return [dx ?? null, dwIh ?? null, dwHh, dh0, db ?? null];
});
