// The GRU cell kernels against their float64 references over random sizes (n of 0 and 1, hidden not a
// multiple of four, so rows end in the staged tail), with and without the recurrent bias, dhPrev written
// over dh in place; every operand is compared, so inputs must come out untouched. Then the same bits on
// 1, 2 and 3 threads, and one test per bad input.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  F32Block,
  getThreads,
  gruCell,
  gruCellBackward,
  gruCellBackwardReference,
  gruCellReference,
  setThreads,
  threadsAvailable,
} from './index.js';
import { expectCellClose as close, foldRepeats, randomBlocks, sameOnThreads } from './test-support.js';

const shape = fc.record({ n: fc.integer({ min: 0, max: 5 }), hidden: fc.integer({ min: 1, max: 13 }), seed: fc.nat() });

/** The forward pass's operands: x, hh [n, 3H] and hPrev in ±4 and ±2, bhh in ±1, h and hn to be written. */
function forwardBlocks(n: number, hidden: number, seed: number): F32Block[] {
  const [m, g] = [n * hidden, 3 * n * hidden];
  const [x, hh] = randomBlocks([g, g], seed, 4);
  const [bhh, hPrev, h, hn] = randomBlocks([3 * hidden, m, m, m], seed + 1, 1);
  hPrev!.array.forEach((v, k) => (hPrev!.array[k] = 2 * v));
  return [x!, hh!, bhh!, hPrev!, h!, hn!];
}

/** The backward pass's operands: activated gates (r, z in (0, 1), n in (−1, 1)), hn in ±2, the rest in ±1. */
function backwardBlocks(n: number, hidden: number, seed: number): F32Block[] {
  const [m, g] = [n * hidden, 3 * n * hidden];
  const all = randomBlocks([g, m, m, m, g, g, m], seed, 1);
  const [gates, hn] = all;
  gates!.array.forEach((v, k) => (gates!.array[k] = Math.floor(k / hidden) % 3 === 2 ? v : (v + 1) / 2));
  hn!.array.forEach((v, k) => (hn!.array[k] = 2 * v));
  return all;
}

const NAMES = {
  forward: ['gates', 'hh', 'bhh', 'hPrev', 'h', 'hn'],
  backward: ['gates', 'hn', 'hPrev', 'dh', 'dx', 'dhh', 'dhPrev'],
};

describe('gruCell', () => {
  it('matches the reference, with and without a recurrent bias', () => {
    fc.assert(
      fc.property(shape, fc.boolean(), ({ n, hidden, seed }, hasBias) => {
        const all = forwardBlocks(n, hidden, seed);
        const [x, hh, bhh, hPrev, h, hn] = all as [F32Block, F32Block, F32Block, F32Block, F32Block, F32Block];
        try {
          const ref = all.map((b) => b.array.slice());
          gruCellReference(ref[0]!, ref[1]!, hasBias ? ref[2]! : null, ref[3]!, ref[4]!, ref[5]!, n, hidden);
          gruCell(x.ptr, hh.ptr, hasBias ? bhh.ptr : 0, hPrev.ptr, h.ptr, hn.ptr, n, hidden);
          NAMES.forward.forEach((name, i) => close(all[i]!.array, ref[i]!, name));
        } finally {
          all.forEach((b) => b.free());
        }
      }),
    );
  });
});

describe('gruCellBackward', () => {
  it('matches the reference, with dhPrev written over dh', () => {
    fc.assert(
      fc.property(shape, fc.boolean(), ({ n, hidden, seed }, inPlace) => {
        const all = backwardBlocks(n, hidden, seed);
        const [gates, hn, hPrev, dh, dx, dhh, dhPrev] = all as F32Block[];
        try {
          const ref = all.map((b) => b.array.slice());
          const refOut = inPlace ? ref[3]! : ref[6]!;
          gruCellBackwardReference(ref[0]!, ref[1]!, ref[2]!, ref[3]!, ref[4]!, ref[5]!, refOut, n, hidden);
          const out = inPlace ? dh! : dhPrev!;
          gruCellBackward(gates!.ptr, hn!.ptr, hPrev!.ptr, dh!.ptr, dx!.ptr, dhh!.ptr, out.ptr, n, hidden);
          NAMES.backward.forEach((name, i) => close(all[i]!.array, ref[i]!, name));
        } finally {
          all.forEach((b) => b.free());
        }
      }),
    );
  });
});

describe.runIf(threadsAvailable)('the GRU cell on threads', () => {
  const initial = getThreads();
  afterAll(() => setThreads(initial));
  // Rows of 131 units, so every thread stages row tails at once, and enough rows and repetitions that the
  // threads' shares overlap in time: a thread staging its tails in another's rows fails this test then.
  const [n, hidden, repeats] = [1000, 131, 16];

  it('gives the same bits on 1, 2 and 3 threads, forward and backward', () => {
    const forward = forwardBlocks(n, hidden, 11);
    const backward = backwardBlocks(n, hidden, 12);
    const [x, hh, bhh, hPrev, h, hn] = forward as F32Block[];
    const [gates, , , dh, dx, dhh, dhPrev] = backward as F32Block[];
    sameOnThreads(() =>
      foldRepeats(repeats, () => {
        gates!.array.set(x!.array);
        gruCell(gates!.ptr, hh!.ptr, bhh!.ptr, hPrev!.ptr, h!.ptr, hn!.ptr, n, hidden);
        gruCellBackward(gates!.ptr, hn!.ptr, hPrev!.ptr, dh!.ptr, dx!.ptr, dhh!.ptr, dhPrev!.ptr, n, hidden);
        return [gates, h, hn, dx, dhh, dhPrev].map((b) => b!.array);
      }),
    );
    [...forward, ...backward].forEach((b) => b.free());
  });
});

describe('the GRU cell refuses bad inputs', () => {
  it('a negative hidden size', () => {
    expect(() => gruCell(0, 0, 0, 0, 0, 0, 1, -1)).toThrow(
      new RangeError('gruCell: hidden must be an integer from 0 to 2147483647, got -1'),
    );
  });

  it('a row count that is not an integer', () => {
    expect(() => gruCellBackward(0, 0, 0, 0, 0, 0, 0, 1.5, 2)).toThrow(
      'gruCellBackward: n must be an integer from 0 to 2147483647, got 1.5',
    );
  });

  it('gates past the end of the memory', () => {
    // 3·(2²⁹ − 1) floats: more bytes than a 32-bit memory can hold.
    expect(() => gruCell(0, 0, 0, 0, 0, 0, 1, 2 ** 29 - 1)).toThrow(
      /^gruCell: x \(1610612733 elements\) at xPtr 0 ends at byte 6442450932, past the end of the kernel memory/,
    );
  });

  it('a bias past the end of the memory', () => {
    const end = new F32Block(0).array.buffer.byteLength;
    expect(() => gruCell(0, 0, end - 8, 0, 0, 0, 1, 1)).toThrow(
      `gruCell: bhh (3 elements) at bhhPtr ${end - 8} ends at byte ${end + 4}, past the end of the kernel memory (${end} bytes)`,
    );
  });

  it('a misaligned pointer', () => {
    expect(() => gruCellBackward(0, 0, 0, 6, 0, 0, 0, 1, 1)).toThrow(
      'gruCellBackward: dhPtr must be a non-negative byte offset that is a multiple of 4, got 6',
    );
  });

  it('a reference array too short', () => {
    const a = (k: number) => new Float32Array(k);
    expect(() => gruCellReference(a(6), a(6), a(5), a(2), a(2), a(2), 1, 2)).toThrow(
      'gruCellReference: bhh needs 6 elements, got an array of 5',
    );
    expect(() => gruCellBackwardReference(a(6), a(2), a(2), a(2), a(6), a(5), a(2), 1, 2)).toThrow(
      'gruCellBackwardReference: dhh needs 6 elements, got an array of 5',
    );
  });
});
