import { F32Block, heap } from '../kernels/index.js';

/** A per-parameter buffer of optimizer state: in the kernels' memory when there is one. */
export interface StateBuffer {
  /** Address in the kernels' memory, or null for a plain array. */
  readonly ptr: number | null;
  /** A current view; take it again after anything that may allocate. */
  readonly array: Float32Array;
  free(): void;
}

export function allocState(length: number): StateBuffer {
  if (heap) return new F32Block(length);
  const array = new Float32Array(length);
  return { ptr: null, array, free() {} };
}

/** The address of a view of the kernels' memory, or null for any other array. */
export function addressOf(a: Float32Array): number | null {
  return heap !== null && a.buffer === heap.memory.buffer ? a.byteOffset : null;
}

/** A fresh view of `length` floats at `ptr` in the kernels' memory. */
export function viewAt(ptr: number, length: number): Float32Array {
  return new Float32Array(heap!.memory.buffer, ptr, length);
}
