// Sums in f64 (so a mean over millions of elements keeps float32's digits), and their adjoint.
import { stage, wholeBytes } from './tail';

/** Adds the floats of [p, p + bytes) (bytes a multiple of 16) into two f64x2 accumulators. */
@inline function accumulate(p: usize, bytes: usize): f64 {
  let lo = f64x2.splat(0), hi = f64x2.splat(0), lo2 = f64x2.splat(0), hi2 = f64x2.splat(0);
  let i: usize = 0;
  // Two groups per step keep four independent chains of additions in flight.
  for (; i + 32 <= bytes; i += 32) {
    const x = v128.load(p + i), y = v128.load(p + i, 16);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(x));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1)));
    lo2 = f64x2.add(lo2, f64x2.promote_low_f32x4(y));
    hi2 = f64x2.add(hi2, f64x2.promote_low_f32x4(v128.shuffle<f32>(y, y, 2, 3, 0, 1)));
  }
  if (i < bytes) {
    const x = v128.load(p + i);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(x));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1)));
  }
  const s = f64x2.add(f64x2.add(lo, lo2), f64x2.add(hi, hi2));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** Σ x[k] for k < n, accumulated in f64. */
export function sum(x: usize, n: usize): f64 {
  let s = accumulate(x, wholeBytes(n));
  if (n & 3) s += accumulate(stage(0, x, n), 16);
  return s;
}

/** out[r] = (Σ_c x[r, c]) / divisor for each of `rows` rows of `cols` floats, summed in f64, rounded once. */
export function sumRows(x: usize, rows: usize, cols: usize, out: usize, divisor: f64): void {
  const whole = wholeBytes(cols);
  const rowBytes = cols << 2;
  for (let r: usize = 0; r < rows; r++, x += rowBytes) {
    let s = accumulate(x, whole);
    for (let k = whole; k < rowBytes; k += 4) s += load<f32>(x + k) as f64;
    store<f32>(out + (r << 2), (s / divisor) as f32);
  }
}

/** Two of the four floats of v, widened to f64: the low pair, or the high one. */
@inline function widen(v: v128, low: bool): v128 {
  return f64x2.promote_low_f32x4(low ? v : v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

/** Stores the f64 sums (lo: lanes 0–1, hi: lanes 2–3) of four columns as four floats at p. */
@inline function storeColumns(p: usize, lo: v128, hi: v128): void {
  v128.store(p, v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
}

/**
 * out[c] = Σ_r x[r, c] for `rows` rows of `cols` floats, summed in f64 down each column and rounded once:
 * a linear layer's bias gradient. Sixteen columns (a cache line of each row) at a time with eight
 * independent f64 chains, then four at a time, then the last cols % 4 one by one.
 */
export function sumColumns(x: usize, rows: usize, cols: usize, out: usize): void {
  const rowBytes = cols << 2;
  const wide = (cols & ~(15 as usize)) << 2;
  let c: usize = 0;
  for (; c < wide; c += 64) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), b0 = f64x2.splat(0), b1 = f64x2.splat(0);
    let d0 = f64x2.splat(0), d1 = f64x2.splat(0), e0 = f64x2.splat(0), e1 = f64x2.splat(0);
    for (let r: usize = 0, p = x + c; r < rows; r++, p += rowBytes) {
      const va = v128.load(p), vb = v128.load(p, 16), vd = v128.load(p, 32), ve = v128.load(p, 48);
      a0 = f64x2.add(a0, widen(va, true));
      a1 = f64x2.add(a1, widen(va, false));
      b0 = f64x2.add(b0, widen(vb, true));
      b1 = f64x2.add(b1, widen(vb, false));
      d0 = f64x2.add(d0, widen(vd, true));
      d1 = f64x2.add(d1, widen(vd, false));
      e0 = f64x2.add(e0, widen(ve, true));
      e1 = f64x2.add(e1, widen(ve, false));
    }
    storeColumns(out + c, a0, a1);
    storeColumns(out + c + 16, b0, b1);
    storeColumns(out + c + 32, d0, d1);
    storeColumns(out + c + 48, e0, e1);
  }
  for (const whole = wholeBytes(cols); c < whole; c += 16) {
    let lo = f64x2.splat(0), hi = f64x2.splat(0);
    for (let r: usize = 0, p = x + c; r < rows; r++, p += rowBytes) {
      const v = v128.load(p);
      lo = f64x2.add(lo, widen(v, true));
      hi = f64x2.add(hi, widen(v, false));
    }
    storeColumns(out + c, lo, hi);
  }
  for (; c < rowBytes; c += 4) {
    let s: f64 = 0;
    for (let r: usize = 0, p = x + c; r < rows; r++, p += rowBytes) s += load<f32>(p) as f64;
    store<f32>(out + c, s as f32);
  }
}

/** out[r, c] = g[r]·scale (in f32) for each of `rows` rows of `cols` floats: the adjoint of sumRows. */
export function broadcastRows(g: usize, rows: usize, cols: usize, out: usize, scale: f32): void {
  const whole = wholeBytes(cols);
  const rowBytes = cols << 2;
  for (let r: usize = 0; r < rows; r++, out += rowBytes) {
    const v = load<f32>(g + (r << 2)) * scale;
    const vv = f32x4.splat(v);
    let k: usize = 0;
    for (; k < whole; k += 16) v128.store(out + k, vv);
    for (; k < rowBytes; k += 4) store<f32>(out + k, v);
  }
}
