import { defaultGenerator, noGrad, type Generator, type Tensor } from '../tensor/index.js';

// Initializers fill a tensor in place, as torch.nn.init's functions with a trailing underscore do.

/** fan_in and fan_out of a weight [out, in, …kernel] (PyTorch's rule). */
export function fans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2)
    throw new RangeError(`init: fans need a tensor of at least 2 dimensions, got [${t.shape.join(', ')}]`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

function fill(t: Tensor, draw: () => number): Tensor {
  noGrad(() => {
    const d = t.data;
    for (let i = 0; i < d.length; i++) d[i] = draw();
  });
  return t;
}

export const uniform = (t: Tensor, lo: number, hi: number, g: Generator = defaultGenerator): Tensor =>
  fill(t, () => lo + (hi - lo) * g.uniform());
export const normal = (t: Tensor, mean = 0, std = 1, g: Generator = defaultGenerator): Tensor =>
  fill(t, () => mean + std * g.normal());

/** Normal redrawn until within two deviations of the mean (Keras's `TruncatedNormal`). */
export const truncatedNormal = (t: Tensor, std = 1, g: Generator = defaultGenerator): Tensor =>
  fill(t, () => {
    let z: number;
    do z = g.normal();
    while (Math.abs(z) > 2);
    return std * z;
  });

/** Glorot & Bengio (2010): U(±gain·√(6/(fan_in + fan_out))). */
export function xavierUniform(t: Tensor, gain = 1, g: Generator = defaultGenerator): Tensor {
  const { fanIn, fanOut } = fans(t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, -a, a, g);
}

export function xavierNormal(t: Tensor, gain = 1, g: Generator = defaultGenerator): Tensor {
  const { fanIn, fanOut } = fans(t);
  return normal(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), g);
}

/** He et al. (2015) for ReLU-like layers; `a` is the negative slope (√5 gives PyTorch's layer default). */
export function kaimingUniform(
  t: Tensor,
  o: { a?: number; mode?: 'fanIn' | 'fanOut' } = {},
  g: Generator = defaultGenerator,
): Tensor {
  const f = fans(t);
  const gain = Math.sqrt(2 / (1 + (o.a ?? 0) ** 2));
  const bound = gain * Math.sqrt(3 / (o.mode === 'fanOut' ? f.fanOut : f.fanIn));
  return uniform(t, -bound, bound, g);
}

export function kaimingNormal(
  t: Tensor,
  o: { a?: number; mode?: 'fanIn' | 'fanOut' } = {},
  g: Generator = defaultGenerator,
): Tensor {
  const f = fans(t);
  const gain = Math.sqrt(2 / (1 + (o.a ?? 0) ** 2));
  return normal(t, 0, gain / Math.sqrt(o.mode === 'fanOut' ? f.fanOut : f.fanIn), g);
}

/** Saxe et al. (2014): a (semi-)orthogonal matrix, rows × (product of the other dims), times `gain`. */
export function orthogonal(t: Tensor, gain = 1, g: Generator = defaultGenerator): Tensor {
  if (t.ndim < 2) throw new RangeError(`orthogonal: needs at least 2 dimensions, got [${t.shape.join(', ')}]`);
  const rows = t.shape[0]!;
  const cols = t.size / rows;
  // Gram–Schmidt on the longer side's vectors of a Gaussian matrix, in f64.
  const [n, m] = rows < cols ? [rows, cols] : [cols, rows];
  const q = Array.from({ length: n }, () => Float64Array.from({ length: m }, () => g.normal()));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let k = 0; k < m; k++) dot += q[i]![k]! * q[j]![k]!;
      for (let k = 0; k < m; k++) q[i]![k]! -= dot * q[j]![k]!;
    }
    const norm = Math.hypot(...q[i]!);
    for (let k = 0; k < m; k++) q[i]![k]! /= norm;
  }
  noGrad(() => {
    const d = t.data;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) d[r * cols + c] = gain * (rows < cols ? q[r]![c]! : q[c]![r]!);
  });
  return t;
}
