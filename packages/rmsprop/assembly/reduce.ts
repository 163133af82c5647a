import { stage, wholeBytes } from './tail';

@inline function sumSquaresRange(g: usize, bytes: usize, clip: v128): f64 {
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  const negClip = f32x4.neg(clip);
  for (let i: usize = 0; i < bytes; i += 16) {
    const x = f32x4.pmin(f32x4.pmax(v128.load(g + i), negClip), clip);
    // Square in f64: an f32 square overflows for |g| > 1.8e19 and would pass for a non-finite gradient.
    const a = f64x2.promote_low_f32x4(x), b = f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1));
    lo = f64x2.add(lo, f64x2.mul(a, a));
    hi = f64x2.add(hi, f64x2.mul(b, b));
  }
  const s = f64x2.add(lo, hi);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** Σ clamp(g, −clip, clip)² in f64, for clipping by norm; non-finite exactly when some g is. */
export function sumSquares(g: usize, n: usize, clip: f32): f64 {
  const c = f32x4.splat(clip);
  let s = sumSquaresRange(g, wholeBytes(n), c);
  if (n & 3) s += sumSquaresRange(stage(0, g, n), 16, c);
  return s;
}

@inline function finiteRange(g: usize, bytes: usize): v128 {
  // x − x is 0 for finite x and NaN otherwise; two accumulators keep the adds from waiting on each other.
  let a = f32x4.splat(0), b = f32x4.splat(0);
  let i: usize = 0;
  for (; i + 32 <= bytes; i += 32) {
    const x = v128.load(g + i), y = v128.load(g + i + 16);
    a = f32x4.add(a, f32x4.sub(x, x));
    b = f32x4.add(b, f32x4.sub(y, y));
  }
  if (i < bytes) {
    const x = v128.load(g + i);
    a = f32x4.add(a, f32x4.sub(x, x));
  }
  return f32x4.add(a, b);
}

/** Whether all n elements are finite: the check before a step, at the speed of reading memory. */
export function allFinite(g: usize, n: usize): bool {
  let s = finiteRange(g, wholeBytes(n));
  if (n & 3) s = f32x4.add(s, finiteRange(stage(0, g, n), 16));
  return !v128.any_true(f32x4.ne(s, s));
}
