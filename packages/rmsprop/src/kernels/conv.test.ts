// im2col, col2im and copyRows against their TypeScript references over random geometries: sizes of 1,
// sizes that are not multiples of four, strides, asymmetric padding (any output size), dilation, several
// samples with gaps between them, and unaligned starts. Both sides do the same float32 operations in the
// same order, so they must agree bit for bit.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { expectSame, fillRandom, withBlocks } from './test-support.js';
import {
  col2im,
  col2imReference,
  copyRows,
  copyRowsReference,
  F32Block,
  im2col,
  im2colReference,
  getThreads,
  type Im2colShape,
  type RowLayout,
  setThreads,
  threadsAvailable,
} from './index.js';

interface Case {
  shape: Im2colShape;
  samples: number;
  gap: number;
  offset: [number, number];
  seed: number;
}

const small = (min: number, max: number) => fc.integer({ min, max });
const caseArb: fc.Arbitrary<Case> = fc.record({
  shape: fc.record({
    c: small(1, 3),
    h: small(1, 9),
    w: small(1, 11),
    kh: small(1, 4),
    kw: small(1, 4),
    sh: small(1, 3),
    sw: fc.constantFrom(1, 1, 2, 3),
    top: small(0, 3),
    left: small(0, 3),
    dh: small(1, 3),
    dw: small(1, 3),
    ho: small(0, 8),
    wo: small(0, 13),
  }),
  samples: small(1, 3),
  gap: small(0, 5),
  offset: fc.tuple(small(0, 3), small(0, 3)),
  seed: fc.nat(),
});

function xFloats(t: Case): [number, number] {
  const plane = t.shape.c * t.shape.h * t.shape.w;
  const stride = plane + t.gap;
  return [stride, (t.samples - 1) * stride + plane];
}
const colFloats = ({ shape: s, samples }: Case): number => s.c * s.kh * s.kw * samples * s.ho * s.wo;

function checkIm2col(t: Case): void {
  const [stride, xn] = xFloats(t);
  const cn = colFloats(t);
  withBlocks([t.offset[0] + xn, t.offset[1] + cn], (x, col) => {
    fillRandom(x.array, t.seed);
    col.array.fill(NaN);
    const want = new Float32Array(cn).fill(NaN);
    im2colReference(x.array.subarray(t.offset[0]), want, t.shape, t.samples, stride);
    im2col(x.ptr + 4 * t.offset[0], col.ptr + 4 * t.offset[1], t.shape, t.samples, stride);
    expectSame(col.array.subarray(t.offset[1]), want, `col of ${JSON.stringify(t)}`);
  });
}

function checkCol2im(t: Case): void {
  const [stride, xn] = xFloats(t);
  const cn = colFloats(t);
  withBlocks([t.offset[0] + xn, t.offset[1] + cn], (dx, col) => {
    fillRandom(dx.array, t.seed);
    fillRandom(col.array, t.seed + 1);
    const want = dx.array.slice(t.offset[0]);
    col2imReference(col.array.slice(t.offset[1]), want, t.shape, t.samples, stride);
    col2im(col.ptr + 4 * t.offset[1], dx.ptr + 4 * t.offset[0], t.shape, t.samples, stride);
    // The gaps between samples are part of the comparison: nothing may be written there.
    expectSame(dx.array.subarray(t.offset[0]), want, `dx of ${JSON.stringify(t)}`);
  });
}

const span = (l: RowLayout, o: number, r: number) => (l.outer - 1) * o + (l.rows - 1) * r + l.cols;

function checkCopyRows(l: RowLayout, withBias: boolean, offset = 0, seed = 0): void {
  const [sn, dn] = [span(l, l.srcOuter, l.srcRow), span(l, l.dstOuter, l.dstRow)];
  withBlocks([sn + offset, dn + offset, l.outer], (src, dst, bias) => {
    fillRandom(src.array, seed);
    fillRandom(dst.array, seed + 1);
    fillRandom(bias.array, seed + 2);
    const want = dst.array.slice(offset);
    copyRowsReference(src.array.slice(offset), want, l, withBias ? bias.array.slice() : null);
    copyRows(src.ptr + 4 * offset, dst.ptr + 4 * offset, l, withBias ? bias.ptr : null);
    expectSame(dst.array.subarray(offset), want, `dst of ${JSON.stringify(l)}`);
  });
}

describe('im2col', () => {
  it('matches the reference on random geometries, several samples, gaps and unaligned starts', () => {
    fc.assert(fc.property(caseArb, checkIm2col), { numRuns: 400 });
  });

  it('matches the reference on a layer of realistic size (5×5, padding 2, 28×28, 3 samples)', () => {
    const shape = { c: 2, h: 28, w: 28, kh: 5, kw: 5, sh: 1, sw: 1, top: 2, left: 2, dh: 1, dw: 1, ho: 28, wo: 28 };
    checkIm2col({ shape, samples: 3, gap: 784, offset: [0, 0], seed: 3 });
  });

  it('lays a known input out as the textbook im2col', () => {
    // One 2 × 3 input, a 2 × 2 kernel, no padding: a 4 × 2 matrix of the windows' elements.
    withBlocks([6, 8], (x, col) => {
      x.array.set([1, 2, 3, 4, 5, 6]);
      const shape = { c: 1, h: 2, w: 3, kh: 2, kw: 2, sh: 1, sw: 1, top: 0, left: 0, dh: 1, dw: 1, ho: 1, wo: 2 };
      im2col(x.ptr, col.ptr, shape);
      expect(Array.from(col.array)).toEqual([1, 2, 2, 3, 4, 5, 5, 6]);
    });
  });
});

describe('col2im', () => {
  it('matches the reference (the adjoint, accumulating) on random geometries', () => {
    fc.assert(fc.property(caseArb, checkCol2im), { numRuns: 400 });
  });

  it('is the adjoint of im2col: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩', () => {
    fc.assert(
      fc.property(caseArb, (t) => {
        const [stride, xn] = xFloats(t);
        const cn = colFloats(t);
        withBlocks([xn, cn, cn, xn], (x, c, col, dx) => {
          fillRandom(x.array, t.seed);
          fillRandom(c.array, t.seed + 1);
          dx.array.fill(0);
          im2col(x.ptr, col.ptr, t.shape, t.samples, stride);
          col2im(c.ptr, dx.ptr, t.shape, t.samples, stride);
          const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);
          const [lhs, rhs] = [dot(col.array, c.array), dot(x.array, dx.array)];
          expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-5 * (1 + cn));
        });
      }),
      { numRuns: 100 },
    );
  });
});

describe('copyRows', () => {
  /** A layout of outer × rows rows of cols floats, outer-major or rows-major, with gaps. */
  const strides = (outer: number, rows: number, cols: number, outerMajor: boolean, gap: [number, number]) =>
    outerMajor
      ? { row: cols + gap[0], outer: rows * (cols + gap[0]) + gap[1] }
      : { outer: cols + gap[0], row: outer * (cols + gap[0]) + gap[1] };
  const layoutArb = fc
    .record({
      outer: small(1, 5),
      rows: small(1, 5),
      cols: small(1, 13),
      srcMajor: fc.boolean(),
      dstMajor: fc.boolean(),
      gaps: fc.tuple(small(0, 3), small(0, 3), small(0, 3), small(0, 3)),
    })
    .map(({ outer, rows, cols, srcMajor, dstMajor, gaps }): RowLayout => {
      const s = strides(outer, rows, cols, srcMajor, [gaps[0], gaps[1]]);
      const d = strides(outer, rows, cols, dstMajor, [gaps[2], gaps[3]]);
      return { outer, rows, cols, srcOuter: s.outer, srcRow: s.row, dstOuter: d.outer, dstRow: d.row };
    });

  it('matches the reference on random layouts, with and without a bias, unaligned', () => {
    fc.assert(fc.property(layoutArb, fc.boolean(), small(0, 3), fc.nat(), checkCopyRows), { numRuns: 300 });
  });

  it('adds a bias in place when source and destination are the same rows', () => {
    fc.assert(
      fc.property(layoutArb, fc.nat(), (l, seed) => {
        const inPlace = { ...l, dstOuter: l.srcOuter, dstRow: l.srcRow };
        withBlocks([span(l, l.srcOuter, l.srcRow), l.outer], (y, bias) => {
          fillRandom(y.array, seed);
          fillRandom(bias.array, seed + 1);
          const want = y.array.slice();
          copyRowsReference(want.slice(), want, inPlace, bias.array.slice());
          copyRows(y.ptr, y.ptr, inPlace, bias.ptr);
          expectSame(y.array, want, 'y');
        });
      }),
      { numRuns: 100 },
    );
  });
});

describe.runIf(threadsAvailable)('im2col, col2im and copyRows on 1, 2 and 3 threads', () => {
  const initial = getThreads();
  afterAll(() => setThreads(initial));
  const layer = (c: number) => ({
    c,
    h: 28,
    w: 28,
    kh: 5,
    kw: 5,
    sh: 1,
    sw: 1,
    top: 2,
    left: 2,
    dh: 1,
    dw: 1,
    ho: 28,
    wo: 28,
  });
  // Each large enough for three threads: 6 channels split by channel; 1 channel and 7 samples, by sample.
  const cases: [string, Case][] = [
    ['channels', { shape: layer(6), samples: 2, gap: 5, offset: [1, 3], seed: 11 }],
    ['samples', { shape: layer(1), samples: 7, gap: 3, offset: [2, 1], seed: 12 }],
  ];

  it.each(cases)('im2col and col2im split over %s and match the reference bit for bit', (_, t) => {
    for (const threads of [1, 2, 3]) {
      setThreads(threads);
      checkIm2col(t);
      checkCol2im(t);
    }
  });

  it.each([
    [
      'outer index',
      { outer: 64, rows: 12, cols: 196, srcOuter: 12 * 196, srcRow: 196, dstOuter: 196, dstRow: 64 * 196 },
    ],
    ['rows', { outer: 2, rows: 200, cols: 300, srcOuter: 300, srcRow: 600, dstOuter: 200 * 300, dstRow: 300 }],
  ] as [string, RowLayout][])('copyRows splits over the %s and matches the reference', (_, layout) => {
    for (const threads of [1, 2, 3]) {
      setThreads(threads);
      checkCopyRows(layout, true);
    }
  });
});

describe('im2col, col2im and copyRows refuse bad inputs', () => {
  const block = new F32Block(256);
  const p = block.ptr;
  const shape: Im2colShape = {
    c: 1,
    h: 4,
    w: 4,
    kh: 3,
    kw: 3,
    sh: 1,
    sw: 1,
    top: 1,
    left: 1,
    dh: 1,
    dw: 1,
    ho: 4,
    wo: 4,
  };

  it('a size that is negative or not an integer', () => {
    expect(() => im2col(p, p + 64, { ...shape, h: -1 })).toThrow(
      new RangeError('im2col: h must be an integer from 0 to 2147483647, got -1'),
    );
    expect(() => col2im(p, p, { ...shape, wo: 2.5 })).toThrow(
      'col2im: wo must be an integer from 0 to 2147483647, got 2.5',
    );
  });

  it('a stride, kernel or dilation below 1', () => {
    expect(() => im2col(p, p, { ...shape, sw: 0 })).toThrow(
      'im2col: sw must be an integer from 1 to 2147483647, got 0',
    );
    expect(() => im2col(p, p, { ...shape, kh: 0 })).toThrow(
      'im2col: kh must be an integer from 1 to 2147483647, got 0',
    );
    expect(() => col2im(p, p, { ...shape, dh: 0 })).toThrow(
      'col2im: dh must be an integer from 1 to 2147483647, got 0',
    );
  });

  it('negative padding', () => {
    expect(() => im2col(p, p, { ...shape, top: -1 })).toThrow(
      'im2col: top must be an integer from 0 to 2147483647, got -1',
    );
  });

  it('samples that overlap', () => {
    expect(() => im2col(p, p, shape, 2, 15)).toThrow(
      'im2col: xStride must be an integer ≥ c·h·w = 16 (samples must not overlap), got 15',
    );
    expect(() => im2col(p, p, shape, -1)).toThrow('im2col: samples must be an integer from 0 to 2147483647, got -1');
  });

  it('a window whose arithmetic leaves 32 bits', () => {
    expect(() => im2col(p, p, { ...shape, sh: 2 ** 30, ho: 2 })).toThrow(
      `im2col: ho·sh + kh·dh + top + h must stay below 2^31, got ${2 ** 31 + 8}`,
    );
  });

  it('an operand past the end of the memory, or a misaligned pointer', () => {
    const end = block.array.buffer.byteLength;
    expect(() => im2col(p, end - 64, shape)).toThrow(
      `im2col: col (144 elements) at colPtr ${end - 64} ends at byte ${end + 512}, past the end of the kernel memory (${end} bytes)`,
    );
    expect(() => col2im(p, p + 2, shape)).toThrow(
      'col2im: dxPtr must be a non-negative byte offset that is a multiple of 4, got ' + (p + 2),
    );
    expect(() => im2col(-4, p, shape)).toThrow(
      'im2col: xPtr must be a non-negative byte offset that is a multiple of 4, got -4',
    );
  });

  it('a reference array too short', () => {
    expect(() => im2colReference(new Float32Array(16), new Float32Array(143), shape)).toThrow(
      new RangeError('im2colReference: col needs 144 elements, got an array of 143'),
    );
    expect(() => col2imReference(new Float32Array(144), new Float32Array(15), shape)).toThrow(
      'col2imReference: dx needs 16 elements, got an array of 15',
    );
  });

  it('a bad row layout', () => {
    const l: RowLayout = { outer: 2, rows: 3, cols: 4, srcOuter: 12, srcRow: 4, dstOuter: 4, dstRow: 8 };
    expect(() => copyRows(p, p + 256, { ...l, cols: -2 })).toThrow(
      'copyRows: cols must be an integer from 0 to 2147483647, got -2',
    );
    const end = block.array.buffer.byteLength;
    expect(() => copyRows(p, end - 16, l)).toThrow(
      `copyRows: the destination (24 elements) at dstPtr ${end - 16} ends at byte ${end + 80}, past the end of the kernel memory (${end} bytes)`,
    );
    expect(() => copyRows(p, p + 256, l, end)).toThrow(
      `copyRows: bias (2 elements) at biasPtr ${end} ends at byte ${end + 8}, past the end of the kernel memory (${end} bytes)`,
    );
    expect(() => copyRowsReference(new Float32Array(23), new Float32Array(24), l)).toThrow(
      'copyRowsReference: the source needs 24 elements, got an array of 23',
    );
  });
});
