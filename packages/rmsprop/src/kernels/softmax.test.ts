// Softmax, log-softmax and their gradients over rows against the float64 references: random [rows, cols]
// (0, 1 and widths that are not multiples of four), unaligned starts, in place, special values (±0, ±∞,
// NaN, values far enough apart that e^(x − max) underflows) and large rows, within a few float32 ulps of
// the size of the terms.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  F32Block,
  logSoftmaxRows,
  logSoftmaxRowsBackward,
  logSoftmaxRowsBackwardReference,
  logSoftmaxRowsReference,
  softmaxRows,
  softmaxRowsBackward,
  softmaxRowsBackwardReference,
  softmaxRowsReference,
} from './index.js';

const ULP = 2 ** -24;
const SPECIAL = [0, -0, 1, -1, Infinity, -Infinity, NaN, 1e-45, 3.4e38, -3.4e38, 88, -104, 200];
const GRAD_SPECIAL = [0, -0, 1, -1, Infinity, -Infinity, NaN];

type Which = 'softmax' | 'logSoftmax' | 'softmaxBackward' | 'logSoftmaxBackward';

function fill(a: Float32Array, seed: number, special: boolean, values: readonly number[], spread: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = special && s % 7 === 0 ? values[(s >>> 8) % values.length]! : (s / 2 ** 31 - 1) * 2 ** ((s >>> 3) % spread);
  }
}

/** Checks got against want: NaN for NaN, ±∞ exactly, else within tol(k). */
function compare(what: string, got: Float32Array, want: Float32Array, tol: (k: number) => number): void {
  for (let k = 0; k < want.length; k++) {
    const [g, w] = [got[k]!, want[k]!];
    const ok = Number.isNaN(w) ? Number.isNaN(g) : Number.isFinite(w) ? Math.abs(g - w) <= tol(k) : g === w;
    if (!ok) expect.fail(`${what}[${k}] = ${g}, reference ${w} (tolerance ${tol(k)})`);
  }
}

interface Case {
  which: Which;
  rows: number;
  cols: number;
  offset: number;
  inPlace: boolean;
  special: boolean;
  spread: number;
  seed: number;
}

function check({ which, rows, cols, offset, inPlace, special, spread, seed }: Case): void {
  const n = rows * cols;
  const backward = which.endsWith('Backward');
  const log = which.startsWith('log');
  // x (or g), y and out, n floats each `offset` into one block, with a guard after each.
  const stride = n + 4 + offset;
  const block = new F32Block(3 * stride + 4);
  try {
    const all = block.array;
    all.fill(-7);
    const at = (i: number) => i * stride + offset;
    const a = new Float32Array(n);
    fill(a, seed, special, backward ? GRAD_SPECIAL : SPECIAL, spread);
    const y = new Float32Array(n);
    if (backward) {
      // y as the forward pass makes it, from random logits.
      const x = new Float32Array(n);
      fill(x, seed + 1, false, SPECIAL, spread);
      (log ? logSoftmaxRowsReference : softmaxRowsReference)(x, rows, cols, y);
    }
    all.set(a, at(0));
    all.set(y, at(1));
    const out = inPlace ? at(0) : at(2);
    const want = all.slice();
    const w = want.subarray(out, out + n);
    const ptr = (i: number) => block.ptr + 4 * i;
    switch (which) {
      case 'softmax':
        softmaxRowsReference(a, rows, cols, w);
        softmaxRows(ptr(at(0)), rows, cols, ptr(out));
        break;
      case 'logSoftmax':
        logSoftmaxRowsReference(a, rows, cols, w);
        logSoftmaxRows(ptr(at(0)), rows, cols, ptr(out));
        break;
      case 'softmaxBackward':
        softmaxRowsBackwardReference(a, y, rows, cols, w);
        softmaxRowsBackward(ptr(at(0)), ptr(at(1)), rows, cols, ptr(out));
        break;
      case 'logSoftmaxBackward':
        logSoftmaxRowsBackwardReference(a, y, rows, cols, w);
        logSoftmaxRowsBackward(ptr(at(0)), ptr(at(1)), rows, cols, ptr(out));
        break;
    }
    // Σ|g·y| and Σ|g| of each row bound the rounding of the sums in the gradients.
    const rowSum = (k: number, f: (j: number) => number): number => {
      let s = 0;
      for (let j = k - (k % cols); j < k - (k % cols) + cols; j++) s += Math.abs(f(j));
      return s;
    };
    const tol: Record<Which, (k: number) => number> = {
      // e^(x − max) within one ulp, the f64 sum, one multiplication by 1/Σ: 4 ulps, and the subnormals.
      softmax: (k) => 4 * ULP * Math.abs(w[k]!) + 2 ** -148,
      // (x − max) − ln Σ: ulps of the result and of ln Σ ≤ ln cols.
      logSoftmax: (k) => 3 * ULP * (2 * Math.abs(w[k]!) + Math.log(cols)),
      softmaxBackward: (k) =>
        4 * ULP * Math.abs(y[k]!) * (Math.abs(a[k]!) + rowSum(k, (j) => a[j]! * y[j]!)) + 2 ** -148,
      logSoftmaxBackward: (k) => 4 * ULP * (Math.abs(a[k]!) + Math.exp(y[k]!) * rowSum(k, (j) => a[j]!)) + 2 ** -148,
    };
    compare(`${which} ${JSON.stringify({ rows, cols, seed })}`, block.array.subarray(out, out + n), w, tol[which]);
    // Everything but the output untouched.
    const got = block.array;
    for (let k = 0; k < got.length; k++) {
      if ((k < out || k >= out + n) && !Object.is(got[k], want[k])) expect.fail(`${which}: element ${k} was written`);
    }
  } finally {
    block.free();
  }
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  which: fc.constantFrom<Which>('softmax', 'logSoftmax', 'softmaxBackward', 'logSoftmaxBackward'),
  rows: fc.integer({ min: 0, max: 6 }),
  cols: fc.integer({ min: 0, max: 40 }),
  offset: fc.integer({ min: 0, max: 3 }),
  inPlace: fc.boolean(),
  special: fc.boolean(),
  spread: fc.integer({ min: 1, max: 9 }),
  seed: fc.nat(),
});

describe('softmax kernels', () => {
  it('match their references on random shapes, offsets, in place and with special values', () => {
    fc.assert(fc.property(caseArb, check), { numRuns: 1500 });
  });

  it('match on wide rows and on one column', () => {
    for (const which of ['softmax', 'logSoftmax', 'softmaxBackward', 'logSoftmaxBackward'] as const) {
      check({ which, rows: 3, cols: 1001, offset: 1, inPlace: false, special: false, spread: 6, seed: 9 });
      check({ which, rows: 3, cols: 1001, offset: 2, inPlace: true, special: true, spread: 9, seed: 4 });
      check({ which, rows: 17, cols: 1, offset: 0, inPlace: false, special: true, spread: 3, seed: 2 });
    }
  });

  it('give NaN rows for a NaN, +∞ or all −∞ row, and exact 0 and −∞ far below the maximum', () => {
    const b = new F32Block(24);
    b.array.set([1, NaN, 2, Infinity, -Infinity, -Infinity, 0, -200]);
    softmaxRows(b.ptr, 4, 2, b.ptr + 32);
    expect(Array.from(b.array.subarray(8, 16))).toEqual([NaN, NaN, NaN, NaN, NaN, NaN, 1, 0]);
    logSoftmaxRows(b.ptr, 4, 2, b.ptr + 64);
    expect(Array.from(b.array.subarray(16, 24))).toEqual([NaN, NaN, NaN, NaN, NaN, NaN, 0, -200]);
    b.free();
  });
});

describe('softmax kernels refuse bad inputs', () => {
  const block = new F32Block(64);
  const p = block.ptr;
  it('a size that is negative or not an integer', () => {
    expect(() => softmaxRows(p, -1, 2, p)).toThrow(
      new RangeError('softmaxRows: rows must be an integer from 0 to 2147483647, got -1'),
    );
    expect(() => logSoftmaxRowsBackward(p, p, 2, 1.5, p)).toThrow(
      'logSoftmaxRowsBackward: cols must be an integer from 0 to 2147483647, got 1.5',
    );
  });

  it('an operand past the end of the memory, or a misaligned pointer', () => {
    const end = block.array.buffer.byteLength;
    expect(() => logSoftmaxRows(p, 2, 3, end - 8)).toThrow(
      `logSoftmaxRows: out (6 elements) at outPtr ${end - 8} ends at byte ${end + 16}, past the end of the kernel memory (${end} bytes)`,
    );
    expect(() => softmaxRowsBackward(p, p + 1, 1, 1, p)).toThrow(
      `softmaxRowsBackward: yPtr must be a non-negative byte offset that is a multiple of 4, got ${p + 1}`,
    );
  });

  it('a reference array too short', () => {
    expect(() => softmaxRowsReference(new Float32Array(5), 2, 3, new Float32Array(6))).toThrow(
      'softmaxRowsReference: x needs 6 elements, got an array of 5',
    );
    expect(() =>
      logSoftmaxRowsBackwardReference(new Float32Array(6), new Float32Array(6), 2, 3, new Float32Array(2)),
    ).toThrow('logSoftmaxRowsBackwardReference: out needs 6 elements, got an array of 2');
  });
});
