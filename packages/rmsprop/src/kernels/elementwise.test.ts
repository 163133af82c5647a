// The elementwise kernels against their TypeScript references: every op, lengths 0 to 70 (the tail of
// n % 4 goes through the staging rows), unaligned starts, outputs in place, and special values (±0, ±∞,
// NaN, division by zero). Each element is one or two float32 operations, so results agree bit for bit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectSame } from './test-support.js';
import {
  binary,
  binaryReference,
  divGradB,
  divGradBReference,
  F32Block,
  relu,
  reluBackward,
  reluBackwardReference,
  reluReference,
  scaleShift,
  scaleShiftReference,
  type BinaryOp,
} from './index.js';

const SPECIAL = [0, -0, 1, -1, Infinity, -Infinity, NaN, 1e-45, 3.4e38];

function fillRandom(a: Float32Array, seed: number, special: boolean): void {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = special && s % 5 === 0 ? SPECIAL[(s >>> 8) % SPECIAL.length]! : s / 2 ** 31 - 1;
  }
}

type Run = 'binary' | 'scaleShift' | 'relu' | 'reluBackward' | 'divGradB';
interface Case {
  run: Run;
  op: BinaryOp;
  n: number;
  offset: number;
  /** Which input the output overwrites (−1: a separate output). */
  inPlace: number;
  alpha: number;
  beta: number;
  special: boolean;
  seed: number;
}
const inputs: Record<Run, number> = { binary: 2, scaleShift: 1, relu: 1, reluBackward: 2, divGradB: 3 };

function check(t: Case): void {
  const k = inputs[t.run];
  // Three inputs and an output of n floats each, placed `offset` floats into one block, with a guard
  // after each so that a write past n would show.
  const stride = t.n + 4 + t.offset;
  const block = new F32Block(4 * stride + 4);
  try {
    const all = block.array;
    fillRandom(all, t.seed, t.special);
    const at = (i: number) => i * stride + t.offset;
    const out = t.inPlace >= 0 && t.inPlace < k ? at(t.inPlace) : at(3);
    const ptr = (i: number) => block.ptr + 4 * at(i);
    const arr = (i: number) => all.slice(at(i), at(i) + t.n);
    const want = all.slice();
    const w = want.subarray(out, out + t.n);
    switch (t.run) {
      case 'binary':
        binaryReference(t.op, arr(0), arr(1), w, t.n);
        binary(t.op, ptr(0), ptr(1), block.ptr + 4 * out, t.n);
        break;
      case 'scaleShift':
        scaleShiftReference(arr(0), w, t.n, t.alpha, t.beta);
        scaleShift(ptr(0), block.ptr + 4 * out, t.n, t.alpha, t.beta);
        break;
      case 'relu':
        reluReference(arr(0), w, t.n);
        relu(ptr(0), block.ptr + 4 * out, t.n);
        break;
      case 'reluBackward':
        reluBackwardReference(arr(0), arr(1), w, t.n);
        reluBackward(ptr(0), ptr(1), block.ptr + 4 * out, t.n);
        break;
      case 'divGradB':
        divGradBReference(arr(0), arr(1), arr(2), w, t.n);
        divGradB(ptr(0), ptr(1), ptr(2), block.ptr + 4 * out, t.n);
        break;
    }
    // The whole block: the output, the inputs untouched, the guards untouched.
    expectSame(block.array, want, `block of ${JSON.stringify(t)}`);
  } finally {
    block.free();
  }
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  run: fc.constantFrom<Run>('binary', 'scaleShift', 'relu', 'reluBackward', 'divGradB'),
  op: fc.constantFrom<BinaryOp>('add', 'sub', 'mul', 'div'),
  n: fc.integer({ min: 0, max: 70 }),
  offset: fc.integer({ min: 0, max: 3 }),
  inPlace: fc.integer({ min: -1, max: 2 }),
  alpha: fc.constantFrom(1, -1, 0.1, 2.5, 1 / 3),
  beta: fc.constantFrom(0, 1, -0.3, 1e-3),
  special: fc.boolean(),
  seed: fc.nat(),
});

describe('elementwise kernels', () => {
  it('match their references on random lengths, ops, offsets, in place and with special values', () => {
    fc.assert(fc.property(caseArb, check), { numRuns: 1000 });
  });

  it('match on long arrays, every op', () => {
    const base = { n: 1027, offset: 1, inPlace: -1, alpha: 0.7, beta: -2, special: true, seed: 5 };
    for (const op of ['add', 'sub', 'mul', 'div'] as const) check({ ...base, run: 'binary', op });
    for (const run of ['scaleShift', 'relu', 'reluBackward', 'divGradB'] as const) check({ ...base, run, op: 'add' });
  });

  it('relu gives 0 for NaN and its gradient 0 for a NaN or infinite g where x ≤ 0', () => {
    const b = new F32Block(12);
    b.array.set([NaN, -1, 2, -0, NaN, Infinity, 7, 1, -1, 0, 3, NaN]);
    relu(b.ptr, b.ptr + 32, 4);
    expect(Array.from(b.array.subarray(8))).toEqual([0, 0, 2, 0]);
    b.array.set([NaN, Infinity, 7, 1, -1, 0, 3, NaN]);
    reluBackward(b.ptr, b.ptr + 16, b.ptr + 32, 4);
    expect(Array.from(b.array.subarray(8))).toEqual([0, 0, 7, 0]);
    b.free();
  });
});

describe('elementwise kernels refuse bad inputs', () => {
  const block = new F32Block(64);
  const p = block.ptr;
  it('an unknown op', () => {
    expect(() => binary('pow' as BinaryOp, p, p, p, 4)).toThrow(
      new RangeError(`binary: op must be 'add', 'sub', 'mul' or 'div', got "pow"`),
    );
    expect(() => binaryReference('toString' as BinaryOp, block.array, block.array, block.array, 4)).toThrow(
      `binaryReference: op must be 'add', 'sub', 'mul' or 'div', got "toString"`,
    );
  });

  it('a length that is negative or not an integer', () => {
    expect(() => relu(p, p, -1)).toThrow('relu: n must be an integer from 0 to 2147483647, got -1');
    expect(() => scaleShift(p, p, 1.5, 1, 0)).toThrow('scaleShift: n must be an integer from 0 to 2147483647, got 1.5');
  });

  it('an operand past the end of the memory, or a misaligned pointer', () => {
    const end = block.array.buffer.byteLength;
    expect(() => divGradB(p, p, end - 8, p, 4)).toThrow(
      `divGradB: y (4 elements) at yPtr ${end - 8} ends at byte ${end + 8}, past the end of the kernel memory (${end} bytes)`,
    );
    expect(() => reluBackward(p, p + 6, p, 4)).toThrow(
      `reluBackward: xPtr must be a non-negative byte offset that is a multiple of 4, got ${p + 6}`,
    );
    expect(() => binary('add', p, p, end, 1)).toThrow(
      `binary: out (1 elements) at outPtr ${end} ends at byte ${end + 4}, past the end of the kernel memory (${end} bytes)`,
    );
  });

  it('a reference array too short', () => {
    expect(() => reluBackwardReference(new Float32Array(4), new Float32Array(3), new Float32Array(4), 4)).toThrow(
      'reluBackwardReference: x needs 4 elements, got an array of 3',
    );
  });
});
