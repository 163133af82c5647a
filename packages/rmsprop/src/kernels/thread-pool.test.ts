// Threads change speed, never results: each kernel that splits its work gives the same bits on 1, 2 and
// 3 threads. And the pool keeps no process alive, and survives a kernel that fails on a worker.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  binary,
  emaStep,
  F32Block,
  gemm,
  geluBackward,
  getThreads,
  reluBackward,
  setThreads,
  tanh,
  threadsAvailable,
} from './index.js';
import { runParts } from './thread-pool.js';
import { fillRandom, sameOnThreads } from './test-support.js';

const initial = getThreads();
afterAll(() => setThreads(initial));

describe.runIf(threadsAvailable)('kernels on threads', () => {
  // Above three times the size a thread takes, and not a multiple of 4: every thread works, one has a tail.
  const n = 3 * 2 ** 17 + 7;

  it.each([
    [false, false, 256, 300],
    [true, false, 256, 300],
    [false, true, 256, 300],
    [true, true, 256, 300],
    [false, false, 1000, 40],
    [true, true, 1000, 40],
  ])('gemm (transA %s, transB %s, %i × %i) gives the same bits on 1, 2 and 3 threads', (ta, tb, m, n) => {
    // Wide products split their columns, tall ones their rows; sizes not multiples of 16, and enough work for three threads.
    const k = 512;
    const a = new F32Block(m * k);
    const b = new F32Block(k * n);
    fillRandom(a.array, 3);
    fillRandom(b.array, 4);
    sameOnThreads(() => {
      const c = new F32Block(m * n);
      fillRandom(c.array, 5);
      gemm(ta, tb, m, n, k, 0.5, a.ptr, ta ? m : k, b.ptr, tb ? k : n, 0.25, c.ptr, n);
      const out = c.array.slice();
      c.free();
      return out;
    });
    [a, b].forEach((f) => f.free());
  });

  it.each([
    ['tanh', (x: number, _y: number, out: number, n: number) => tanh(x, out, n)],
    ['gelu backward', (x: number, y: number, out: number, n: number) => geluBackward(x, y, out, n)],
    ['binary mul', (x: number, y: number, out: number, n: number) => binary('mul', x, y, out, n)],
    ['relu backward', (x: number, y: number, out: number, n: number) => reluBackward(x, y, out, n)],
  ] as const)('%s gives the same bits on 1, 2 and 3 threads', (_, op) => {
    const [x, y] = [new F32Block(n), new F32Block(n)];
    fillRandom(x.array, 6);
    fillRandom(y.array, 7);
    sameOnThreads(() => {
      const out = new F32Block(n);
      op(x.ptr, y.ptr, out.ptr, n);
      const values = out.array.slice();
      out.free();
      return values;
    });
    [x, y].forEach((f) => f.free());
  });

  it('passes a failure on a worker to the caller, then starts a fresh pool', () => {
    setThreads(2);
    const [a, b, c] = [0, 1, 2].map(() => new F32Block(4));
    b!.array.fill(1);
    c!.array.fill(0);
    // The second part's address is far past the end of the memory: that worker traps.
    expect(() =>
      runParts('ema', [
        [a!.ptr, b!.ptr, 4],
        [2 ** 31 - 64, b!.ptr, 4],
      ]),
    ).toThrow('rmsprop kernels: ema failed on a worker thread');
    emaStep(a!.ptr, b!.ptr, 4, 0.5); // the hyper-parameters of the next call, read by both parts
    runParts('ema', [
      [a!.ptr, b!.ptr, 4],
      [c!.ptr, b!.ptr, 4],
    ]);
    expect(Array.from(c!.array)).toEqual([0.5, 0.5, 0.5, 0.5]);
    [a, b, c].forEach((x) => x!.free());
  });

  it('keeps no process alive: a script that multiplies on 2 threads exits by itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmsprop-threads-'));
    const script = join(dir, 'gemm.mts');
    const url = (path: string): string => JSON.stringify(new URL(path, import.meta.url).href);
    writeFileSync(
      script,
      `const { F32Block, gemm, setThreads } = await import(${url('./index.ts')});
       setThreads(2);
       const [a, b, c] = [0, 1, 2].map(() => new F32Block(512 * 512));
       a.array.fill(0.5);
       b.array.fill(0.25);
       gemm(false, false, 512, 512, 512, 1, a.ptr, 512, b.ptr, 512, 0, c.ptr, 512);
       console.log(c.array[0]);`,
    );
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    rmSync(dir, { recursive: true, force: true });
    expect(r.status, r.stderr).toBe(0);
    expect(Number(r.stdout.trim())).toBe(512 * 0.125);
  });

  it('refuses a thread count it cannot use', () => {
    expect(() => setThreads(0)).toThrow('setThreads: n must be an integer from 1 to 64, got 0');
    expect(() => setThreads(1.5)).toThrow('setThreads: n must be an integer from 1 to 64, got 1.5');
  });
});
