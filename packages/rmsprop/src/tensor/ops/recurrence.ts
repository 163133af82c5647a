// What the fused recurrent layers (lstm.ts, gru.ts, rnn.ts) share, as PyTorch runs them: the input's
// share of every step in one GEMM before the loop (the caller's), then per step one recurrent GEMM
// h_{t−1}·W_hhᵀ and the layer's cell kernel; backwards, per step the cell's gradient and one GEMM for the
// gradient of h_{t−1}, then the recurrent weight gradient of all steps in one GEMM. The hidden states
// h₁…h_T are the first T·N·H floats of each op's output, so the backward pass reads them in place.
import { binary } from '../../kernels/index.js';
import { record } from '../tape.js';
import { Tensor } from '../tensor.js';
import { gemm } from './gemm.js';
import { linearShape } from './linear.js';

/** A layer op's sizes: T steps of N rows, H units, G = gates·H rows of the weights. */
export interface RecurrentSizes {
  T: number;
  N: number;
  H: number;
  G: number;
}

/**
 * Checks x [T, N, in], weightIh [gates·H, in], its bias [gates·H] (see `linear`), weightHh [gates·H, H]
 * and each initial state [N, H], naming the op `fn` and the operand that does not fit.
 */
export function recurrentSizes(
  fn: string,
  gates: number,
  x: Tensor,
  weightIh: Tensor,
  bias: Tensor | null,
  weightHh: Tensor,
  states: Record<string, Tensor>,
): RecurrentSizes {
  if (x.ndim !== 3) throw new RangeError(`${fn}: x must be [T, N, features], got [${x.shape.join(', ')}]`);
  const [T, N] = x.shape as [number, number];
  const G = linearShape(x, weightIh, bias)[2]!;
  const H = G / gates;
  if (!Number.isInteger(H)) throw new RangeError(`${fn}: weightIh must have ${gates}·hidden rows, got ${G}`);
  expectShape(fn, 'weightHh', weightHh, [G, H]);
  for (const [name, s] of Object.entries(states)) expectShape(fn, name, s, [N, H]);
  return { T, N, H, G };
}

/** Checks that operand `name` of op `fn` has shape `want`. */
export function expectShape(fn: string, name: string, t: Tensor, want: number[]): void {
  if (t.ndim !== want.length || t.shape.some((d, i) => d !== want[i]))
    throw new RangeError(`${fn}: ${name} must be [${want.join(', ')}], got [${t.shape.join(', ')}]`);
}

/** The byte address of h_t in `out` (h₁…h_T first), and of h0 at t = −1. */
export function hiddenPtr({ N, H }: RecurrentSizes, h0: Tensor, out: Tensor, t: number): number {
  return t < 0 ? h0.ptr : out.ptr + 4 * t * N * H;
}

/**
 * The forward recurrence: for each step t, C = h_{t−1}·W_hhᵀ + β·C into the [N, G] block of `into(t)`
 * ([tensor, element offset, β]), then `cell(t)`, which writes h_t into `out`.
 */
export function forwardSteps(
  s: RecurrentSizes,
  h0: Tensor,
  out: Tensor,
  weightHh: Tensor,
  into: (t: number) => [Tensor, number, number],
  cell: (t: number) => void,
): void {
  const { T, N, H, G } = s;
  for (let t = 0; t < T; t++) {
    const [hPrev, hOff] = t === 0 ? [h0.data, 0] : [out.data, (t - 1) * N * H];
    const [c, cOff, beta] = into(t);
    gemm(false, true, N, G, H, 1, hPrev, hOff, H, weightHh.data, 0, H, beta, c.data, cOff, G);
    cell(t);
  }
}

/**
 * The backward recurrence from g, the gradient of `out` (whose first T·N·H floats are h₁…h_T): for each
 * step from the last, dh = g_t + carry (the gradient of h_t), then `cell(t, dh, carry)` writes dRec_t, the
 * gradient of the step's recurrent GEMM output, into the [N, G] block t of `dRec`, and, where `cellCarries`,
 * its own share of the gradient of h_{t−1} into carry; then carry (+)= dRec_t·W_hh. Returns the gradient of
 * h0 (the last carry) and dW_hh = Σ_t dRec_tᵀ·h_{t−1}.
 */
export function backwardSteps(
  s: RecurrentSizes,
  g: Tensor,
  h0: Tensor,
  out: Tensor,
  weightHh: Tensor,
  dRec: Tensor,
  cellCarries: boolean,
  cell: (t: number, dhPtr: number, carryPtr: number) => void,
): { dh0: Tensor; dwHh: Tensor } {
  const { T, N, H, G } = s;
  const [step, state] = [N * G, N * H];
  const dh = new Tensor([N, H]);
  const carry = new Tensor([N, H]);
  carry.data.fill(0);
  for (let t = T - 1; t >= 0; t--) {
    binary('add', g.ptr + 4 * t * state, carry.ptr, dh.ptr, state);
    cell(t, dh.ptr, carry.ptr);
    gemm(false, false, N, H, G, 1, dRec.data, t * step, G, weightHh.data, 0, H, cellCarries ? 1 : 0, carry.data, 0, H);
  }
  dh.dispose();
  // Step 0 reads h0, steps 1…T−1 read h₁…h_{T−1} in place, in one GEMM.
  const dwHh = new Tensor([G, H]);
  const [dr, od, dw] = [dRec.data, out.data, dwHh.data];
  gemm(true, false, G, H, N, 1, dr, 0, G, h0.data, 0, H, 0, dw, 0, H);
  if (T > 1) gemm(true, false, G, H, (T - 1) * N, 1, dr, step, G, od, 0, H, 1, dw, 0, H);
  return { dh0: carry, dwHh };
}

/**
 * Records a layer op's output; the tensors it `saved` for its backward pass (its own intermediates) are
 * freed at once when none will come (no input needs a gradient, or gradients are off).
 */
export function recordLayer(out: Tensor, op: string, inputs: Tensor[], saved: Record<string, Tensor | string>): Tensor {
  const y = record(out, op, inputs, saved);
  if (!y.node) for (const t of Object.values(saved)) if (t instanceof Tensor) t.dispose();
  return y;
}
