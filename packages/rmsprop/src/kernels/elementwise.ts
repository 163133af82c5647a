import { checkArray, checkInt, checkRegion, kernelsFor } from './check.js';
import { runSplit, shifted, SPLIT_ELEMENTS } from './thread-pool.js';

/** The elementwise ops of two equal-shaped operands. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

// The op codes of assembly/elementwise.ts.
const CODE = { add: 0, sub: 1, mul: 2, div: 3, scaleShift: 4, relu: 5, reluBackward: 6, divGradB: 7 } as const;

/** Checks n and the operands (each n floats at a byte offset), then runs op `code`. */
function run(
  fn: string,
  code: number,
  n: number,
  operands: Record<string, number>,
  out: number,
  alpha = 0,
  beta = 0,
): void {
  checkInt(fn, 'n', n, 0);
  const ptrs = [0, 0, 0];
  Object.entries(operands).forEach(([name, ptr], i) => {
    checkRegion(fn, name, `${name}Ptr`, ptr, n);
    ptrs[i] = ptr;
  });
  checkRegion(fn, 'out', 'outPtr', out, n);
  kernelsFor(fn);
  const [a, b, c] = ptrs as [number, number, number];
  runSplit('elementwise', n, SPLIT_ELEMENTS, (s, count) => [
    code,
    shifted(a, s),
    shifted(b, s),
    shifted(c, s),
    out + 4 * s,
    count,
    alpha,
    beta,
  ]);
}

function checkArrays(fn: string, n: number, arrays: Record<string, ArrayLike<number>>): void {
  checkInt(fn, 'n', n, 0);
  for (const [name, a] of Object.entries(arrays)) checkArray(fn, name, a, n);
}

const f32 = Math.fround;
const OPS: Record<BinaryOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
};

// Every kernel below works on n float32 elements at byte offsets in the kernel memory, four at a time in
// SIMD; out may be one of the inputs (in place) but must not partially overlap one.

/** out = a op b elementwise, rounded to float32 (the exact IEEE result of each float32 operation). */
export function binary(op: BinaryOp, aPtr: number, bPtr: number, outPtr: number, n: number): void {
  if (!Object.hasOwn(OPS, op)) {
    throw new RangeError(`binary: op must be 'add', 'sub', 'mul' or 'div', got ${JSON.stringify(op)}`);
  }
  run('binary', CODE[op], n, { a: aPtr, b: bPtr }, outPtr);
}

/** out = x·alpha + beta, in float32 (a multiply, then an add: alpha and beta are rounded to float32). */
export function scaleShift(xPtr: number, outPtr: number, n: number, alpha: number, beta: number): void {
  run('scaleShift', CODE.scaleShift, n, { x: xPtr }, outPtr, alpha, beta);
}

/** out = x where x > 0, else 0 (NaN gives 0). */
export function relu(xPtr: number, outPtr: number, n: number): void {
  run('relu', CODE.relu, n, { x: xPtr }, outPtr);
}

/** The gradient of relu: out = g where x > 0, else 0 (also when g is NaN or ±∞, as in PyTorch). */
export function reluBackward(gPtr: number, xPtr: number, outPtr: number, n: number): void {
  run('reluBackward', CODE.reluBackward, n, { g: gPtr, x: xPtr }, outPtr);
}

/** The gradient of x / y with respect to y: out = −g·((x / y) / y), PyTorch's formula. */
export function divGradB(gPtr: number, xPtr: number, yPtr: number, outPtr: number, n: number): void {
  run('divGradB', CODE.divGradB, n, { g: gPtr, x: xPtr, y: yPtr }, outPtr);
}

/** `binary` over plain arrays: the reference. */
export function binaryReference(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array, n: number): void {
  if (!Object.hasOwn(OPS, op)) {
    throw new RangeError(`binaryReference: op must be 'add', 'sub', 'mul' or 'div', got ${JSON.stringify(op)}`);
  }
  checkArrays('binaryReference', n, { a, b, out });
  const f = OPS[op];
  for (let k = 0; k < n; k++) out[k] = f(a[k]!, b[k]!);
}

/** `scaleShift` over plain arrays: the reference. */
export function scaleShiftReference(x: Float32Array, out: Float32Array, n: number, alpha: number, beta: number): void {
  checkArrays('scaleShiftReference', n, { x, out });
  const [al, be] = [f32(alpha), f32(beta)];
  for (let k = 0; k < n; k++) out[k] = f32(x[k]! * al) + be;
}

/** `relu` over plain arrays: the reference. */
export function reluReference(x: Float32Array, out: Float32Array, n: number): void {
  checkArrays('reluReference', n, { x, out });
  for (let k = 0; k < n; k++) out[k] = x[k]! > 0 ? x[k]! : 0;
}

/** `reluBackward` over plain arrays: the reference. */
export function reluBackwardReference(g: Float32Array, x: Float32Array, out: Float32Array, n: number): void {
  checkArrays('reluBackwardReference', n, { g, x, out });
  for (let k = 0; k < n; k++) out[k] = x[k]! > 0 ? g[k]! : 0;
}

/** `divGradB` over plain arrays: the reference. */
export function divGradBReference(
  g: Float32Array,
  x: Float32Array,
  y: Float32Array,
  out: Float32Array,
  n: number,
): void {
  checkArrays('divGradBReference', n, { g, x, y, out });
  for (let k = 0; k < n; k++) out[k] = -g[k]! * f32(f32(x[k]! / y[k]!) / y[k]!);
}
