// Max and average pooling against their TypeScript references over random windows: sizes of 1 and not
// multiples of four, strides, padding up to half the kernel, dilation, ceil-mode overhang, several planes,
// ties and NaN (max pooling's rules), and unaligned starts. Same float32 operations in the same order, so
// the results must agree bit for bit, argmax included.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { expectSame, fillRandom, withBlocks } from './test-support.js';
import {
  avgPool,
  avgPoolBackward,
  avgPoolBackwardReference,
  avgPoolReference,
  F32Block,
  getThreads,
  maxPool,
  maxPoolBackward,
  maxPoolBackwardReference,
  maxPoolReference,
  type PoolWindow,
  setThreads,
  threadsAvailable,
} from './index.js';

const ints = (b: F32Block): Int32Array => new Int32Array(b.array.buffer, b.ptr, b.length);

/** PyTorch's output length (floor or ceil mode), or null where the window does not fit. */
function outLength(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number | null {
  const span = n + 2 * p - d * (k - 1) - 1;
  if (span < 0) return null;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= n + p) out--;
  return out;
}

interface Case {
  window: PoolWindow;
  /** 0: distinct values; 1: few distinct values (ties); 2: ties and some NaN. */
  values: number;
  include: boolean;
  offset: [number, number];
  seed: number;
}

const small = (min: number, max: number) => fc.integer({ min, max });
const caseArb = (dilated: boolean): fc.Arbitrary<Case> =>
  fc
    .record({
      planes: small(1, 3),
      h: small(1, 9),
      w: small(1, 21),
      kh: small(1, 4),
      kw: small(1, 4),
      sh: small(1, 3),
      sw: fc.constantFrom(1, 2, 2, 3),
      ph: small(0, 2),
      pw: small(0, 2),
      dh: dilated ? small(1, 3) : fc.constant(1),
      dw: dilated ? small(1, 3) : fc.constant(1),
      ceil: fc.boolean(),
      values: small(0, 2),
      include: fc.boolean(),
      offset: fc.tuple(small(0, 3), small(0, 3)),
      seed: fc.nat(),
    })
    .map(({ ceil, values, include, offset, seed, ...g }) => {
      const [ph, pw] = [Math.min(g.ph, g.kh >> 1), Math.min(g.pw, g.kw >> 1)];
      const ho = outLength(g.h, g.kh, g.sh, ph, g.dh, ceil);
      const wo = outLength(g.w, g.kw, g.sw, pw, g.dw, ceil);
      return { window: { ...g, ph, pw, ho: ho ?? 0, wo: wo ?? 0 }, values, include, offset, seed };
    });

function fillValues(a: Float32Array, t: Case): void {
  fillRandom(a, t.seed);
  if (t.values > 0) for (let i = 0; i < a.length; i++) a[i] = Math.round(a[i]! * 2) / 2;
  if (t.values > 1) for (let i = 0; i < a.length; i += 7) a[i] = NaN;
}

const sizes = (g: PoolWindow) => [g.planes * g.h * g.w, g.planes * g.ho * g.wo] as const;

function checkMax(t: Case): void {
  const [xn, yn] = sizes(t.window);
  const [ox, oy] = t.offset;
  withBlocks([ox + xn, oy + yn, oy + yn], (x, y, at) => {
    fillValues(x.array, t);
    const [want, wantAt] = [new Float32Array(yn), new Int32Array(yn)];
    maxPoolReference(x.array.subarray(ox), want, wantAt, t.window);
    maxPool(x.ptr + 4 * ox, y.ptr + 4 * oy, at.ptr + 4 * oy, t.window);
    expectSame(y.array.subarray(oy), want, `y of ${JSON.stringify(t)}`);
    expectSame(ints(at).subarray(oy), wantAt, `argmax of ${JSON.stringify(t)}`);
  });
}

function checkMaxBackward(t: Case): void {
  const [xn, yn] = sizes(t.window);
  withBlocks([xn, yn, yn, xn], (x, y, at, dx) => {
    fillValues(x.array, t);
    maxPool(x.ptr, y.ptr, at.ptr, t.window);
    fillRandom(y.array, t.seed + 1); // now dy
    fillRandom(dx.array, t.seed + 2);
    // An empty window's −1, and an index into the next plane: both skipped.
    if (yn > 0) ints(at)[0] = -1;
    if (t.window.planes > 1) ints(at)[yn - 1] = 0;
    const want = dx.array.slice();
    maxPoolBackwardReference(y.array.slice(), ints(at).slice(), want, t.window);
    maxPoolBackward(y.ptr, at.ptr, dx.ptr, t.window);
    expectSame(dx.array, want, 'dx');
  });
}

function checkAvg(t: Case): void {
  const [xn, yn] = sizes(t.window);
  const [ox, oy] = t.offset;
  withBlocks([ox + xn, oy + yn], (x, y) => {
    fillRandom(x.array, t.seed);
    const want = new Float32Array(yn);
    avgPoolReference(x.array.subarray(ox), want, t.window, t.include);
    avgPool(x.ptr + 4 * ox, y.ptr + 4 * oy, t.window, t.include);
    expectSame(y.array.subarray(oy), want, `y of ${JSON.stringify(t)}`);
    // Backward: y is now dy, x is dx (accumulated into).
    const wantDx = x.array.slice(ox);
    avgPoolBackwardReference(y.array.slice(oy), wantDx, t.window, t.include);
    avgPoolBackward(y.ptr + 4 * oy, x.ptr + 4 * ox, t.window, t.include);
    expectSame(x.array.subarray(ox), wantDx, `dx of ${JSON.stringify(t)}`);
  });
}

describe('maxPool', () => {
  it('matches the reference, argmax included, on random windows with ties and NaN', () => {
    fc.assert(fc.property(caseArb(true), checkMax), { numRuns: 500 });
  });

  it('takes the first of tied maxima and the last NaN, in the SIMD lanes as in the scalar loop', () => {
    // Kernel 2, stride 2, on 1 × 8: windows [1, 1], [NaN, 0], [3, NaN], [NaN, NaN] (indices 0..7).
    withBlocks([16, 4, 4], (x, y, at) => {
      x.array.set([1, 1, NaN, 0, 3, NaN, NaN, NaN]);
      const g = { planes: 1, h: 1, w: 8, kh: 1, kw: 2, sh: 1, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1, ho: 1, wo: 4 };
      maxPool(x.ptr, y.ptr, at.ptr, g);
      expect(Array.from(y.array)).toEqual([1, NaN, NaN, NaN]);
      expect(Array.from(ints(at))).toEqual([0, 2, 5, 7]);
    });
  });

  it('scatters the gradient to the argmax, accumulating, and skips −1', () => {
    fc.assert(fc.property(caseArb(true), checkMaxBackward), { numRuns: 200 });
  });
});

describe('avgPool', () => {
  it('matches the reference forward and backward, with and without counting the padding', () => {
    fc.assert(fc.property(caseArb(false), checkAvg), { numRuns: 500 });
  });

  it("follows PyTorch's divisors: padding counts or not, ceil-mode overhang never", () => {
    // 1 × 3 input [1, 2, 3], kernel 2, stride 2, padding 1, ceil mode: windows [pad, 1], [2, 3]; then with
    // h = w = 3 the last window of kernel 2 stride 2 in ceil mode overhangs by one and divides by 1 or 2.
    withBlocks([3, 2], (x, y) => {
      x.array.set([1, 2, 3]);
      const g = { planes: 1, h: 1, w: 3, kh: 1, kw: 2, sh: 1, sw: 2, ph: 0, pw: 1, dh: 1, dw: 1, ho: 1, wo: 2 };
      avgPool(x.ptr, y.ptr, g, true);
      expect(Array.from(y.array)).toEqual([0.5, 2.5]);
      avgPool(x.ptr, y.ptr, g, false);
      expect(Array.from(y.array)).toEqual([1, 2.5]);
      avgPool(x.ptr, y.ptr, { ...g, pw: 0 }, true);
      expect(Array.from(y.array)).toEqual([1.5, 3]);
    });
  });
});

describe.runIf(threadsAvailable)('pooling on 1, 2 and 3 threads', () => {
  const initial = getThreads();
  afterAll(() => setThreads(initial));
  // 96 planes of 28 × 28, a 2 × 2 window: enough for three threads, each with its own planes.
  const window = { planes: 96, h: 28, w: 28, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1, ho: 14, wo: 14 };

  it('max and average pooling, forward and backward, split over planes and match the reference', () => {
    for (const threads of [1, 2, 3]) {
      setThreads(threads);
      const t = { window, values: 2, include: true, offset: [1, 2] as [number, number], seed: 21 + threads };
      checkMax(t);
      checkMaxBackward(t);
      checkAvg(t);
    }
  });
});

describe('pooling refuses bad inputs', () => {
  const block = new F32Block(256);
  const p = block.ptr;
  const g: PoolWindow = { planes: 1, h: 4, w: 4, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1, ho: 2, wo: 2 };

  it('a size that is negative or not an integer', () => {
    expect(() => maxPool(p, p, p, { ...g, planes: -1 })).toThrow(
      new RangeError('maxPool: planes must be an integer from 0 to 2147483647, got -1'),
    );
    expect(() => avgPool(p, p, { ...g, w: 1.5 }, true)).toThrow(
      'avgPool: w must be an integer from 0 to 2147483647, got 1.5',
    );
  });

  it('a kernel, stride or dilation below 1', () => {
    expect(() => maxPool(p, p, p, { ...g, kw: 0 })).toThrow(
      'maxPool: kw must be an integer from 1 to 2147483647, got 0',
    );
    expect(() => maxPool(p, p, p, { ...g, sh: 0 })).toThrow(
      'maxPool: sh must be an integer from 1 to 2147483647, got 0',
    );
    expect(() => maxPool(p, p, p, { ...g, dw: 0 })).toThrow(
      'maxPool: dw must be an integer from 1 to 2147483647, got 0',
    );
  });

  it('padding over half the kernel', () => {
    expect(() => maxPool(p, p, p, { ...g, ph: 2 })).toThrow('maxPool: ph must be at most kh / 2 = 1, got 2');
    expect(() => avgPoolBackward(p, p, { ...g, pw: 2 }, false)).toThrow(
      'avgPoolBackward: pw must be at most kw / 2 = 1, got 2',
    );
  });

  it('an output with a window starting past the input', () => {
    expect(() => maxPool(p, p, p, { ...g, ho: 3 })).toThrow(
      'maxPool: ho must be at most 2 (the last window must start inside the input), got 3',
    );
    expect(() => avgPool(p, p, { ...g, wo: 3 }, true)).toThrow(
      'avgPool: wo must be at most 2 (the last window must start inside the input), got 3',
    );
  });

  it('dilation for average pooling', () => {
    expect(() => avgPool(p, p, { ...g, dh: 2 }, true)).toThrow(
      'avgPool: dh and dw must be 1 (average pooling has no dilation), got 2 and 1',
    );
  });

  it('an operand past the end of the memory, or a misaligned pointer', () => {
    const end = block.array.buffer.byteLength;
    expect(() => maxPool(p, p, end - 8, g)).toThrow(
      `maxPool: argmax (4 elements) at argmaxPtr ${end - 8} ends at byte ${end + 8}, past the end of the kernel memory (${end} bytes)`,
    );
    expect(() => maxPoolBackward(p, p, p + 1, g)).toThrow(
      `maxPoolBackward: dxPtr must be a non-negative byte offset that is a multiple of 4, got ${p + 1}`,
    );
    expect(() => maxPoolBackward(p, p, p, { ...g, planes: -4 })).toThrow(
      'maxPoolBackward: planes must be an integer from 0 to 2147483647, got -4',
    );
  });

  it('a reference array too short', () => {
    expect(() => maxPoolReference(new Float32Array(16), new Float32Array(4), new Int32Array(3), g)).toThrow(
      'maxPoolReference: argmax needs 4 elements, got an array of 3',
    );
    expect(() => maxPoolBackwardReference(new Float32Array(4), new Int32Array(3), new Float32Array(16), g)).toThrow(
      'maxPoolBackwardReference: argmax needs 4 elements, got an array of 3',
    );
    expect(() => avgPoolReference(new Float32Array(15), new Float32Array(4), g, true)).toThrow(
      'avgPoolReference: x needs 16 elements, got an array of 15',
    );
  });
});
