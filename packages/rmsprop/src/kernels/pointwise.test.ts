// The SIMD transcendental kernels against their float64 references: every op on random lengths 0 to 70
// (the n % 4 tail goes through the staging rows), unaligned starts, in place, and special values (±0, ±∞,
// NaN, subnormals, the edges where exp overflows and underflows), within a few units in the last place;
// then a sweep over float32 bit patterns spread across the whole range.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exp,
  expReference,
  F32Block,
  gelu,
  geluBackward,
  geluBackwardReference,
  geluReference,
  log,
  logReference,
  normalCdf,
  sigmoid,
  sigmoidBackward,
  sigmoidBackwardReference,
  sigmoidReference,
  tanh,
  tanhBackward,
  tanhBackwardReference,
  tanhReference,
} from './index.js';

type Unary = (xPtr: number, outPtr: number, n: number) => void;
type Binary = (aPtr: number, bPtr: number, outPtr: number, n: number) => void;
type UnaryRef = (x: Float32Array, out: Float32Array, n: number) => void;
type BinaryRef = (a: Float32Array, b: Float32Array, out: Float32Array, n: number) => void;

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
/** The float32 values in order as integers, −0 and +0 both 0: the distance counts the floats between. */
function ordered(v: number): number {
  f32[0] = v;
  return i32[0]! < 0 ? -(i32[0]! & 0x7fffffff) : i32[0]!;
}
/** Units in the last place between two float32 values; NaN only matches NaN, ±∞ only itself. */
function ulps(got: number, want: number): number {
  if (Number.isNaN(got) || Number.isNaN(want)) return Number.isNaN(got) && Number.isNaN(want) ? 0 : Infinity;
  if (!Number.isFinite(got) || !Number.isFinite(want)) return got === want ? 0 : Infinity;
  return Math.abs(ordered(got) - ordered(want));
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** The gradient of gelu is a sum of two terms that cancel near x = −0.75: its error is relative to their size. */
const geluGradScale = (g: number, x: number): number =>
  Math.abs(g) * (Math.abs(normalCdf(x)) + Math.abs(x * INV_SQRT_2PI * Math.exp(-0.5 * x * x)));

interface Op {
  kernel: Unary | Binary;
  reference: UnaryRef | BinaryRef;
  inputs: 1 | 2;
  /** The largest error allowed against the reference rounded to float32, in ulps. */
  ulps: number;
  /** Values of the second input (y = the forward output, or x); the first is drawn from FIRST. */
  second?: readonly number[];
  /** An absolute tolerance instead of ulps, from the inputs. */
  abs?: (a: number, b: number) => number;
}

// Inputs around the edges: exp overflows above 88.7228 and is subnormal below −87.3365 and 0 below −103.97;
// tanh and sigmoid saturate near ±9 and ±17 and below −88 (the subnormal sigmoid); subnormal inputs to log.
const EDGES = [
  0,
  -0,
  1,
  -1,
  Infinity,
  -Infinity,
  NaN,
  1e-45,
  -1e-45,
  1e-40,
  1.1754942e-38,
  3.4e38,
  -3.4e38,
  88.72283,
  88.72284,
  88.7229,
  89,
  -87.33654,
  -87.3366,
  -103.27893,
  -103.9721,
  -104,
  -150,
  0.625,
  -0.625,
  9.01,
  -9.01,
  17,
  -88.5,
  -100,
  1e-30,
  -1e-30,
  0.75,
  -0.7518,
  16,
  -16,
  -13.3,
];
const OUTPUTS = [0, -0, 1, -1, 0.5, 0.25, NaN, Infinity, -Infinity, 1e-30];

const OPS: Record<string, Op> = {
  exp: { kernel: exp, reference: expReference, inputs: 1, ulps: 1 },
  log: { kernel: log, reference: logReference, inputs: 1, ulps: 1 },
  tanh: { kernel: tanh, reference: tanhReference, inputs: 1, ulps: 2 },
  sigmoid: { kernel: sigmoid, reference: sigmoidReference, inputs: 1, ulps: 3 },
  gelu: { kernel: gelu, reference: geluReference, inputs: 1, ulps: 4 },
  tanhBackward: { kernel: tanhBackward, reference: tanhBackwardReference, inputs: 2, ulps: 2, second: OUTPUTS },
  sigmoidBackward: {
    kernel: sigmoidBackward,
    reference: sigmoidBackwardReference,
    inputs: 2,
    ulps: 2,
    second: OUTPUTS,
  },
  geluBackward: {
    kernel: geluBackward,
    reference: geluBackwardReference,
    inputs: 2,
    ulps: 0,
    second: EDGES,
    // 5 ulps of the terms' size, and 4 of the smallest subnormal in GELU'(x) (times g) where it underflows.
    abs: (g, x) => 5 * 2 ** -24 * geluGradScale(g, x) + Math.abs(g) * 2 ** -147 + 2 ** -149,
  },
};
const NAMES = Object.keys(OPS);

function fill(a: Float32Array, seed: number, special: boolean, values: readonly number[]): void {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    // Spread over magnitudes up to 2^7, so that exp meets overflow and underflow.
    a[i] = special && s % 5 === 0 ? values[(s >>> 8) % values.length]! : (s / 2 ** 31 - 1) * 2 ** ((s >>> 3) % 8);
  }
}

function compare(name: string, op: Op, got: Float32Array, want: Float32Array, a: Float32Array, b: Float32Array): void {
  for (let k = 0; k < want.length; k++) {
    const [g, w] = [got[k]!, want[k]!];
    const bad = op.abs
      ? !(Number.isNaN(w) ? Number.isNaN(g) : Number.isFinite(w) ? Math.abs(g - w) <= op.abs(a[k]!, b[k]!) : g === w)
      : ulps(g, w) > op.ulps;
    if (bad) expect.fail(`${name}[${k}] of (${a[k]}, ${b[k]}) = ${g}, reference ${w} (${ulps(g, w)} ulps)`);
  }
}

interface Case {
  name: string;
  n: number;
  offset: number;
  inPlace: boolean;
  special: boolean;
  seed: number;
}

function check({ name, n, offset, inPlace, special, seed }: Case): void {
  const op = OPS[name]!;
  // Two inputs and an output of n floats, `offset` floats into one block, a guard after each.
  const stride = n + 4 + offset;
  const block = new F32Block(3 * stride + 4);
  try {
    const all = block.array;
    const at = (i: number) => i * stride + offset;
    fill(all.subarray(at(0), at(1)), seed, special, EDGES);
    fill(all.subarray(at(1), at(2)), seed + 1, special, op.second ?? EDGES);
    all.fill(12345, at(2), all.length);
    all.fill(-7, at(0) + n, at(1));
    all.fill(-7, at(1) + n, at(2));
    const [a, b] = [all.slice(at(0), at(0) + n), all.slice(at(1), at(1) + n)];
    const out = inPlace ? at(0) : at(2);
    const want = all.slice();
    const w = want.subarray(out, out + n);
    if (op.inputs === 1) (op.reference as UnaryRef)(a, w, n);
    else (op.reference as BinaryRef)(a, b, w, n);
    const ptr = (i: number) => block.ptr + 4 * i;
    if (op.inputs === 1) (op.kernel as Unary)(ptr(at(0)), ptr(out), n);
    else (op.kernel as Binary)(ptr(at(0)), ptr(at(1)), ptr(out), n);
    const got = block.array;
    compare(name, op, got.subarray(out, out + n), w, a, b);
    // Everything but the output is untouched: the other inputs and the guards.
    for (let k = 0; k < got.length; k++) {
      if ((k < out || k >= out + n) && !Object.is(got[k], want[k])) expect.fail(`${name}: element ${k} was written`);
    }
  } finally {
    block.free();
  }
}

describe('pointwise kernels', () => {
  it('match their references on random lengths, offsets, in place and with special values', () => {
    const arb = fc.record({
      name: fc.constantFrom(...NAMES),
      n: fc.integer({ min: 0, max: 70 }),
      offset: fc.integer({ min: 0, max: 3 }),
      inPlace: fc.boolean(),
      special: fc.boolean(),
      seed: fc.nat(),
    });
    fc.assert(fc.property(arb, check), { numRuns: 1500 });
  });

  it('match on long arrays, every op', () => {
    for (const name of NAMES) check({ name, n: 4099, offset: 1, inPlace: false, special: true, seed: 3 });
  });

  it('match over float32 bit patterns across the whole range (every 4099th)', () => {
    const n = Math.ceil(2 ** 32 / 4099);
    const block = new F32Block(3 * n);
    const bits = new Uint32Array(block.array.buffer, block.ptr, n);
    for (let i = 0; i < n; i++) bits[i] = i * 4099;
    const x = block.array.slice(0, n);
    const g = new Float32Array(n).fill(1);
    block.array.set(g, n);
    for (const name of NAMES) {
      const op = OPS[name]!;
      const want = new Float32Array(n);
      // The gradients take the swept values as y (or x) with g = 1.
      if (op.inputs === 1) {
        (op.reference as UnaryRef)(x, want, n);
        (op.kernel as Unary)(block.ptr, block.ptr + 8 * n, n);
        compare(name, op, block.array.subarray(2 * n), want, x, x);
      } else {
        (op.reference as BinaryRef)(g, x, want, n);
        (op.kernel as Binary)(block.ptr + 4 * n, block.ptr, block.ptr + 8 * n, n);
        compare(name, op, block.array.subarray(2 * n), want, g, x);
      }
    }
    block.free();
  });

  it('keep the sign of zero and the exact special values', () => {
    const b = new F32Block(16);
    const run = (f: Unary, xs: number[]): number[] => {
      b.array.set(xs);
      f(b.ptr, b.ptr + 32, xs.length);
      return Array.from(b.array.subarray(8, 8 + xs.length));
    };
    expect(run(exp, [-0, -Infinity, Infinity, NaN, 89, -104])).toEqual([1, 0, Infinity, NaN, Infinity, 0]);
    expect(run(log, [-0, 0, -1, Infinity, NaN, 1])).toEqual([-Infinity, -Infinity, NaN, Infinity, NaN, 0]);
    expect(run(tanh, [-0, 0, -Infinity, Infinity, NaN, -20])).toEqual([-0, 0, -1, 1, NaN, -1]);
    expect(run(sigmoid, [-0, -Infinity, Infinity, NaN, 0])).toEqual([0.5, 0, 1, NaN, 0.5]);
    expect(run(gelu, [-0, 0, Infinity, NaN])).toEqual([-0, 0, Infinity, NaN]);
    // Subnormal results, as Math.exp rounded to float32 gives them.
    expect(run(exp, [-100, -103])).toEqual([Math.fround(Math.exp(-100)), Math.fround(Math.exp(-103))]);
    expect(run(sigmoid, [-100])).toEqual([Math.fround(Math.exp(-100))]);
    b.free();
  });
});

describe('pointwise kernels refuse bad inputs', () => {
  const block = new F32Block(64);
  const p = block.ptr;
  it('a length that is negative or not an integer', () => {
    expect(() => exp(p, p, -1)).toThrow(new RangeError('exp: n must be an integer from 0 to 2147483647, got -1'));
    expect(() => tanhBackward(p, p, p, 2.5)).toThrow(
      'tanhBackward: n must be an integer from 0 to 2147483647, got 2.5',
    );
  });

  it('an operand past the end of the memory, or a misaligned pointer', () => {
    const end = block.array.buffer.byteLength;
    expect(() => sigmoid(end - 8, p, 4)).toThrow(
      `sigmoid: x (4 elements) at xPtr ${end - 8} ends at byte ${end + 8}, past the end of the kernel memory (${end} bytes)`,
    );
    expect(() => geluBackward(p, p + 2, p, 4)).toThrow(
      `geluBackward: xPtr must be a non-negative byte offset that is a multiple of 4, got ${p + 2}`,
    );
    expect(() => log(p, end, 1)).toThrow(
      `log: out (1 elements) at outPtr ${end} ends at byte ${end + 4}, past the end of the kernel memory (${end} bytes)`,
    );
    expect(() => gelu(-4, p, 1)).toThrow(
      'gelu: xPtr must be a non-negative byte offset that is a multiple of 4, got -4',
    );
  });

  it('a reference array too short', () => {
    expect(() => sigmoidBackwardReference(new Float32Array(4), new Float32Array(3), new Float32Array(4), 4)).toThrow(
      'sigmoidBackwardReference: y needs 4 elements, got an array of 3',
    );
    expect(() => tanhReference(new Float32Array(4), new Float32Array(4), -1)).toThrow(
      'tanhReference: n must be an integer from 0 to 2147483647, got -1',
    );
  });
});
