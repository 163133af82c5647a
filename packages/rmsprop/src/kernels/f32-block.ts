import { Heap } from './heap.js';
import { wasm } from './instance.js';

/** The allocator of the kernel module's memory, or null where WebAssembly SIMD is unavailable. */
export const heap: Heap | null = wasm ? new Heap(wasm.memory, wasm.heapBase.value as number) : null;

// Blocks nobody freed are returned when they are garbage collected.
const unreleased = new FinalizationRegistry<number>((ptr) => heap?.release(ptr));

/**
 * A float32 array that lives in the kernels' WebAssembly memory. It holds an offset, not a view:
 * growing the memory detaches every view taken before, so `array` re-derives one when needed.
 */
export class F32Block {
  readonly ptr: number;
  private view: Float32Array;
  private released = false;

  constructor(readonly length: number) {
    if (!heap) throw new Error('F32Block: WebAssembly is not available in this runtime');
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`F32Block: length must be a non-negative integer, got ${length}`);
    }
    this.ptr = heap.alloc(length * 4);
    this.view = new Float32Array(heap.memory.buffer, this.ptr, length);
    unreleased.register(this, this.ptr, this);
  }

  /** A view of the block, valid until the next allocation that grows the memory. */
  get array(): Float32Array {
    if (this.released) throw new Error('F32Block: used after free()');
    const buffer = heap!.memory.buffer;
    if (this.view.buffer !== buffer) this.view = new Float32Array(buffer, this.ptr, this.length);
    return this.view;
  }

  /** Returns the memory now rather than at garbage collection. */
  free(): void {
    if (this.released) return;
    this.released = true;
    unreleased.unregister(this);
    heap!.release(this.ptr);
  }
}

/** Whether `a` is a view of the kernels' memory, which kernels can then use in place. */
export function inWasmMemory(a: Float32Array): boolean {
  return heap !== null && a.buffer === heap.memory.buffer;
}
