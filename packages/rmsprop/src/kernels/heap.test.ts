import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { F32Block, Heap, threadsAvailable } from './index.js';

describe('Heap', () => {
  it('hands out aligned blocks that never overlap, and reuses freed space', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5000 })), { maxLength: 200 }), (ops) => {
        const heap = new Heap(new WebAssembly.Memory({ initial: 1 }), 100);
        const live = new Map<number, number>();
        for (const [free, bytes] of ops) {
          if (free && live.size > 0) {
            const ptr = [...live.keys()][bytes % live.size]!;
            heap.release(ptr);
            live.delete(ptr);
          } else {
            const ptr = heap.alloc(bytes);
            expect(ptr % 64).toBe(0);
            expect(ptr).toBeGreaterThanOrEqual(100);
            expect(ptr + bytes).toBeLessThanOrEqual(heap.memory.buffer.byteLength);
            for (const [q, n] of live) expect(ptr + Math.max(bytes, 1) <= q || q + Math.max(n, 1) <= ptr).toBe(true);
            live.set(ptr, bytes);
          }
        }
        for (const ptr of live.keys()) heap.release(ptr);
        expect(heap.inUse).toBe(0);
        // Everything freed merges back: one allocation fits where all of them were.
        expect(heap.alloc(64)).toBe(128);
      }),
    );
  });

  it('says how much was asked and how much is in use when memory runs out', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 2 }), 0);
    heap.alloc(65536);
    expect(() => heap.alloc(3 * 65536)).toThrow(
      'out of WebAssembly memory: asked for 0.2 MiB with 0.1 MiB in use (0.1 MiB reserved, limit 4096 MiB)',
    );
  });

  it('refuses bad sizes and unknown frees', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1 }), 0);
    expect(() => heap.alloc(-1)).toThrow('Heap.alloc: byte count must be a non-negative integer, got -1');
    expect(() => heap.release(64)).toThrow('Heap.release: 64 is not an allocated block');
  });
});

describe('F32Block', () => {
  it('re-derives its view after the memory grows', () => {
    const a = new F32Block(4);
    a.array.set([1, 2, 3, 4]);
    const stale = a.array;
    const big = new F32Block(a.array.buffer.byteLength);
    // A growth detaches a plain memory's views; a shared one (the threaded build) keeps them at their length.
    expect(stale.length).toBe(threadsAvailable ? 4 : 0);
    expect(Array.from(a.array)).toEqual([1, 2, 3, 4]);
    big.free();
    a.free();
    expect(() => a.array).toThrow('F32Block: used after free()');
    expect(() => new F32Block(-1)).toThrow('F32Block: length must be a non-negative integer, got -1');
  });
});
