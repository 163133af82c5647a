import { stage, wholeBytes } from './tail';

@inline function sumSquaresRange(g: usize, bytes: usize, clip: v128): f64 {
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  for (let i: usize = 0; i < bytes; i += 16) {
    const x = f32x4.min(f32x4.max(v128.load(g + i), f32x4.neg(clip)), clip);
    const sq = f32x4.mul(x, x);
    // Accumulate in f64: an f32 sum over millions of elements loses digits the clip factor needs.
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(sq));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(sq, sq, 2, 3, 0, 1)));
  }
  const s = f64x2.add(lo, hi);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/**
 * Σ clamp(g, −clip, clip)² in f64. A non-finite result means a non-finite element (or an overflow of
 * g² for |g| > 1.8e19, which the caller tells apart), so one pass both checks gradients and yields norms.
 */
export function sumSquares(g: usize, n: usize, clip: f32): f64 {
  const c = f32x4.splat(clip);
  let s = sumSquaresRange(g, wholeBytes(n), c);
  if (n & 3) s += sumSquaresRange(stage(0, g, n), 16, c);
  return s;
}
