import { allFinite } from '../kernels/index.js';
import type { FusedCall } from './spec.js';
import { allocState, type StateBuffer } from './state-buffer.js';

const STAGE = 16384; // floats per chunk

/**
 * Arrays outside the kernels' memory (a TensorFlow.js user's weights and gradients) reach the kernels
 * through two buffers of it, a chunk at a time.
 */
export class Staging {
  private blocks: [param: StateBuffer, grad: StateBuffer] | null = null;

  /** Allocates the buffers, before a step changes anything (allocation may fail or grow the memory). */
  reserve(): void {
    this.blocks ??= [allocState(STAGE), allocState(STAGE)];
  }

  private get reserved(): [StateBuffer, StateBuffer] {
    if (!this.blocks) throw new Error('Staging: reserve() was not called');
    return this.blocks;
  }

  /** The kernel's finiteness check over a plain array. */
  allFinite(g: Float32Array): boolean {
    const stage = this.reserved[1];
    for (let off = 0; off < g.length; off += STAGE) {
      const n = Math.min(STAGE, g.length - off);
      stage.array.set(g.subarray(off, off + n));
      if (!allFinite(stage.ptr!, n)) return false;
    }
    return true;
  }

  /**
   * Runs `fused` on a parameter whose values (`p` null) or gradient (`g` null) are plain arrays, a chunk
   * of every operand at a time; the parameter's chunk is copied back after each call.
   */
  run(
    call: Omit<FusedCall, 'p' | 'g'> & { p: number | null; g: number | null },
    param: Float32Array,
    grad: Float32Array,
    fused: (c: FusedCall) => void,
  ): void {
    const [sp, sg] = this.reserved;
    const { p, g, buffers, step, created, pre } = call;
    for (let off = 0; off < call.n; off += STAGE) {
      const n = Math.min(STAGE, call.n - off);
      const bytes = off * 4;
      if (p === null) sp.array.set(param.subarray(off, off + n));
      if (g === null) sg.array.set(grad.subarray(off, off + n));
      const chunk: Record<string, number> = {};
      for (const k in buffers) chunk[k] = buffers[k]! + bytes;
      const pAt = p === null ? sp.ptr! : p + bytes;
      fused({ p: pAt, g: g === null ? sg.ptr! : g + bytes, buffers: chunk, n, step, created, pre });
      if (p === null) param.set(sp.array.subarray(0, n), off);
    }
  }

  free(): void {
    this.blocks?.forEach((b) => b.free());
    this.blocks = null;
  }
}
