// The RNN cell kernels against their float64 references for tanh and relu over random sizes (n of 0 and 1,
// n·hidden not a multiple of four, so a call ends in the staged tail), in place, with exact zeros among the
// inputs (relu's kink); every operand is compared, so inputs must come out untouched. Then the same bits
// on 1, 2 and 3 threads, and one test per bad input.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  F32Block,
  getThreads,
  rnnCell,
  rnnCellBackward,
  rnnCellBackwardReference,
  rnnCellReference,
  setThreads,
  threadsAvailable,
  type RnnActivation,
} from './index.js';
import { expectCellClose as close, foldRepeats, randomBlocks, sameOnThreads } from './test-support.js';

const cases = fc.record({
  activation: fc.constantFrom<RnnActivation>('tanh', 'relu'),
  n: fc.integer({ min: 0, max: 5 }),
  hidden: fc.integer({ min: 1, max: 13 }),
  seed: fc.nat(),
  inPlace: fc.boolean(),
});

/** Blocks of n·hidden values in ±3, every fifth an exact zero. */
function operands(count: number, n: number, hidden: number, seed: number): F32Block[] {
  const blocks = randomBlocks(Array<number>(count).fill(n * hidden), seed, 3);
  for (const b of blocks) for (let k = 0; k < b.length; k += 5) b.array[k] = 0;
  return blocks;
}

describe('rnnCell', () => {
  it('matches the reference, tanh and relu', () => {
    fc.assert(
      fc.property(cases, ({ activation, n, hidden, seed, inPlace }) => {
        const all = operands(2, n, hidden, seed);
        const [z, h] = all as [F32Block, F32Block];
        try {
          const ref = all.map((b) => b.array.slice());
          const [out, refOut] = inPlace ? [z, ref[0]!] : [h, ref[1]!];
          rnnCellReference(activation, ref[0]!, refOut, n, hidden);
          rnnCell(activation, z.ptr, out.ptr, n, hidden);
          ['z', 'h'].forEach((name, i) => close(all[i]!.array, ref[i]!, name));
        } finally {
          all.forEach((b) => b.free());
        }
      }),
    );
  });
});

describe('rnnCellBackward', () => {
  it('matches the reference, tanh and relu', () => {
    fc.assert(
      fc.property(cases, ({ activation, n, hidden, seed, inPlace }) => {
        const all = operands(3, n, hidden, seed);
        const [h, dh, dz] = all as [F32Block, F32Block, F32Block];
        // tanh's outputs lie in (−1, 1).
        if (activation === 'tanh') h.array.forEach((v, k) => (h.array[k] = v / 3));
        try {
          const ref = all.map((b) => b.array.slice());
          const [out, refOut] = inPlace ? [dh, ref[1]!] : [dz, ref[2]!];
          rnnCellBackwardReference(activation, ref[0]!, ref[1]!, refOut, n, hidden);
          rnnCellBackward(activation, h.ptr, dh.ptr, out.ptr, n, hidden);
          ['h', 'dh', 'dz'].forEach((name, i) => close(all[i]!.array, ref[i]!, name));
        } finally {
          all.forEach((b) => b.free());
        }
      }),
    );
  });
});

describe.runIf(threadsAvailable)('the RNN cell on threads', () => {
  const initial = getThreads();
  afterAll(() => setThreads(initial));
  // Enough rows for three threads, of 131 units, so that every thread's share ends in a staged tail at
  // once; repeated, so the threads' shares overlap in time.
  const [n, hidden, repeats] = [1000, 131, 16];

  it.each(['tanh', 'relu'] as const)('gives the same bits on 1, 2 and 3 threads, %s', (activation) => {
    const all = operands(4, n, hidden, 21);
    const [z, h, dh, dz] = all as F32Block[];
    sameOnThreads(() =>
      foldRepeats(repeats, () => {
        rnnCell(activation, z!.ptr, h!.ptr, n, hidden);
        rnnCellBackward(activation, h!.ptr, dh!.ptr, dz!.ptr, n, hidden);
        return [h!.array, dz!.array];
      }),
    );
    all.forEach((b) => b.free());
  });
});

describe('the RNN cell refuses bad inputs', () => {
  it('an activation other than tanh or relu', () => {
    expect(() => rnnCell('sigmoid' as RnnActivation, 0, 0, 1, 1)).toThrow(
      new RangeError(`rnnCell: activation must be 'tanh' or 'relu', got "sigmoid"`),
    );
  });

  it('a row count that is not an integer', () => {
    expect(() => rnnCellBackward('relu', 0, 0, 0, -2, 3)).toThrow(
      'rnnCellBackward: n must be an integer from 0 to 2147483647, got -2',
    );
  });

  it('an operand past the end of the memory', () => {
    const end = new F32Block(0).array.buffer.byteLength;
    expect(() => rnnCell('tanh', 0, end - 8, 1, 3)).toThrow(
      `rnnCell: h (3 elements) at hPtr ${end - 8} ends at byte ${end + 4}, past the end of the kernel memory (${end} bytes)`,
    );
  });

  it('a misaligned pointer', () => {
    expect(() => rnnCellBackward('tanh', 0, 0, 2, 1, 1)).toThrow(
      'rnnCellBackward: dzPtr must be a non-negative byte offset that is a multiple of 4, got 2',
    );
  });

  it('a reference array too short', () => {
    expect(() =>
      rnnCellBackwardReference('tanh', new Float32Array(6), new Float32Array(5), new Float32Array(6), 2, 3),
    ).toThrow('rnnCellBackwardReference: dh needs 6 elements, got an array of 5');
  });
});
