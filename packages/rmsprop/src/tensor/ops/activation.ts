import { relu as reluKernel, reluBackward } from '../../kernels/index.js';
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

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const erf = (x: number): number => {
  // Abramowitz & Stegun 7.1.26 would lose digits against PyTorch's exact GELU; this series/continued
  // form is accurate to float32 precision across the range.
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y =
    1 -
    t *
      Math.exp(
        -x * x -
          1.26551223 +
          t *
            (1.00002368 +
              t *
                (0.37409196 +
                  t *
                    (0.09678418 +
                      t *
                        (-0.18628806 +
                          t *
                            (0.27886807 +
                              t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
      );
  return x >= 0 ? y : -y;
};

/** max(x, 0), with NaN to 0 (a SIMD kernel). */
export function relu(a: Tensor): Tensor {
  if (a.dtype !== 'float32') throw new TypeError(`relu: needs a float32 tensor, got ${a.dtype}`);
  const out = new Tensor(a.shape);
  reluKernel(a.ptr, out.ptr, a.size);
  return record(out, 'relu', [a]);
}
export const leakyRelu = (a: Tensor, slope = 0.01): Tensor =>
  pointwise('leakyRelu', a, (x) => (x > 0 ? x : slope * x), { slope });
export const tanh = (a: Tensor): Tensor => pointwise('tanh', a, Math.tanh);
export const sigmoid = (a: Tensor): Tensor => pointwise('sigmoid', a, (x) => 1 / (1 + Math.exp(-x)));
/** GELU with the exact erf form (PyTorch's default `approximate='none'`). */
export const gelu = (a: Tensor): Tensor => pointwise('gelu', a, (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)));

// g where x > 0, else 0 (also for a non-finite g, as PyTorch's threshold_backward).
registerGradient('relu', (g, { inputs: [x] }) => {
  const out = new Tensor(g.shape);
  reluBackward(g.ptr, x!.ptr, out.ptr, g.size);
  return [out];
});
derivative('leakyRelu', (x, _, s) => (x > 0 ? 1 : (s.slope as number)));
derivative('tanh', (_, y) => 1 - y * y);
derivative('sigmoid', (_, y) => y * (1 - y));
derivative('gelu', (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + (x * SQRT_2_OVER_PI * Math.exp(-0.5 * x * x)) / 2);
