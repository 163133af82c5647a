import {
  binary as binaryKernel,
  divGradB,
  exp as expKernel,
  log as logKernel,
  scaleShift,
  sum as sumKernel,
} from '../../kernels/index.js';
import { record, registerGradient } from '../tape.js';
import { Tensor } from '../tensor.js';
import { asTensor, broadcastShapes, forEachBroadcast, sumToShape } from './broadcast.js';

function floats(op: string, t: Tensor): Float32Array {
  if (t.dtype !== 'float32') throw new TypeError(`${op}: needs float32 tensors, got ${t.dtype}`);
  return t.data;
}

type BinaryName = 'add' | 'sub' | 'mul' | 'div';

function binary(op: BinaryName, a: Tensor | number, b: Tensor | number, f: (x: number, y: number) => number): Tensor {
  const x = asTensor(a);
  const y = asTensor(b);
  const out = new Tensor(broadcastShapes(op, x.shape, y.shape));
  floats(op, x);
  floats(op, y);
  if (x.size === out.size && y.size === out.size) binaryKernel(op, x.ptr, y.ptr, out.ptr, out.size);
  else if (!scalarForm(op, x, y, out)) {
    const [xa, ya, o] = [x.data, y.data, out.data];
    forEachBroadcast(x.shape, y.shape, out.shape, (i, ia, ib) => (o[i] = f(xa[ia]!, ya[ib]!)));
  }
  return record(out, op, [x, y]);
}

/**
 * x op s or s op x for a one-element s, by the x·α + β kernel where that is exact: add, sub and mul
 * (β = −0 leaves x·α as it is, −0 included); div would round 1/s, and takes the general loop.
 */
function scalarForm(op: BinaryName, x: Tensor, y: Tensor, out: Tensor): boolean {
  const first = x.size === 1 && y.size === out.size;
  if (!first && !(y.size === 1 && x.size === out.size)) return false;
  const [t, s] = first ? [y, x.data[0]!] : [x, y.data[0]!];
  const coefficients = { add: [1, s], sub: first ? [-1, s] : [1, -s], mul: [s, -0], div: null }[op];
  if (!coefficients) return false;
  scaleShift(t.ptr, out.ptr, out.size, coefficients[0]!, coefficients[1]!);
  return true;
}

/** `g` summed down to `like`'s shape, or null when `like` needs no gradient. */
function reduceTo(g: Tensor, like: Tensor): Tensor | null {
  if (!like.requiresGrad) return null;
  if (like.size !== 1 || g.size === 1) return sumToShape(g, like.shape);
  const out = new Tensor(like.shape);
  out.data[0] = sumKernel(g.ptr, g.size);
  return out;
}

/** Kernel `run(out)` into a new tensor of `like`'s shape, or null when `input` needs no gradient. */
function gradKernel(input: Tensor, like: Tensor, run: (out: Tensor) => void): Tensor | null {
  if (!input.requiresGrad) return null;
  const out = new Tensor(like.shape);
  run(out);
  return out;
}

function unary(op: string, a: Tensor, f: (x: number) => number, saved: Record<string, unknown> = {}): Tensor {
  const out = new Tensor(a.shape);
  const [x, o] = [floats(op, a), out.data];
  for (let i = 0; i < o.length; i++) o[i] = f(x[i]!);
  return record(out, op, [a], saved);
}

/** Elementwise g·f(x, y) over the broadcast shape, reduced back to the shape of `like` (null if it needs none). */
function gradOf(
  g: Tensor,
  x: Tensor,
  y: Tensor,
  like: Tensor,
  f: (g: number, x: number, y: number) => number,
): Tensor | null {
  if (!like.requiresGrad) return null;
  const out = new Tensor(g.shape);
  const [gd, xd, yd, o] = [g.data, x.data, y.data, out.data];
  forEachBroadcast(x.shape, y.shape, g.shape, (i, ia, ib) => (o[i] = f(gd[i]!, xd[ia]!, yd[ib]!)));
  return sumToShape(out, like.shape);
}

/** Elementwise g·f(x, y) of a unary op with input x and output y. */
function unaryGrad(g: Tensor, x: Tensor, y: Tensor, f: (g: number, x: number, y: number) => number): Tensor {
  const out = new Tensor(g.shape);
  const [gd, xd, yd, o] = [g.data, x.data, y.data, out.data];
  for (let i = 0; i < o.length; i++) o[i] = f(gd[i]!, xd[i]!, yd[i]!);
  return out;
}

export const add = (a: Tensor | number, b: Tensor | number): Tensor => binary('add', a, b, (x, y) => x + y);
export const sub = (a: Tensor | number, b: Tensor | number): Tensor => binary('sub', a, b, (x, y) => x - y);
export const mul = (a: Tensor | number, b: Tensor | number): Tensor => binary('mul', a, b, (x, y) => x * y);
export const div = (a: Tensor | number, b: Tensor | number): Tensor => binary('div', a, b, (x, y) => x / y);

// Same shapes take the SIMD kernels; a one-element operand the x·α + β kernel where exact; other broadcasts
// the general loops. No gradient is computed for an operand that needs none (a constant, a scalar).
const same = (x: Tensor, y: Tensor, g: Tensor): boolean => x.size === g.size && y.size === g.size;
const scalar = (t: Tensor, g: Tensor, other: Tensor): boolean => t.size === g.size && other.size === 1;

registerGradient('add', (g, { inputs: [x, y] }) => [reduceTo(g, x!), reduceTo(g, y!)]);
registerGradient('sub', (g, { inputs: [x, y] }) => [
  reduceTo(g, x!),
  y!.size === g.size
    ? gradKernel(y!, g, (o) => scaleShift(g.ptr, o.ptr, g.size, -1, -0))
    : gradOf(g, x!, y!, y!, (d) => -d),
]);
registerGradient('mul', (g, { inputs: [x, y] }) => {
  if (same(x!, y!, g)) {
    return [
      gradKernel(x!, g, (o) => binaryKernel('mul', g.ptr, y!.ptr, o.ptr, g.size)),
      gradKernel(y!, g, (o) => binaryKernel('mul', g.ptr, x!.ptr, o.ptr, g.size)),
    ];
  }
  return [
    scalar(x!, g, y!)
      ? gradKernel(x!, g, (o) => scaleShift(g.ptr, o.ptr, g.size, y!.data[0]!, -0))
      : gradOf(g, x!, y!, x!, (d, _, b) => d * b),
    scalar(y!, g, x!)
      ? gradKernel(y!, g, (o) => scaleShift(g.ptr, o.ptr, g.size, x!.data[0]!, -0))
      : gradOf(g, x!, y!, y!, (d, a) => d * a),
  ];
});
// PyTorch's formulas: g / y and −g·((x / y) / y).
registerGradient('div', (g, { inputs: [x, y] }) => {
  if (same(x!, y!, g)) {
    return [
      gradKernel(x!, g, (o) => binaryKernel('div', g.ptr, y!.ptr, o.ptr, g.size)),
      gradKernel(y!, g, (o) => divGradB(g.ptr, x!.ptr, y!.ptr, o.ptr, g.size)),
    ];
  }
  return [gradOf(g, x!, y!, x!, (d, _, b) => d / b), gradOf(g, x!, y!, y!, (d, a, b) => -d * (a / b / b))];
});

/** −x (exactly, by the x·α + β kernel with α = −1, β = −0). */
export function neg(a: Tensor): Tensor {
  const out = new Tensor(a.shape);
  floats('neg', a);
  scaleShift(a.ptr, out.ptr, a.size, -1, -0);
  return record(out, 'neg', [a]);
}
/** A unary op by its SIMD kernel (see kernels/pointwise.ts for its accuracy). */
function simd(op: string, a: Tensor, kernel: (xPtr: number, outPtr: number, n: number) => void): Tensor {
  floats(op, a);
  const out = new Tensor(a.shape);
  kernel(a.ptr, out.ptr, a.size);
  return record(out, op, [a]);
}

export const exp = (a: Tensor): Tensor => simd('exp', a, expKernel);
export const log = (a: Tensor): Tensor => simd('log', a, logKernel);
export const sqrt = (a: Tensor): Tensor => unary('sqrt', a, Math.sqrt);
export const abs = (a: Tensor): Tensor => unary('abs', a, Math.abs);
/** a to a constant power. */
export const pow = (a: Tensor, exponent: number): Tensor => unary('pow', a, (x) => x ** exponent, { exponent });
/** Clamps to [lo, hi]; the gradient flows where the input was inside (PyTorch's convention at the bounds). */
export const clamp = (a: Tensor, lo = -Infinity, hi = Infinity): Tensor => {
  if (!(lo <= hi)) throw new RangeError(`clamp: lo must be ≤ hi, got ${lo} and ${hi}`);
  return unary('clamp', a, (x) => Math.min(Math.max(x, lo), hi), { lo, hi });
};

registerGradient('neg', (g, { inputs: [x] }, y) => [unaryGrad(g, x!, y, (d) => -d)]);
// g·eˣ from the output, g / x from the input: one float32 operation each, the binary kernels.
registerGradient('exp', (g, { inputs: [x] }, y) => [
  gradKernel(x!, g, (o) => binaryKernel('mul', g.ptr, y.ptr, o.ptr, g.size)),
]);
registerGradient('log', (g, { inputs: [x] }) => [
  gradKernel(x!, g, (o) => binaryKernel('div', g.ptr, x!.ptr, o.ptr, g.size)),
]);
registerGradient('sqrt', (g, { inputs: [x] }, y) => [unaryGrad(g, x!, y, (d, _, r) => d / (2 * r))]);
registerGradient('abs', (g, { inputs: [x] }, y) => [unaryGrad(g, x!, y, (d, a) => d * Math.sign(a))]);
registerGradient('pow', (g, { inputs: [x], saved }, y) => {
  const p = saved.exponent as number;
  return [unaryGrad(g, x!, y, (d, a) => (p === 0 ? 0 : d * p * a ** (p - 1)))];
});
registerGradient('clamp', (g, { inputs: [x], saved }, y) => {
  const { lo, hi } = saved as { lo: number; hi: number };
  return [unaryGrad(g, x!, y, (d, a) => (a >= lo && a <= hi ? d : 0))];
});

/** Picks from `a` where `condition` is non-zero, else from `b` (all three broadcast together). */
export function where(condition: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  const x = asTensor(a);
  const y = asTensor(b);
  const shape = broadcastShapes('where', broadcastShapes('where', condition.shape, x.shape), y.shape);
  // Allocate first: a growth of the memory would detach views taken before.
  const mask = new Tensor(shape);
  const out = new Tensor(shape);
  const c = condition.dtype === 'int32' ? condition.ints : condition.data;
  const [m, xa, ya, o] = [mask.data, x.data, y.data, out.data];
  // `!== 0`, not truthiness: NaN is non-zero (PyTorch's bool of NaN is true).
  forEachBroadcast(condition.shape, shape, shape, (i, ic) => (m[i] = c[ic] !== 0 ? 1 : 0));
  forEachBroadcast(x.shape, y.shape, shape, (i, ia, ib) => (o[i] = m[i] ? xa[ia]! : ya[ib]!));
  return record(out, 'where', [x, y], { mask });
}

registerGradient('where', (g, { inputs: [x, y], saved }) => {
  const m = (saved.mask as Tensor).data;
  const pick = (keep: boolean, like: Tensor) => {
    const out = new Tensor(g.shape);
    const [gd, o] = [g.data, out.data];
    for (let i = 0; i < o.length; i++) o[i] = (m[i] !== 0) === keep ? gd[i]! : 0;
    return sumToShape(out, like.shape);
  };
  return [pick(true, x!), pick(false, y!)];
});
