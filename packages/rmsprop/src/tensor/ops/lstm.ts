import { binary, lstmCell, lstmCellBackward } from '../../kernels/index.js';
import { registerGradient } from '../tape.js';
import { Tensor } from '../tensor.js';
import { linearGradients, linearInto } from './linear.js';
import { backwardSteps, forwardSteps, hiddenPtr, recordLayer, recurrentSizes } from './recurrence.js';

/**
 * One LSTM layer over a whole sequence as one op, as PyTorch runs it: the input's share of the gates for
 * every step in one GEMM (x·W_ihᵀ + bias, bias = b_ih + b_hh), then per step only the recurrent product
 * h·W_hhᵀ and one cell kernel; in the backward pass the weight gradients of all steps in one GEMM each.
 * x [T, N, in], weightIh [4H, in], weightHh [4H, H], bias [4H] or null, h0 and c0 [N, H]; gates in
 * PyTorch's order (input, forget, cell, output). Returns [2, T, N, H]: the hidden states h₁…h_T, then
 * the cell states c₁…c_T.
 */
export function lstmLayer(
  x: Tensor,
  weightIh: Tensor,
  bias: Tensor | null,
  weightHh: Tensor,
  h0: Tensor,
  c0: Tensor,
): Tensor {
  const s = recurrentSizes('lstmLayer', 4, x, weightIh, bias, weightHh, { h0, c0 });
  const { T, N, H, G } = s;
  const out = new Tensor([2, T, N, H]);
  const gates = linearInto(new Tensor([T, N, G]), x, weightIh, bias);
  const tc = new Tensor([T, N, H]);
  const [step, state] = [N * G, N * H];
  // Byte address of c_t (c0 at t = −1).
  const c = (t: number) => (t < 0 ? c0.ptr : out.ptr + 4 * (T + t) * state);
  forwardSteps(
    s,
    h0,
    out,
    weightHh,
    (t) => [gates, t * step, 1],
    (t) => lstmCell(gates.ptr + 4 * t * step, c(t - 1), c(t), hiddenPtr(s, h0, out, t), tc.ptr + 4 * t * state, N, H),
  );
  const inputs = [x, weightIh, weightHh, h0, c0, ...(bias ? [bias] : [])];
  return recordLayer(out, 'lstmLayer', inputs, { gates, tc });
}

registerGradient('lstmLayer', (g, { inputs: [x, weightIh, weightHh, h0, c0, bias], saved }, out) => {
  const { gates, tc } = saved as { gates: Tensor; tc: Tensor };
  const [T, N, G] = gates.shape as [number, number, number];
  const H = G / 4;
  const [step, state] = [N * G, N * H];
  const dz = new Tensor([T, N, G]);
  const dc = new Tensor([N, H]);
  dc.data.fill(0);
  const cPrev = (t: number) => (t === 0 ? c0!.ptr : out.ptr + 4 * (T + t - 1) * state);
  const { dh0, dwHh } = backwardSteps({ T, N, H, G }, g, h0!, out, weightHh!, dz, false, (t, dh) => {
    // The gradient of c_t: from the output, and from step t + 1.
    binary('add', g.ptr + 4 * (T + t) * state, dc.ptr, dc.ptr, state);
    const [gt, zt] = [gates.ptr + 4 * t * step, dz.ptr + 4 * t * step];
    lstmCellBackward(gt, cPrev(t), tc.ptr + 4 * t * state, dh, dc.ptr, zt, dc.ptr, N, H);
  });
  const [dx, dwIh, db] = linearGradients(dz, x!, weightIh!, bias ?? null);
  dz.dispose();
  return [dx ?? null, dwIh ?? null, dwHh, dh0, dc, db ?? null];
});
