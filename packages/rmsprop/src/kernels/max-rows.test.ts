// The row maximum and its gradient against their references, bit for bit: random [rows, cols] (0, 1 and
// widths that are not multiples of four), unaligned starts, values drawn from a few so that maxima tie,
// and special values (±0, ±∞, NaN).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { F32Block, maxRows, maxRowsBackward, maxRowsBackwardReference, maxRowsReference } from './index.js';

const SPECIAL = [0, -0, Infinity, -Infinity, NaN, 3.4e38, -3.4e38];

function fill(a: Float32Array, seed: number, special: boolean, few: boolean): void {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    if (special && s % 7 === 0) a[i] = SPECIAL[(s >>> 8) % SPECIAL.length]!;
    else a[i] = few ? ((s >>> 9) % 4) - 2 : s / 2 ** 31 - 1;
  }
}

function expectSame(got: Float32Array, want: Float32Array, what: string): void {
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${what}[${i}] = ${got[i]}, reference ${want[i]}`);
  }
}

interface Case {
  rows: number;
  cols: number;
  offset: number;
  special: boolean;
  few: boolean;
  /** Whether y is the row maximum (as in a gradient) or arbitrary. */
  yIsMax: boolean;
  seed: number;
}

function check({ rows, cols, offset, special, few, yIsMax, seed }: Case): void {
  const n = rows * cols;
  // x, dx: n floats; g, y, max: rows floats; each `offset` into one block with a guard after.
  const sizes = [n, n, rows, rows, rows];
  const starts: number[] = [];
  let end = 0;
  for (const s of sizes) {
    starts.push(end + offset);
    end += offset + s + 4;
  }
  const block = new F32Block(end);
  try {
    const all = block.array;
    all.fill(-7);
    const [x, dx, g, y, m] = starts;
    const xs = new Float32Array(n);
    fill(xs, seed, special, few);
    all.set(xs, x!);
    const gs = new Float32Array(rows);
    fill(gs, seed + 1, special, false);
    all.set(gs, g!);
    const ys = new Float32Array(rows);
    if (yIsMax) maxRowsReference(xs, rows, cols, ys);
    else fill(ys, seed + 2, special, few);
    all.set(ys, y!);
    const want = all.slice();
    maxRowsReference(xs, rows, cols, want.subarray(m!, m! + rows));
    maxRowsBackwardReference(gs, xs, ys, rows, cols, want.subarray(dx!, dx! + n));
    const ptr = (i: number) => block.ptr + 4 * i;
    maxRows(ptr(x!), rows, cols, ptr(m!));
    maxRowsBackward(ptr(g!), ptr(x!), ptr(y!), rows, cols, ptr(dx!));
    expectSame(block.array, want, `block of ${JSON.stringify({ rows, cols, seed })}`);
  } finally {
    block.free();
  }
}

describe('maxRows and maxRowsBackward', () => {
  it('match their references bit for bit on random shapes, ties and special values', () => {
    const arb = fc.record({
      rows: fc.integer({ min: 0, max: 6 }),
      cols: fc.integer({ min: 0, max: 40 }),
      offset: fc.integer({ min: 0, max: 3 }),
      special: fc.boolean(),
      few: fc.boolean(),
      yIsMax: fc.boolean(),
      seed: fc.nat(),
    });
    fc.assert(fc.property(arb, check), { numRuns: 1000 });
  });

  it('match on wide rows', () => {
    check({ rows: 5, cols: 1003, offset: 1, special: true, few: true, yIsMax: true, seed: 1 });
    check({ rows: 2, cols: 4096, offset: 0, special: false, few: false, yIsMax: true, seed: 2 });
  });

  it('fold as Math.max: NaN wins, +0 above −0, −∞ for an empty row; ties share the gradient', () => {
    const b = new F32Block(32);
    b.array.set([-0, 0, -0, -1, 5, NaN, 1, 2, -0, -0, -1, -2]);
    maxRows(b.ptr, 3, 4, b.ptr + 64);
    expect(Array.from(b.array.subarray(16, 19))).toEqual([0, NaN, -0]);
    expect(Object.is(b.array[18], -0)).toBe(true);
    maxRows(b.ptr, 2, 0, b.ptr + 64);
    expect(Array.from(b.array.subarray(16, 18))).toEqual([-Infinity, -Infinity]);
    b.array.set([3, 1, 3, 3, 6], 20); // x of one row and g
    b.array[25] = 3; // y
    maxRowsBackward(b.ptr + 96, b.ptr + 80, b.ptr + 100, 1, 4, b.ptr + 104);
    expect(Array.from(b.array.subarray(26, 30))).toEqual([2, 0, 2, 2]);
    b.free();
  });
});

describe('maxRows refuses bad inputs', () => {
  const block = new F32Block(64);
  const p = block.ptr;
  it('a size that is negative or not an integer', () => {
    expect(() => maxRows(p, 1.5, 2, p)).toThrow(
      new RangeError('maxRows: rows must be an integer from 0 to 2147483647, got 1.5'),
    );
    expect(() => maxRowsBackward(p, p, p, 2, -3, p)).toThrow(
      'maxRowsBackward: cols must be an integer from 0 to 2147483647, got -3',
    );
  });

  it('an operand past the end of the memory, or a misaligned pointer', () => {
    const end = block.array.buffer.byteLength;
    expect(() => maxRows(p, 3, 2, end - 8)).toThrow(
      `maxRows: out (3 elements) at outPtr ${end - 8} ends at byte ${end + 4}, past the end of the kernel memory (${end} bytes)`,
    );
    expect(() => maxRowsBackward(p, p, p + 3, 1, 1, p)).toThrow(
      `maxRowsBackward: yPtr must be a non-negative byte offset that is a multiple of 4, got ${p + 3}`,
    );
  });

  it('a reference array too short', () => {
    expect(() =>
      maxRowsBackwardReference(
        new Float32Array(1),
        new Float32Array(6),
        new Float32Array(2),
        2,
        3,
        new Float32Array(6),
      ),
    ).toThrow('maxRowsBackwardReference: g needs 2 elements, got an array of 1');
  });
});
