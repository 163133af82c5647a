// The SIMD loops work on whole groups of four floats. Lanes past the end of an array may belong to
// someone else (a user may lay several parameters out in one buffer), so the last n % 4 elements of
// each array are copied to a 16-byte scratch row, run through the same loop, and copied back. This
// keeps one definition of every update instead of a SIMD body and a scalar copy of it.
// A kernel split over threads runs its parts at once, each on its own thread, so each part has its own
// rows: part p (the thread pool's part index, below its 64 threads at most) uses rows p·16 to p·16 + 15.
const ROWS: usize = 16;
const SCRATCH = memory.data(16 * 16 * 64, 16);

/**
 * Hyper-parameters of the next kernel call, written by the host: a call then takes only pointers and
 * flags. Coefficients such as 1 − β arrive computed in f64, as PyTorch and Optax compute them
 * (1 − f32(0.999) would be off by 1.3e-5).
 */
export const HP = memory.data(32 * 4, 16);

/** Hyper-parameter `i`, in all four lanes. */
@inline export function hp(i: i32): v128 {
  return v128.load32_splat(HP + ((i as usize) << 2));
}

/** Byte length of the part of an n-element f32 array that whole SIMD groups cover. */
@inline export function wholeBytes(n: usize): usize {
  return (n & ~(3 as usize)) << 2;
}

/** Scratch row `k` of part `part`. */
@inline function scratchRow(k: i32, part: usize): usize {
  return SCRATCH + ((part * ROWS + (k as usize)) << 4);
}

/**
 * Copies the tail of array `k` (base pointer `ptr`, may be 0 for "unused") into its scratch row, the
 * row of part `part` where a kernel runs on several threads at once.
 */
@inline export function stage(k: i32, ptr: usize, n: usize, part: usize = 0): usize {
  const row = scratchRow(k, part);
  v128.store(row, i32x4.splat(0));
  if (ptr) memory.copy(row, ptr + wholeBytes(n), (n & 3) << 2);
  return row;
}

/** Copies scratch row `k` (of part `part`) back over the tail of array `ptr`. */
@inline export function unstage(k: i32, ptr: usize, n: usize, part: usize = 0): void {
  if (ptr) memory.copy(ptr + wholeBytes(n), scratchRow(k, part), (n & 3) << 2);
}

// Every kernel starts with the same four hyper-parameters: g ← clamp(g, ±CLIP)·G_SCALE + L2·p, then
// p ← p·P_DECAY. A "simple" call (no clipping, maximize or weight decay) skips them.
export const G_SCALE = 0, CLIP = 1, L2 = 2, P_DECAY = 3;

/** The shared preprocessing, given hp(G_SCALE), hp(CLIP), −hp(CLIP) and hp(L2) loaded before the loop. */
@inline export function preprocess(g: v128, p: v128, gScale: v128, clip: v128, negClip: v128, l2: v128): v128 {
  // pmin/pmax are one instruction each where min/max take about eight (for NaN rules); a NaN g, the
  // first operand, still comes out NaN.
  return f32x4.add(f32x4.mul(f32x4.pmin(f32x4.pmax(g, negClip), clip), gScale), f32x4.mul(l2, p));
}
