// The packed WebAssembly GEMM against the TypeScript triple loop, over random shapes (1 and sizes that
// are not multiples of the 4 × 8 tile), all four transpose combinations, α and β (with NaN in C when
// β = 0), leading dimensions wider than the rows, unaligned starts, and shapes that cross every block.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillRandom } from './test-support.js';
import { F32Block, gemm, gemmReference } from './index.js';

interface Case {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  /** Extra floats at the end of each row of A, B and C. */
  pad: [number, number, number];
  /** Floats before the first element of A, B and C (a start that is not 16-byte aligned). */
  offset: [number, number, number];
  seed: number;
}

const maxAbs = (a: Float32Array): number => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/** Runs the kernel and the reference on the same data and compares all of C, its row padding included. */
function check(t: Case): void {
  const { transA, transB, m, n, k, alpha, beta, pad, offset } = t;
  const lda = (transA ? m : k) + pad[0];
  const ldb = (transB ? k : n) + pad[1];
  const ldc = n + pad[2];
  const a = new F32Block(offset[0] + (transA ? k : m) * lda);
  const b = new F32Block(offset[1] + (transB ? n : k) * ldb);
  const c = new F32Block(offset[2] + m * ldc);
  try {
    fillRandom(a.array, t.seed);
    fillRandom(b.array, t.seed + 1);
    fillRandom(c.array, t.seed + 2);
    // β = 0 must ignore what C holds, as BLAS does: give it garbage that would poison any use.
    if (beta === 0) c.array.fill(NaN);
    const maxC = beta === 0 ? 0 : maxAbs(c.array);
    const want = c.array.slice(offset[2]);
    const op = [transA, transB, m, n, k, alpha] as const;
    gemmReference(...op, a.array.slice(offset[0]), lda, b.array.slice(offset[1]), ldb, beta, want, ldc);
    gemm(...op, a.ptr + 4 * offset[0], lda, b.ptr + 4 * offset[1], ldb, beta, c.ptr + 4 * offset[2], ldc);
    const got = c.array.subarray(offset[2]);
    // f32 round-off of k products and of β·C, against the f64 sums of the reference.
    const tol = 1e-6 * (Math.abs(alpha) * k * maxAbs(a.array) * maxAbs(b.array) + Math.abs(beta) * maxC);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < ldc; j++) {
        const q = i * ldc + j;
        if (j >= n) {
          // Padding between rows is never written (NaN stays NaN when β = 0).
          expect(Object.is(got[q], want[q]), `padding C[${i}, ${j}] changed`).toBe(true);
        } else if (!(Math.abs(got[q]! - want[q]!) <= tol)) {
          expect.fail(`C[${i}, ${j}] = ${got[q]}, reference ${want[q]} (tolerance ${tol}) for ${JSON.stringify(t)}`);
        }
      }
    }
  } finally {
    a.free();
    b.free();
    c.free();
  }
}

const dim = (max: number): fc.Arbitrary<number> => fc.integer({ min: 1, max });
const caseOf = (m: fc.Arbitrary<number>, n: fc.Arbitrary<number>, k: fc.Arbitrary<number>): fc.Arbitrary<Case> =>
  fc.record({
    transA: fc.boolean(),
    transB: fc.boolean(),
    m,
    n,
    k,
    alpha: fc.constantFrom(1, -1, 0.5, 2.5),
    beta: fc.constantFrom(0, 1, -0.75, 2),
    pad: fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5)),
    offset: fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3)),
    seed: fc.nat(),
  });
const base: Omit<Case, 'transA' | 'transB' | 'm' | 'n' | 'k'> = {
  alpha: 1,
  beta: 0,
  pad: [0, 0, 0],
  offset: [0, 0, 0],
  seed: 7,
};
const all4 = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

describe('gemm', () => {
  it('matches the reference on random shapes 1..70, all transposes, α, β, padded rows and unaligned starts', () => {
    fc.assert(fc.property(caseOf(dim(70), dim(70), dim(70)), check), { numRuns: 300 });
  });

  it('matches the reference on tiny shapes with a deep k', () => {
    fc.assert(fc.property(caseOf(dim(5), dim(9), fc.integer({ min: 1, max: 600 })), check), { numRuns: 100 });
  });

  it('matches the reference on larger shapes that cross the k, m and n blocks', () => {
    for (const [transA, transB] of all4) {
      check({ ...base, transA, transB, m: 130, n: 67, k: 257 });
      check({ ...base, transA, transB, m: 97, n: 1030, k: 515, alpha: -0.5, beta: 1, pad: [3, 1, 2] });
    }
    check({ ...base, transA: false, transB: false, m: 1, n: 1, k: 1000, beta: 2 });
  });

  it('follows BLAS when α = 0, k = 0, m = 0 or n = 0: C ← β·C without reading A or B', () => {
    const nan = new F32Block(12);
    const c = new F32Block(6);
    try {
      nan.array.fill(NaN);
      c.array.set([1, 2, 3, 4, 5, 6]);
      // α = 0: A and B hold NaN, and C is only scaled.
      gemm(false, false, 2, 3, 2, 0, nan.ptr, 2, nan.ptr, 3, 2, c.ptr, 3);
      expect(Array.from(c.array)).toEqual([2, 4, 6, 8, 10, 12]);
      // k = 0 with β = 0 zeroes C, NaN or not.
      c.array.fill(NaN);
      gemm(false, false, 2, 3, 0, 1, nan.ptr, 1, nan.ptr, 3, 0, c.ptr, 3);
      expect(Array.from(c.array)).toEqual([0, 0, 0, 0, 0, 0]);
      // m = 0 or n = 0 touches nothing.
      c.array.fill(5);
      gemm(false, false, 0, 3, 2, 1, nan.ptr, 2, nan.ptr, 3, 0, c.ptr, 3);
      gemm(true, true, 2, 0, 2, 1, nan.ptr, 2, nan.ptr, 2, 0, c.ptr, 1);
      expect(Array.from(c.array)).toEqual([5, 5, 5, 5, 5, 5]);
      // The reference agrees.
      const want = new Float32Array([1, 2, 3, 4, 5, 6]);
      gemmReference(false, false, 2, 3, 2, 0, nan.array, 2, nan.array, 3, 2, want, 3);
      expect(Array.from(want)).toEqual([2, 4, 6, 8, 10, 12]);
      want.fill(NaN);
      gemmReference(false, false, 2, 3, 0, 1, nan.array, 1, nan.array, 3, 0, want, 3);
      expect(Array.from(want)).toEqual([0, 0, 0, 0, 0, 0]);
    } finally {
      nan.free();
      c.free();
    }
  });
});

describe('gemm refuses bad inputs', () => {
  const block = new F32Block(64);
  const p = block.ptr;
  it('a negative size', () => {
    expect(() => gemm(false, false, -1, 2, 2, 1, p, 2, p, 2, 0, p, 2)).toThrow(
      new RangeError('gemm: m must be a non-negative integer, got -1'),
    );
    expect(() => gemm(false, false, 2, 2, 2.5, 1, p, 3, p, 2, 0, p, 2)).toThrow(
      'gemm: k must be a non-negative integer, got 2.5',
    );
  });

  it('lda shorter than a row of A', () => {
    expect(() => gemm(false, false, 3, 4, 5, 1, p, 4, p, 4, 0, p, 4)).toThrow(
      new RangeError(
        'gemm: lda must be an integer ≥ 5 (the row length of A, stored 3 × 5, m × k since transA is false), got 4',
      ),
    );
    expect(() => gemmReference(true, false, 3, 4, 5, 1, block.array, 2, block.array, 4, 0, block.array, 4)).toThrow(
      'gemmReference: lda must be an integer ≥ 3 (the row length of A, stored 5 × 3, k × m since transA is true), got 2',
    );
  });

  it('ldb shorter than a row of B', () => {
    expect(() => gemm(false, true, 3, 4, 5, 1, p, 5, p, 4, 0, p, 4)).toThrow(
      'gemm: ldb must be an integer ≥ 5 (the row length of B, stored 4 × 5, n × k since transB is true), got 4',
    );
  });

  it('ldc shorter than a row of C', () => {
    expect(() => gemm(false, false, 3, 4, 5, 1, p, 5, p, 4, 0, p, 3)).toThrow(
      'gemm: ldc must be an integer ≥ 4 (the row length of C, stored 3 × 4, m × n), got 3',
    );
  });

  it('a matrix that runs past the end of the memory or array', () => {
    const end = block.array.buffer.byteLength;
    expect(() => gemm(false, false, 2, 2, 2, 1, p, 2, p, 2, 0, end - 8, 2)).toThrow(
      `gemm: C (2 × 2, ldc 2) at cPtr ${end - 8} ends at byte ${end + 8}, past the end of the kernel memory (${end} bytes)`,
    );
    expect(() => gemm(false, false, 2, 2, 2, 1, -4, 2, p, 2, 0, p, 2)).toThrow(
      'gemm: aPtr must be a non-negative integer byte offset, got -4',
    );
    const small = new Float32Array(5);
    expect(() => gemmReference(false, false, 2, 2, 2, 1, small, 4, small, 2, 0, small, 2)).toThrow(
      'gemmReference: A (2 × 2, lda 4) needs 6 elements, got a Float32Array of 5',
    );
  });
});
