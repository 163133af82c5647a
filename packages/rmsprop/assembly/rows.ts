// Helpers of the row-wise kernels over a row-major [rows, cols] matrix: whole groups of four run in
// v128; the last cols % 4 of each row are loaded into and stored from the low lanes of one v128 with
// lane loads and stores (one instruction each, where tail.ts's staging copies cost a call per row).

/** All ones in the lanes below r (r ≤ 4), zeros above. */
@inline export function firstLanes(r: usize): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(r as i32));
}

/** The rem (1 to 3) floats at p in the low lanes, zeros above. */
@inline export function loadTail(p: usize, rem: usize): v128 {
  if (rem == 1) return v128.load32_zero(p);
  const v = v128.load64_zero(p);
  return rem == 2 ? v : v128.load32_lane(p, v, 2, 8);
}

/** Stores the low rem (1 to 3) lanes of v at p. */
@inline export function storeTail(p: usize, rem: usize, v: v128): void {
  if (rem == 1) {
    v128.store32_lane(p, v, 0);
    return;
  }
  v128.store64_lane(p, v, 0);
  if (rem == 3) v128.store32_lane(p, v, 2, 8);
}

/** Adds the four lanes of v, in f64, into the accumulator pair (lo, hi) as sum.ts does. */
@inline export function addLow(acc: v128, v: v128): v128 {
  return f64x2.add(acc, f64x2.promote_low_f32x4(v));
}

@inline export function addHigh(acc: v128, v: v128): v128 {
  return f64x2.add(acc, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
}

@inline export function total(lo: v128, hi: v128): f64 {
  const s = f64x2.add(lo, hi);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}
