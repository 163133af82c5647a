import { binary, lstmCell, lstmCellBackward } from '../../kernels/index.js';
import { record, registerGradient } from '../tape.js';
import { Tensor } from '../tensor.js';
import { gemm } from './gemm.js';
import { linearGradients, linearInto, linearShape } from './linear.js';

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
  if (x.ndim !== 3) throw new RangeError(`lstmLayer: x must be [T, N, features], got [${x.shape.join(', ')}]`);
  const [T, N] = x.shape as [number, number];
  const shape = linearShape(x, weightIh, bias);
  const G = shape[2]!;
  const H = G / 4;
  const expect = (name: string, t: Tensor, want: number[]) => {
    if (t.ndim !== want.length || t.shape.some((d, i) => d !== want[i]))
      throw new RangeError(`lstmLayer: ${name} must be [${want.join(', ')}], got [${t.shape.join(', ')}]`);
  };
  if (!Number.isInteger(H)) throw new RangeError(`lstmLayer: weightIh must have 4·hidden rows, got ${G}`);
  expect('weightHh', weightHh, [G, H]);
  expect('h0', h0, [N, H]);
  expect('c0', c0, [N, H]);

  const out = new Tensor([2, T, N, H]);
  const gates = linearInto(new Tensor(shape), x, weightIh, bias);
  const tc = new Tensor([T, N, H]);
  const [step, state] = [N * G, N * H];
  // Byte addresses of h_t and c_t (h0 and c0 at t = −1).
  const h = (t: number) => (t < 0 ? h0.ptr : out.ptr + 4 * t * state);
  const c = (t: number) => (t < 0 ? c0.ptr : out.ptr + 4 * (T + t) * state);
  for (let t = 0; t < T; t++) {
    const [hPrev, hOff] = t === 0 ? [h0.data, 0] : [out.data, (t - 1) * state];
    gemm(false, true, N, G, H, 1, hPrev, hOff, H, weightHh.data, 0, H, 1, gates.data, t * step, G);
    lstmCell(gates.ptr + 4 * t * step, c(t - 1), c(t), h(t), tc.ptr + 4 * t * state, N, H);
  }
  const y = record(out, 'lstmLayer', [x, weightIh, weightHh, h0, c0, ...(bias ? [bias] : [])], { gates, tc });
  // Kept for the backward pass only when one will come.
  if (!y.node) {
    gates.dispose();
    tc.dispose();
  }
  return y;
}

registerGradient('lstmLayer', (g, { inputs: [x, weightIh, weightHh, h0, c0, bias], saved }, out) => {
  const { gates, tc } = saved as { gates: Tensor; tc: Tensor };
  const [T, N, G] = gates.shape as [number, number, number];
  const H = G / 4;
  const [step, state] = [N * G, N * H];
  const dz = new Tensor([T, N, G]);
  const dwHh = new Tensor([G, H]);
  const dh = new Tensor([N, H]);
  const dhPrev = new Tensor([N, H]);
  const dc = new Tensor([N, H]);
  dhPrev.data.fill(0);
  dc.data.fill(0);
  const cPrev = (t: number) => (t === 0 ? c0!.ptr : out.ptr + 4 * (T + t - 1) * state);
  for (let t = T - 1; t >= 0; t--) {
    // The gradients of h_t and c_t: from the output, and from step t + 1.
    binary('add', g.ptr + 4 * t * state, dhPrev.ptr, dh.ptr, state);
    binary('add', g.ptr + 4 * (T + t) * state, dc.ptr, dc.ptr, state);
    const [gt, zt] = [gates.ptr + 4 * t * step, dz.ptr + 4 * t * step];
    lstmCellBackward(gt, cPrev(t), tc.ptr + 4 * t * state, dh.ptr, dc.ptr, zt, dc.ptr, N, H);
    gemm(false, false, N, H, G, 1, dz.data, t * step, G, weightHh!.data, 0, H, 0, dhPrev.data, 0, H);
  }
  // dW_hh = Σ_t dz_tᵀ·h_{t−1}: step 0 reads h0, steps 1…T−1 read h₁…h_{T−1} in place, in one GEMM.
  const [dzd, od, dwd] = [dz.data, out.data, dwHh.data];
  gemm(true, false, G, H, N, 1, dzd, 0, G, h0!.data, 0, H, 0, dwd, 0, H);
  if (T > 1) gemm(true, false, G, H, (T - 1) * N, 1, dzd, step, G, od, 0, H, 1, dwd, 0, H);
  const [dx, dwIh, db] = linearGradients(dz, x!, weightIh!, bias ?? null);
  dh.dispose();
  dz.dispose();
  return [dx ?? null, dwIh ?? null, dwHh, dhPrev, dc, db ?? null];
});
