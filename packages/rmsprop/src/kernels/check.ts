// Argument checks shared by the kernel wrappers: every bad input is a RangeError naming the function, the
// argument, its value and what is allowed, raised before the WebAssembly code can read or write anything.
import { wasm, type WasmKernels } from './instance.js';

const I32_MAX = 2 ** 31 - 1;

/** The kernel module, or an error saying this runtime has none. */
export function kernelsFor(fn: string): WasmKernels {
  if (!wasm) throw new Error(`${fn}: WebAssembly is not available in this runtime`);
  return wasm;
}

/** An integer from `min` to 2³¹ − 1 (the kernels index with 32-bit integers). */
export function checkInt(fn: string, name: string, value: number, min = 0): void {
  if (!Number.isInteger(value) || value < min || value > I32_MAX) {
    throw new RangeError(`${fn}: ${name} must be an integer from ${min} to ${I32_MAX}, got ${value}`);
  }
}

/** Checks that a sum of window terms stays in the kernels' 32-bit index range. */
export function checkSpan(fn: string, what: string, terms: number): void {
  if (terms > I32_MAX) throw new RangeError(`${fn}: ${what} must stay below 2^31, got ${terms}`);
}

/**
 * Checks that `floats` float32 (or int32) elements at byte offset `ptr` lie inside the kernel memory;
 * `what` describes the operand and `ptrName` names the pointer argument.
 */
export function checkRegion(fn: string, what: string, ptrName: string, ptr: number, floats: number): void {
  if (!Number.isSafeInteger(ptr) || ptr < 0 || ptr % 4 !== 0) {
    throw new RangeError(`${fn}: ${ptrName} must be a non-negative byte offset that is a multiple of 4, got ${ptr}`);
  }
  const bytes = kernelsFor(fn).memory.buffer.byteLength;
  const end = ptr + 4 * floats;
  if (end > bytes) {
    throw new RangeError(
      `${fn}: ${what} (${floats} elements) at ${ptrName} ${ptr} ends at byte ${end}, ` +
        `past the end of the kernel memory (${bytes} bytes)`,
    );
  }
}

/** Checks that a reference's array holds at least the `floats` elements its operand spans. */
export function checkArray(fn: string, what: string, array: ArrayLike<number>, floats: number): void {
  if (array.length < floats) {
    throw new RangeError(`${fn}: ${what} needs ${floats} elements, got an array of ${array.length}`);
  }
}
