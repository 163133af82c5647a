// The LSTM cell kernels against their float64 references over random sizes (n and hidden of 1, and
// hidden not a multiple of four, so rows end in the staged tail), and dcPrev written over dc in place.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lstmCell, lstmCellBackward, lstmCellBackwardReference, lstmCellReference } from './index.js';
import { expectCellClose as close, randomBlocks as blocks } from './test-support.js';

const shape = fc.record({ n: fc.integer({ min: 1, max: 5 }), hidden: fc.integer({ min: 1, max: 13 }), seed: fc.nat() });

describe('lstmCell', () => {
  it('matches the reference', () => {
    fc.assert(
      fc.property(shape, ({ n, hidden, seed }) => {
        const [z, cPrev, c, h, tc] = blocks([4 * n * hidden, n * hidden, n * hidden, n * hidden, n * hidden], seed, 4);
        try {
          const ref = [z, cPrev, c, h, tc].map((b) => b.array.slice());
          lstmCellReference(ref[0]!, ref[1]!, ref[2]!, ref[3]!, ref[4]!, n, hidden);
          lstmCell(z.ptr, cPrev.ptr, c.ptr, h.ptr, tc.ptr, n, hidden);
          const got = [z, cPrev, c, h, tc];
          ['gates', 'cPrev', 'c', 'h', 'tc'].forEach((name, i) => close(got[i]!.array, ref[i]!, name));
        } finally {
          [z, cPrev, c, h, tc].forEach((b) => b.free());
        }
      }),
    );
  });

  it('refuses a z region past the end of the memory', () => {
    // 4·(2²⁹ − 1) floats: more bytes than a 32-bit memory can hold.
    expect(() => lstmCell(0, 0, 0, 0, 0, 1, 2 ** 29 - 1)).toThrow(
      /^lstmCell: z \(2147483644 elements\) at zPtr 0 ends at byte 8589934576, past the end of the kernel memory/,
    );
  });
});

describe('lstmCellBackward', () => {
  it('matches the reference, with dcPrev written over dc', () => {
    fc.assert(
      fc.property(shape, fc.boolean(), ({ n, hidden, seed }, inPlace) => {
        const m = n * hidden;
        const all = blocks([4 * m, m, m, m, m, 4 * m, m], seed, 1);
        const [gates, cPrev, tc, dh, dc, dz, dcPrev] = all;
        // Activated gates lie in (0, 1), except the cell gate in (−1, 1); tc in (−1, 1).
        gates.array.forEach((v, k) => (gates.array[k] = Math.floor(k / hidden) % 4 === 2 ? v : (v + 1) / 2));
        try {
          const out = inPlace ? dc : dcPrev;
          const ref = all.map((b) => b.array.slice());
          const refOut = inPlace ? ref[4]! : ref[6]!;
          lstmCellBackwardReference(ref[0]!, ref[1]!, ref[2]!, ref[3]!, ref[4]!, ref[5]!, refOut, n, hidden);
          lstmCellBackward(gates.ptr, cPrev.ptr, tc.ptr, dh.ptr, dc.ptr, dz.ptr, out.ptr, n, hidden);
          close(dz.array, ref[5]!, 'dz');
          close(out.array, refOut, 'dcPrev');
        } finally {
          all.forEach((b) => b.free());
        }
      }),
    );
  });

  it('refuses a negative hidden size', () => {
    expect(() => lstmCellBackward(0, 0, 0, 0, 0, 0, 0, 1, -1)).toThrow(
      'lstmCellBackward: hidden must be an integer from 0 to 2147483647, got -1',
    );
  });
});
