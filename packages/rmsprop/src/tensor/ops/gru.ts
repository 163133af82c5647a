import { gruCell, gruCellBackward, sumColumns } from '../../kernels/index.js';
import { registerGradient } from '../tape.js';
import { Tensor } from '../tensor.js';
import { linearGradients, linearInto } from './linear.js';
import { backwardSteps, expectShape, forwardSteps, hiddenPtr, recordLayer, recurrentSizes } from './recurrence.js';

/**
 * One GRU layer over a whole sequence as one op, as PyTorch runs it: the input's share of the gates for
 * every step in one GEMM (x·W_ihᵀ + b_ih), then per step only the recurrent product h·W_hhᵀ and one cell
 * kernel; in the backward pass the weight gradients of all steps in one GEMM each. x [T, N, in], weightIh
 * [3H, in], biasIh [3H], weightHh [3H, H], biasHh [3H] (both biases or neither), h0 [N, H]; gates in
 * PyTorch's order (reset, update, new), and the reset gate scales W_hn·h + b_hn, bias included:
 * n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn)), h' = (1 − z)·n + z·h. Returns h₁…h_T, [T, N, H].
 */
export function gruLayer(
  x: Tensor,
  weightIh: Tensor,
  biasIh: Tensor | null,
  weightHh: Tensor,
  biasHh: Tensor | null,
  h0: Tensor,
): Tensor {
  const s = recurrentSizes('gruLayer', 3, x, weightIh, biasIh, weightHh, { h0 });
  const { T, N, H, G } = s;
  if ((biasIh === null) !== (biasHh === null))
    throw new RangeError('gruLayer: give biasIh and biasHh together, or neither');
  if (biasHh) expectShape('gruLayer', 'biasHh', biasHh, [G]);
  const out = new Tensor([T, N, H]);
  // Activated in place by the cell; hn keeps W_hn·h + b_hn of each step for the backward pass.
  const gates = linearInto(new Tensor([T, N, G]), x, weightIh, biasIh);
  const hn = new Tensor([T, N, H]);
  const hh = new Tensor([N, G]);
  const [step, state] = [N * G, N * H];
  const h = (t: number) => hiddenPtr(s, h0, out, t);
  forwardSteps(
    s,
    h0,
    out,
    weightHh,
    () => [hh, 0, 0],
    (t) => gruCell(gates.ptr + 4 * t * step, hh.ptr, biasHh?.ptr ?? 0, h(t - 1), h(t), hn.ptr + 4 * t * state, N, H),
  );
  hh.dispose();
  const inputs = [x, weightIh, weightHh, h0, ...(biasIh && biasHh ? [biasIh, biasHh] : [])];
  return recordLayer(out, 'gruLayer', inputs, { gates, hn });
}

registerGradient('gruLayer', (g, { inputs: [x, weightIh, weightHh, h0, biasIh, biasHh], saved }, out) => {
  const { gates, hn } = saved as { gates: Tensor; hn: Tensor };
  const [T, N, G] = gates.shape as [number, number, number];
  const s = { T, N, H: G / 3, G };
  const [step, state] = [N * G, N * s.H];
  // The gradients of the input's and of the recurrent share of the gates: equal but for dhh_n = dx_n·r.
  const dx = new Tensor([T, N, G]);
  const dhh = new Tensor([T, N, G]);
  const { dh0, dwHh } = backwardSteps(s, g, h0!, out, weightHh!, dhh, true, (t, dh, carry) =>
    gruCellBackward(
      gates.ptr + 4 * t * step,
      hn.ptr + 4 * t * state,
      hiddenPtr(s, h0!, out, t - 1),
      dh,
      dx.ptr + 4 * t * step,
      dhh.ptr + 4 * t * step,
      carry,
      N,
      s.H,
    ),
  );
  const dbHh = biasHh?.requiresGrad ? new Tensor([G]) : null;
  if (dbHh) sumColumns(dhh.ptr, T * N, G, dbHh.ptr);
  dhh.dispose();
  const [dInput, dwIh, dbIh] = linearGradients(dx, x!, weightIh!, biasIh ?? null);
  dx.dispose();
  return [dInput ?? null, dwIh ?? null, dwHh, dh0, dbIh ?? null, dbHh];
});
