import {
  gelu as geluKernel,
  geluBackward,
  relu as reluKernel,
  reluBackward,
  sigmoid as sigmoidKernel,
  sigmoidBackward,
  tanh as tanhKernel,
  tanhBackward,
} from '../../kernels/index.js';
import { record, registerGradient } from '../tape.js';
import { Tensor } from '../tensor.js';

function pointwise(op: string, a: Tensor, f: (x: number) => number, saved: Record<string, unknown> = {}): Tensor {
  if (a.dtype !== 'float32') throw new TypeError(`${op}: needs a float32 tensor, got ${a.dtype}`);
  const out = new Tensor(a.shape);
  const [x, o] = [a.data, out.data];
  for (let i = 0; i < o.length; i++) o[i] = f(x[i]!);
  return record(out, op, [a], saved);
}

/** Registers the gradient g·f'(x, y) of a pointwise op with input x and output y. */
function derivative(op: string, df: (x: number, y: number, saved: Record<string, unknown>) => number): void {
  registerGradient(op, (g, { inputs: [input], saved }, y) => {
    const out = new Tensor(g.shape);
    const [gd, xd, yd, o] = [g.data, input!.data, y.data, out.data];
    for (let i = 0; i < o.length; i++) o[i] = gd[i]! * df(xd[i]!, yd[i]!, saved);
    return [out];
  });
}

type Kernel = (xPtr: number, outPtr: number, n: number) => void;
type GradientKernel = (gPtr: number, vPtr: number, outPtr: number, n: number) => void;

/** A pointwise op by its SIMD kernel (see kernels/pointwise.ts for its accuracy). */
function simd(op: string, a: Tensor, kernel: Kernel): Tensor {
  if (a.dtype !== 'float32') throw new TypeError(`${op}: needs a float32 tensor, got ${a.dtype}`);
  const out = new Tensor(a.shape);
  kernel(a.ptr, out.ptr, a.size);
  return record(out, op, [a]);
}

/** The gradient of a SIMD op: kernel(g, v) with v its input or output. */
function simdGradient(g: Tensor, v: Tensor, kernel: GradientKernel): Tensor {
  const out = new Tensor(g.shape);
  kernel(g.ptr, v.ptr, out.ptr, g.size);
  return out;
}

/** max(x, 0), with NaN to 0. */
export const relu = (a: Tensor): Tensor => simd('relu', a, reluKernel);
export const leakyRelu = (a: Tensor, slope = 0.01): Tensor =>
  pointwise('leakyRelu', a, (x) => (x > 0 ? x : slope * x), { slope });
export const tanh = (a: Tensor): Tensor => simd('tanh', a, tanhKernel);
/** 1 / (1 + e^−x), computed without overflow for any x. */
export const sigmoid = (a: Tensor): Tensor => simd('sigmoid', a, sigmoidKernel);
/** GELU with the exact normal CDF, x·Φ(x) (PyTorch's default `approximate='none'`). */
export const gelu = (a: Tensor): Tensor => simd('gelu', a, geluKernel);

// g where x > 0, else 0 (also for a non-finite g, as PyTorch's threshold_backward).
registerGradient('relu', (g, { inputs: [x] }) => [simdGradient(g, x!, reluBackward)]);
derivative('leakyRelu', (x, _, s) => (x > 0 ? 1 : (s.slope as number)));
// From the output y: g·(1 − y²) and g·y·(1 − y); gelu's from its input.
registerGradient('tanh', (g, _, y) => [simdGradient(g, y, tanhBackward)]);
registerGradient('sigmoid', (g, _, y) => [simdGradient(g, y, sigmoidBackward)]);
registerGradient('gelu', (g, { inputs: [x] }) => [simdGradient(g, x!, geluBackward)]);
