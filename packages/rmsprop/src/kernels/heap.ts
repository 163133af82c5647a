const PAGE = 65536;
const ALIGN = 64; // a cache line: SIMD loads never straddle one, and blocks never share one
const MAX_PAGES = 65536; // wasm32's 4 GiB

const roundUp = (n: number, to: number): number => Math.ceil(n / to) * to;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/**
 * First-fit allocator over a WebAssembly memory, kept in JavaScript so kernels stay pure functions of
 * pointers. Free ranges are kept sorted and merged with their neighbours; the memory grows on demand.
 */
export class Heap {
  private readonly sizes = new Map<number, number>();
  private readonly free: Array<{ start: number; size: number }> = [];
  private top: number;
  /** Bytes currently handed out. */
  inUse = 0;

  constructor(
    readonly memory: WebAssembly.Memory,
    base: number,
  ) {
    this.top = roundUp(base, ALIGN);
  }

  /** Returns the address of `bytes` fresh bytes, aligned to 64. Their content is unspecified. */
  alloc(bytes: number): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw new RangeError(`Heap.alloc: byte count must be a non-negative integer, got ${bytes}`);
    }
    const size = roundUp(Math.max(bytes, 1), ALIGN);
    const i = this.free.findIndex((r) => r.size >= size);
    let ptr: number;
    if (i >= 0) {
      const range = this.free[i]!;
      ptr = range.start;
      if (range.size === size) this.free.splice(i, 1);
      else Object.assign(range, { start: range.start + size, size: range.size - size });
    } else {
      ptr = this.top;
      this.reserve(ptr + size, bytes);
      this.top = ptr + size;
    }
    this.sizes.set(ptr, size);
    this.inUse += size;
    return ptr;
  }

  /** Gives back a block from `alloc`; freeing an unknown address is an error, not a silent no-op. */
  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) throw new Error(`Heap.release: ${ptr} is not an allocated block`);
    this.sizes.delete(ptr);
    this.inUse -= size;
    let i = this.free.findIndex((r) => r.start > ptr);
    if (i < 0) i = this.free.length;
    this.free.splice(i, 0, { start: ptr, size });
    this.merge(i);
    if (i > 0) this.merge(i - 1);
    const last = this.free[this.free.length - 1];
    if (last && last.start + last.size === this.top) {
      this.top = last.start;
      this.free.pop();
    }
  }

  private merge(i: number): void {
    const a = this.free[i];
    const b = this.free[i + 1];
    if (a && b && a.start + a.size === b.start) {
      a.size += b.size;
      this.free.splice(i + 1, 1);
    }
  }

  private reserve(end: number, asked: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const need = Math.ceil((end - have) / PAGE);
    // Grow by at least half of what is there so repeated small growths stay amortised O(1).
    const pages = Math.min(Math.max(need, Math.ceil(have / PAGE / 2)), MAX_PAGES - have / PAGE);
    try {
      if (pages < need) throw new RangeError('beyond the 4 GiB limit');
      this.memory.grow(pages);
    } catch (cause) {
      throw new RangeError(
        `out of WebAssembly memory: asked for ${mib(asked)} with ${mib(this.inUse)} in use ` +
          `(${mib(have)} reserved, limit 4096 MiB)`,
        { cause },
      );
    }
  }
}
