import { defaultGenerator, type Generator } from './random.js';
import { checkShape, Tensor, type DType, type Shape } from './tensor.js';

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

export function full(shape: Shape, value: number, o: CreateOptions = {}): Tensor {
  const t = new Tensor(shape, o.dtype, o.requiresGrad);
  (t.dtype === 'float32' ? t.data : t.ints).fill(value);
  return t;
}

export const zeros = (shape: Shape, o: CreateOptions = {}): Tensor => full(shape, 0, o);
export const ones = (shape: Shape, o: CreateOptions = {}): Tensor => full(shape, 1, o);

/** A tensor of `shape` holding `values` in row-major order. */
export function fromArray(values: ArrayLike<number>, shape: Shape = [values.length], o: CreateOptions = {}): Tensor {
  checkShape('fromArray', shape);
  const size = shape.reduce((a, b) => a * b, 1);
  if (values.length !== size) {
    throw new RangeError(
      `fromArray: ${values.length} values cannot fill shape [${shape.join(', ')}] (${size} elements)`,
    );
  }
  const t = new Tensor(shape, o.dtype, o.requiresGrad);
  (t.dtype === 'float32' ? t.data : t.ints).set(values);
  return t;
}

export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

function random(shape: Shape, o: RandomOptions, draw: (g: Generator) => number): Tensor {
  const t = new Tensor(shape, 'float32', o.requiresGrad);
  const g = o.generator ?? defaultGenerator;
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = draw(g);
  return t;
}

/** Uniform in [lo, hi). */
export const rand = (shape: Shape, o: RandomOptions & { lo?: number; hi?: number } = {}): Tensor =>
  random(shape, o, (g) => (o.lo ?? 0) + ((o.hi ?? 1) - (o.lo ?? 0)) * g.uniform());

/** Normal with the given mean and standard deviation. */
export const randn = (shape: Shape, o: RandomOptions & { mean?: number; std?: number } = {}): Tensor =>
  random(shape, o, (g) => (o.mean ?? 0) + (o.std ?? 1) * g.normal());

/** Normal redrawn until within [mean − 2·std, mean + 2·std] (Keras's and TensorFlow's truncated normal). */
export const truncatedNormal = (shape: Shape, o: RandomOptions & { mean?: number; std?: number } = {}): Tensor =>
  random(shape, o, (g) => {
    let z: number;
    do z = g.normal();
    while (Math.abs(z) > 2);
    return (o.mean ?? 0) + (o.std ?? 1) * z;
  });
