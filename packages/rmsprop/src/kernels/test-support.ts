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
