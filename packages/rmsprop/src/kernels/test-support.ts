// Shared by the kernels' tests (not part of the build: see tsconfig.build.json).
import { expect } from 'vitest';
import { F32Block } from './f32-block.js';
import { setThreads } from './thread-pool.js';

/** Uniform values in [−1, 1) from a seed. */
export function fillRandom(a: Float32Array, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 31 - 1;
  }
}

/** Equal element for element, signs of zero and NaN included. */
export function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${what}[${i}] = ${got[i]}, reference ${want[i]}`);
  }
}

/** Blocks in the kernel memory, each filled from its own seed with values in ±scale. */
export function randomBlocks<S extends number[]>(
  sizes: [...S],
  seed: number,
  scale: number,
): { [K in keyof S]: F32Block } {
  return sizes.map((size, i) => {
    const b = new F32Block(size);
    fillRandom(b.array, seed + 7919 * i);
    b.array.forEach((v, k) => (b.array[k] = v * scale));
    return b;
  }) as { [K in keyof S]: F32Block };
}

/**
 * Within a few float32 ulps of the size of the terms, for the recurrent cells (gates at most 1, states
 * a few units): |got − want| ≤ 8·2⁻²⁴·max(1, |want|).
 */
export function expectCellClose(got: Float32Array, want: Float32Array, what: string): void {
  for (let k = 0; k < want.length; k++) {
    const tol = 8 * 2 ** -24 * Math.max(1, Math.abs(want[k]!));
    if (!(Math.abs(got[k]! - want[k]!) <= tol)) expect.fail(`${what}[${k}] = ${got[k]}, reference ${want[k]}`);
  }
}

/**
 * Runs `run` `repeats` times and folds the bits of what it returns, element by element and in order, into
 * one hash a run (the arrays one after the other): equal hashes mean equal outputs in every repetition,
 * without keeping them all. For kernels whose threads might interfere only now and then.
 */
export function foldRepeats(repeats: number, run: () => Float32Array[]): Float32Array {
  let hash: Uint32Array | null = null;
  for (let i = 0; i < repeats; i++) {
    const arrays = run();
    hash ??= new Uint32Array(arrays.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of arrays) {
      const bits = new Uint32Array(a.buffer, a.byteOffset, a.length);
      for (let k = 0; k < bits.length; k++, at++) hash[at] = Math.imul(hash[at]!, 31) + bits[k]!;
    }
  }
  return new Float32Array(hash!.buffer);
}

/** Runs `f` with blocks of the given lengths, freeing them after. */
export function withBlocks(lengths: number[], f: (...blocks: F32Block[]) => void): void {
  const blocks = lengths.map((n) => new F32Block(n));
  try {
    f(...blocks);
  } finally {
    blocks.forEach((b) => b.free());
  }
}

/**
 * Expects `run()` to give the same bits on 1, 2 and 3 threads. (Compared in a loop: vitest's deep
 * equality takes seconds over arrays this long, and a test file that blocks its worker for a minute
 * loses its connection to vitest.)
 */
export function sameOnThreads(run: () => Float32Array): void {
  const [one, ...more] = [1, 2, 3].map((t) => {
    setThreads(t);
    return new Uint32Array(run().slice().buffer);
  });
  for (const [i, bits] of more.entries()) {
    const at = bits.findIndex((x, k) => x !== one![k]);
    expect(at, `${i + 2} threads differ from 1 at element ${at}`).toBe(-1);
    expect(bits.length).toBe(one!.length);
  }
}
