import { defaultGenerator, type Generator } from '../random.js';
import { record, registerGradient } from '../tape.js';
import { Tensor } from '../tensor.js';

/**
 * Zeroes each element with probability p and scales the rest by 1/(1 − p) (inverted dropout), from a
 * seeded generator; the identity when not training.
 */
export function dropout(t: Tensor, p: number, o: { training?: boolean; generator?: Generator } = {}): Tensor {
  if (!(p >= 0 && p < 1)) throw new RangeError(`dropout: p must be in [0, 1), got ${p}`);
  if (o.training === false || p === 0) return t;
  const g = o.generator ?? defaultGenerator;
  const mask = new Float32Array(t.size);
  const keep = 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = g.uniform() < p ? 0 : keep;
  const out = new Tensor(t.shape);
  const [x, y] = [t.data, out.data];
  for (let i = 0; i < y.length; i++) y[i] = x[i]! * mask[i]!;
  return record(out, 'dropout', [t], { mask });
}
registerGradient('dropout', (g, { saved }) => {
  const mask = saved.mask as Float32Array;
  const out = new Tensor(g.shape);
  const [gd, o] = [g.data, out.data];
  for (let i = 0; i < o.length; i++) o[i] = gd[i]! * mask[i]!;
  return [out];
});
