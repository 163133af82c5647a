import { Generator } from './random.js';
import { scope } from './scope.js';
import { backward, noGrad } from './tape.js';
import { Tensor } from './tensor.js';

export interface GradcheckOptions {
  /** Step of the central difference, relative to max(1, |x|). */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Draws the weights w of the scalar loss Σ w·f(x). */
  generator?: Generator;
}

export interface GradcheckMismatch {
  input: number;
  index: number;
  analytic: number;
  numeric: number;
}

/**
 * Compares the tape's gradient of Σ w·f(inputs) (random w) with central finite differences, the loss
 * summed in float64. Float32 forwards give about three correct digits, hence the default tolerances.
 * Returns the first element outside them, or null. int32 inputs are passed through unchanged.
 */
export function gradcheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  o: GradcheckOptions = {},
): GradcheckMismatch | null {
  const { eps = 1e-2, atol = 2e-3, rtol = 2e-2, generator = new Generator(0) } = o;
  return scope(() => {
    const values = inputs.map((t) => t.toArray());
    const make = (vals: number[][], grad: boolean) =>
      inputs.map((t, i) => {
        const c = new Tensor(t.shape, t.dtype, grad && t.dtype === 'float32');
        (t.dtype === 'float32' ? c.data : c.ints).set(vals[i]!);
        return c;
      });
    const leaves = make(values, true);
    const out = f(...leaves);
    const weights = Array.from({ length: out.size }, () => generator.uniform() * 2 - 1);
    const seed = new Tensor(out.shape);
    seed.data.set(weights);
    backward(out, seed);
    // Copies: the evaluations below allocate, and a growth of the memory detaches views.
    const analytic = leaves.map((t) => (t.grad ? t.grad.toArray() : null));
    const loss = (vals: number[][]) =>
      scope(() =>
        noGrad(() => {
          const y = f(...make(vals, false)).toArray();
          return y.reduce((s, v, j) => s + weights[j]! * v, 0);
        }),
      );
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i]!.dtype !== 'float32') continue;
      for (let j = 0; j < values[i]!.length; j++) {
        const x = values[i]![j]!;
        const h = eps * Math.max(1, Math.abs(x));
        const at = (v: number) => values.map((w, k) => (k === i ? w.map((e, m) => (m === j ? v : e)) : w));
        const numeric = (loss(at(x + h)) - loss(at(x - h))) / (2 * h);
        const a = analytic[i]?.[j] ?? 0;
        if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric)))
          return { input: i, index: j, analytic: a, numeric };
      }
    }
    return null;
  });
}
