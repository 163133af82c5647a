// The f64 sums against plain f64 loops over random lengths (0, 1, not multiples of four) and unaligned
// starts, the row and column sums over random [rows, cols], and the adjoint broadcastRows bit for bit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  broadcastRows,
  broadcastRowsReference,
  F32Block,
  sum,
  sumReference,
  sumColumns,
  sumColumnsReference,
  sumRows,
  sumRowsReference,
} from './index.js';
import { withBlocks } from './test-support.js';

function fillRandom(a: Float32Array, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 2 ** 31 - 1) * 2 ** ((s >>> 3) % 16);
  }
}

const absSum = (a: Float32Array): number => a.reduce((s, x) => s + Math.abs(x), 0);

describe('sum', () => {
  it('matches the f64 reference to f64 round-off on random lengths and offsets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 3 }), fc.nat(), (n, offset, seed) => {
        const b = new F32Block(n + offset + 4);
        fillRandom(b.array, seed);
        b.array[n + offset] = 1e30; // past the end: must not be read
        const x = b.array.subarray(offset, offset + n);
        const want = sumReference(x, n);
        expect(Math.abs(sum(b.ptr + 4 * offset, n) - want)).toBeLessThanOrEqual(1e-15 * absSum(x) * n);
        b.free();
      }),
      { numRuns: 300 },
    );
  });

  it('keeps float32 digits where a float32 accumulator would not', () => {
    const n = 1 << 20;
    const b = new F32Block(n);
    b.array.fill(0.1);
    expect(sum(b.ptr, n) / n).toBeCloseTo(Math.fround(0.1), 12);
    b.free();
  });
});

describe('sumRows and broadcastRows', () => {
  it('match their references on random shapes, divisors and scales', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(1, 3, 0.5, 7),
        fc.integer({ min: 0, max: 3 }),
        fc.nat(),
        (rows, cols, divisor, offset, seed) => {
          const b = new F32Block(offset + rows * cols + rows + 4);
          fillRandom(b.array, seed);
          const x = b.array.slice(offset, offset + rows * cols);
          const want = new Float32Array(rows);
          sumRowsReference(x, rows, cols, want, divisor);
          const out = b.ptr + 4 * (offset + rows * cols);
          sumRows(b.ptr + 4 * offset, rows, cols, out, divisor);
          const got = b.array.slice(offset + rows * cols, offset + rows * cols + rows);
          for (let r = 0; r < rows; r++) {
            const tol = (2 ** -23 * absSum(x.subarray(r * cols, (r + 1) * cols))) / divisor;
            expect(Math.abs(got[r]! - want[r]!), `row ${r}`).toBeLessThanOrEqual(tol);
          }
          // The adjoint, written over x: bit for bit.
          const spread = new Float32Array(rows * cols);
          broadcastRowsReference(got, rows, cols, spread, 1 / divisor);
          broadcastRows(out, rows, cols, b.ptr + 4 * offset, 1 / divisor);
          expect(Array.from(b.array.subarray(offset, offset + rows * cols))).toEqual(Array.from(spread));
          b.free();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('sumColumns', () => {
  it('matches its reference on random shapes (odd row counts; widths 0, 1, not multiples of 4, past 16 and 32)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 3 }),
        fc.nat(),
        (rows, cols, offset, seed) => {
          withBlocks([offset + rows * cols, cols], (b, out) => {
            fillRandom(b.array, seed);
            const x = b.array.slice(offset, offset + rows * cols);
            const want = new Float32Array(cols);
            sumColumnsReference(x, rows, cols, want);
            sumColumns(b.ptr + 4 * offset, rows, cols, out.ptr);
            for (let c = 0; c < cols; c++) {
              let scale = 0;
              for (let r = 0; r < rows; r++) scale += Math.abs(x[r * cols + c]!);
              expect(Math.abs(out.array[c]! - want[c]!), `column ${c}`).toBeLessThanOrEqual(2 ** -23 * scale);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('sums refuse bad inputs', () => {
  const block = new F32Block(64);
  const p = block.ptr;
  it('a size that is negative or not an integer', () => {
    expect(() => sum(p, -1)).toThrow(new RangeError('sum: n must be an integer from 0 to 2147483647, got -1'));
    expect(() => sumRows(p, 2, 0.5, p)).toThrow('sumRows: cols must be an integer from 0 to 2147483647, got 0.5');
    expect(() => sumColumns(p, -2, 3, p)).toThrow('sumColumns: rows must be an integer from 0 to 2147483647, got -2');
    expect(() => broadcastRows(p, -2, 3, p)).toThrow(
      'broadcastRows: rows must be an integer from 0 to 2147483647, got -2',
    );
  });

  it('a divisor that is not a positive finite number', () => {
    expect(() => sumRows(p, 2, 2, p, 0)).toThrow('sumRows: divisor must be a finite number > 0, got 0');
    expect(() => sumRowsReference(block.array, 2, 2, block.array, NaN)).toThrow(
      'sumRowsReference: divisor must be a finite number > 0, got NaN',
    );
  });

  it('an operand past the end of the memory', () => {
    const end = block.array.buffer.byteLength;
    expect(() => sumRows(p, 2, 3, end - 4)).toThrow(
      `sumRows: out (2 elements) at outPtr ${end - 4} ends at byte ${end + 4}, past the end of the kernel memory (${end} bytes)`,
    );
    expect(() => sum(3, 1)).toThrow('sum: xPtr must be a non-negative byte offset that is a multiple of 4, got 3');
  });

  it('a reference array too short', () => {
    expect(() => broadcastRowsReference(new Float32Array(2), 2, 3, new Float32Array(5))).toThrow(
      'broadcastRowsReference: out needs 6 elements, got an array of 5',
    );
  });
});
