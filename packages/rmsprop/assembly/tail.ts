// The SIMD loops work on whole groups of four floats. Lanes past the end of an array may belong to
// someone else (a user may lay several parameters out in one buffer), so the last n % 4 elements of
// each array are copied to a 16-byte scratch row, run through the same loop, and copied back. This
// keeps one definition of every update instead of a SIMD body and a scalar copy of it.
// Coefficients such as 1 − β arrive from JavaScript computed in f64, as PyTorch and Optax compute them:
// 1 − f32(0.999) would be off by 1.3e-5.
const SCRATCH = memory.data(16 * 8, 16);

/** Byte length of the part of an n-element f32 array that whole SIMD groups cover. */
@inline export function wholeBytes(n: usize): usize {
  return (n & ~(3 as usize)) << 2;
}

/** Copies the tail of array `k` (base pointer `ptr`, may be 0 for "unused") into its scratch row. */
@inline export function stage(k: i32, ptr: usize, n: usize): usize {
  const row = SCRATCH + ((k as usize) << 4);
  v128.store(row, i32x4.splat(0));
  if (ptr) memory.copy(row, ptr + wholeBytes(n), (n & 3) << 2);
  return row;
}

/** Copies scratch row `k` back over the tail of array `ptr`. */
@inline export function unstage(k: i32, ptr: usize, n: usize): void {
  if (ptr) memory.copy(ptr + wholeBytes(n), SCRATCH + ((k as usize) << 4), (n & 3) << 2);
}

/** Applies clipping by value, the gradient scale (sign for maximize, clip-by-norm factor) and L2 decay. */
@inline export function preprocess(g: v128, p: v128, gScale: v128, clip: v128, l2: v128): v128 {
  const clipped = f32x4.min(f32x4.max(g, f32x4.neg(clip)), clip);
  return f32x4.add(f32x4.mul(clipped, gScale), f32x4.mul(l2, p));
}
