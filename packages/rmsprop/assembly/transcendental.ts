// exp, log, tanh, the logistic sigmoid and the normal CDF on four f32 lanes: range reduction and the
// Cephes single-precision polynomials (S. L. Moshier), with both branches of a piecewise definition
// computed and one picked per lane. Accuracy, measured over float32 inputs against Math.* in f64, is
// stated in src/kernels/pointwise.ts. Only add, mul, div and bit operations are used: pmin/pmax where a
// clamp must let NaN through (the first operand's NaN comes out), never min/max (eight instructions each).

// The constants are read from tables with splatting loads: V8 builds a v128.const anew at every use in
// a loop (a 64-bit move, a move to the vector register and a shuffle), where a splatting load is one
// instruction; exp runs about 20% faster so.
const F = memory.data<f32>([
  1.44269504088896341, // 0: log2 e
  12582912, // 1: 1.5·2^23, see expReduced
  // 2, 3: ln 2 in two parts (Cody and Waite): n·LN2_HI is exact for |n| < 2^15.
  0.693359375,
  -2.12194440e-4,
  // 4–9: e^r = 1 + r + r²·P(r) on |r| ≤ ln(2)/2.
  1.9875691500e-4,
  1.3981999507e-3,
  8.3334519073e-3,
  4.1665795894e-2,
  1.6666665459e-1,
  5.0000001201e-1,
  // 10–18: ln(1 + f) = f − f²/2 + f³·P(f) on √½ − 1 ≤ f < √2 − 1.
  7.0376836292e-2,
  -1.1514610310e-1,
  1.1676998740e-1,
  -1.2420140846e-1,
  1.4249322787e-1,
  -1.6668057665e-1,
  2.0000714765e-1,
  -2.4999993993e-1,
  3.3333331174e-1,
  // 19–23: tanh x = x + x·x²·P(x²) on |x| < 0.625.
  -5.70498872745e-3,
  2.06390887954e-2,
  -5.37397155531e-2,
  1.33314422036e-1,
  -3.33332819422e-1,
  -120, // 24: exp's lower clamp (e^−120 is 0 in f32, and n stays in range)
  89, // 25: exp's upper clamp (e^89 is +∞ in f32)
  1.17549435e-38, // 26: the smallest normal float
  8388608, // 27: 2^23
  0.707106781186547524, // 28: √½
  0.5, // 29
  1, // 30
  0, // 31
  -2, // 32
  0.625, // 33
  Infinity, // 34
  -Infinity, // 35
  NaN, // 36
  16, // 37: gelu's clamp of |x|: Φ(−16) is far below float32's smallest number
  0.398942280401432678, // 38: 1/√(2π)
], 16);
const LOG2E = 0, MAGIC = 1, LN2_HI = 2, LN2_LO = 3, EXP_P = 4, LOG_P = 10, TANH_P = 19, EXP_MIN = 24,
  EXP_MAX = 25, MIN_NORMAL = 26, TWO_23 = 27, SQRT_HALF = 28, HALF = 29, ZERO = 31, MINUS_TWO = 32,
  TANH_SPLIT = 33, INF = 34, NAN = 36, GELU_CLAMP = 37, INV_SQRT_2PI = 38, ONE = 30, NEG_INF = 35;

const I = memory.data<i32>([
  0x4b400000, // 0: the bits of 1.5·2^23
  127, // 1: the exponent bias
  -2147483648, // 2: 0x80000000, the sign bit
  23, // 3
  0x007fffff, // 4: the mantissa bits
  0x3f000000, // 5: the bits of 0.5
  126, // 6
], 16);
const MAGIC_BITS = 0, BIAS = 1, SIGN = 2, I23 = 3, MANTISSA = 4, HALF_BITS = 5, I126 = 6;

const D = memory.data<f64>([
  // 0–9: Numerical Recipes' erfcc: erfc(z) = t·e^(−z² + P(t)), t = 1/(1 + z/2), fractional error < 1.2e-7.
  0.17087277,
  -0.82215223,
  1.48851587,
  -1.13520398,
  0.27886807,
  -0.18628806,
  0.09678418,
  0.37409196,
  1.00002368,
  -1.26551223,
  1, // 10
  0.353553390593273762, // 11: 1/(2√2), so that t = 1/(1 + |x|/(2√2)) for z = |x|/√2
  -0.5, // 12
], 16);
const ERFC_P = 0, D_ONE = 10, D_T = 11, D_MINUS_HALF = 12;

/** Constant i of the f32 table, in all four lanes. */
@inline function c(i: i32): v128 {
  return v128.load32_splat(F + ((i as usize) << 2));
}

@inline function ci(i: i32): v128 {
  return v128.load32_splat(I + ((i as usize) << 2));
}

@inline function cd(i: i32): v128 {
  return v128.load64_splat(D + ((i as usize) << 3));
}

@inline function abs(x: v128): v128 {
  return v128.andnot(x, ci(SIGN));
}

/** p·x + c(i) for the Horner steps. */
@inline function step(p: v128, x: v128, i: i32): v128 {
  return f32x4.add(f32x4.mul(p, x), c(i));
}

/**
 * e^(hi + lo)·f for hi + lo in [−174, 89] (below −103.3 the result is 0, above 88.72 it is +∞) and |lo|
 * small: lo is added after the reduction, so that a caller holding hi + lo exactly (an f64 exponent split
 * in two, a difference and its rounding error) keeps its digits. With `split` false, lo is ignored; with
 * `scaled` false, f is 1. f multiplies before the scaling by 2^n, so that a subnormal result rounds once.
 */
@inline function expReduced(hi: v128, lo: v128, split: bool, f: v128, scaled: bool): v128 {
  // n = round(x·log2 e) by adding 1.5·2^23, which leaves n + 2^22 in the low mantissa bits: cheaper
  // than f32x4.nearest and i32x4.trunc_sat (several instructions each in V8), and |n| < 2^22 here.
  const shifted = f32x4.add(f32x4.mul(split ? f32x4.add(hi, lo) : hi, c(LOG2E)), c(MAGIC));
  const n = f32x4.sub(shifted, c(MAGIC));
  let r = f32x4.sub(f32x4.sub(hi, f32x4.mul(n, c(LN2_HI))), f32x4.mul(n, c(LN2_LO)));
  if (split) r = f32x4.add(r, lo);
  let p = step(c(EXP_P), r, EXP_P + 1);
  p = step(p, r, EXP_P + 2);
  p = step(p, r, EXP_P + 3);
  p = step(p, r, EXP_P + 4);
  p = step(p, r, EXP_P + 5);
  let y = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), c(ONE));
  if (scaled) y = f32x4.mul(y, f);
  // Times 2^n in two steps of 2^(n/2), so that n from −176 to 128 needs no special case: results that
  // are subnormal round once, at the last multiplication, and 2^128·y overflows to ∞ as it should.
  const k = i32x4.sub(shifted, ci(MAGIC_BITS));
  const k1 = i32x4.shr_s(k, 1);
  const k2 = i32x4.sub(k, k1);
  const s1 = i32x4.shl(i32x4.add(k1, ci(BIAS)), 23);
  const s2 = i32x4.shl(i32x4.add(k2, ci(BIAS)), 23);
  return f32x4.mul(f32x4.mul(y, s1), s2);
}

/** x clamped to exp's range; pmax(x, lo) is x < lo ? lo : x and pmin(x, hi) is hi < x ? hi : x: NaN passes. */
@inline function expRange(x: v128): v128 {
  return f32x4.pmin(f32x4.pmax(x, c(EXP_MIN)), c(EXP_MAX));
}

/** e^x; NaN stays NaN, −∞ gives 0, +∞ gives +∞. */
@inline export function expv(x: v128): v128 {
  return expReduced(expRange(x), x, false, x, false);
}

/** The rounding error of d = f32(x − m), by Knuth's TwoSum; 0 where d overflowed (the error would be NaN). */
@inline export function diffError(x: v128, m: v128, d: v128): v128 {
  const bb = f32x4.sub(d, x);
  const err = f32x4.sub(f32x4.sub(x, f32x4.sub(d, bb)), f32x4.add(m, bb));
  return v128.and(err, f32x4.eq(err, err));
}

/**
 * e^(x − m) with the subtraction exact: its rounding error goes into the reduced argument. Below −120,
 * where the result is 0, that error (up to half an ulp of x − m, not small there) is dropped.
 */
@inline export function expDiffv(x: v128, m: v128): v128 {
  const d = f32x4.sub(x, m);
  const lo = v128.and(diffError(x, m, d), f32x4.ge(d, c(EXP_MIN)));
  return expReduced(expRange(d), lo, true, d, false);
}

/** ln x; −∞ for ±0, NaN for x < 0 and NaN, +∞ for +∞; subnormal x are scaled up first. */
@inline export function logv(x: v128): v128 {
  const tiny = f32x4.lt(x, c(MIN_NORMAL));
  const bits = v128.bitselect(f32x4.mul(x, c(TWO_23)), x, tiny);
  // x = m·2^e with m in [0.5, 1): the biased exponent, less the 23 of the scaling where there was one.
  let e = i32x4.sub(i32x4.shr_u(bits, 23), v128.and(tiny, ci(I23)));
  let m = v128.or(v128.and(bits, ci(MANTISSA)), ci(HALF_BITS));
  // Where m < √½: m ← 2m, e ← e − 1 (the lane mask is −1), so that f = m − 1 lies in [√½ − 1, √2 − 1).
  const low = f32x4.lt(m, c(SQRT_HALF));
  e = i32x4.add(i32x4.sub(e, ci(I126)), low);
  const f = f32x4.sub(f32x4.add(m, v128.and(m, low)), c(ONE));
  const fe = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(f, f);
  let p = step(c(LOG_P), f, LOG_P + 1);
  p = step(p, f, LOG_P + 2);
  p = step(p, f, LOG_P + 3);
  p = step(p, f, LOG_P + 4);
  p = step(p, f, LOG_P + 5);
  p = step(p, f, LOG_P + 6);
  p = step(p, f, LOG_P + 7);
  p = step(p, f, LOG_P + 8);
  let y = f32x4.mul(f32x4.mul(p, f), z);
  y = f32x4.add(y, f32x4.mul(fe, c(LN2_LO)));
  y = f32x4.sub(y, f32x4.mul(z, c(HALF)));
  let r = f32x4.add(f32x4.add(f, y), f32x4.mul(fe, c(LN2_HI)));
  // Special inputs: 0 → −∞, negative → NaN, +∞ and NaN → themselves.
  r = v128.bitselect(c(NEG_INF), r, f32x4.eq(x, c(ZERO)));
  r = v128.bitselect(c(NAN), r, f32x4.lt(x, c(ZERO)));
  return v128.bitselect(x, r, v128.not(f32x4.lt(x, c(INF))));
}

/** tanh x: an odd polynomial below |x| = 0.625, (1 − e)/(1 + e) with e = e^(−2|x|) above; −0 stays −0. */
@inline export function tanhv(x: v128): v128 {
  const a = abs(x);
  const z = f32x4.mul(x, x);
  let p = step(c(TANH_P), z, TANH_P + 1);
  p = step(p, z, TANH_P + 2);
  p = step(p, z, TANH_P + 3);
  p = step(p, z, TANH_P + 4);
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const e = expv(f32x4.mul(a, c(MINUS_TWO)));
  const large = f32x4.div(f32x4.sub(c(ONE), e), f32x4.add(c(ONE), e));
  // |tanh| with the sign of x: the polynomial alone would turn −0 into +0.
  return v128.or(abs(v128.bitselect(small, large, f32x4.lt(a, c(TANH_SPLIT)))), v128.and(x, ci(SIGN)));
}

/** 1 / (1 + e^−x), as 1 / (1 + e) for x ≥ 0 and e / (1 + e) for x < 0 with e = e^−|x| (never overflows). */
@inline export function sigmoidv(x: v128): v128 {
  const e = expv(v128.or(x, ci(SIGN)));
  return f32x4.div(v128.bitselect(e, c(ONE), f32x4.lt(x, c(ZERO))), f32x4.add(c(ONE), e));
}

// Numerical Recipes' erfcc in f64 for z = a/√2: erfc(z) = t·e^X, t = 1/(1 + z/2), X = −z² + P(t).

/** t = 1/(1 + a/(2√2)) in f64 lanes. */
@inline function erfcT(a: v128): v128 {
  return f64x2.div(cd(D_ONE), f64x2.add(cd(D_ONE), f64x2.mul(a, cd(D_T))));
}

@inline function erfcStep(p: v128, t: v128, i: i32): v128 {
  return f64x2.add(f64x2.mul(p, t), cd(i));
}

/** X = −a²/2 + P(t) in f64 lanes. */
@inline function erfcExponent(a: v128, t: v128): v128 {
  let p = erfcStep(cd(ERFC_P), t, ERFC_P + 1);
  p = erfcStep(p, t, ERFC_P + 2);
  p = erfcStep(p, t, ERFC_P + 3);
  p = erfcStep(p, t, ERFC_P + 4);
  p = erfcStep(p, t, ERFC_P + 5);
  p = erfcStep(p, t, ERFC_P + 6);
  p = erfcStep(p, t, ERFC_P + 7);
  p = erfcStep(p, t, ERFC_P + 8);
  p = erfcStep(p, t, ERFC_P + 9);
  return f64x2.add(p, minusHalfSq(a));
}

/** −v²/2 in f64 lanes (exact for v from f32). */
@inline function minusHalfSq(v: v128): v128 {
  return f64x2.mul(f64x2.mul(v, v), cd(D_MINUS_HALF));
}

/** Four f32 lanes from two f64x2 (lanes 0–1 from lo, 2–3 from hi). */
@inline function demote(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** What demote loses: four f32 lanes of lo − f32(lo), hi − f32(hi). */
@inline function demoteRest(lo: v128, hi: v128, rounded: v128): v128 {
  const rl = f64x2.sub(lo, f64x2.promote_low_f32x4(rounded));
  const rh = f64x2.sub(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(rounded, rounded, 2, 3, 0, 1)));
  return demote(rl, rh);
}

/** e^X·f for X given in f64 lanes (lo, hi), through the f32 exp with X split into an f32 and its remainder. */
@inline function expOf64(lo: v128, hi: v128, f: v128): v128 {
  const x = demote(lo, hi);
  return expReduced(x, demoteRest(lo, hi, x), true, f, true);
}

/** a ≥ 0 with the sign of x. */
@inline function signed(a: v128, x: v128): v128 {
  return v128.or(a, v128.and(x, ci(SIGN)));
}

/** The low and high f32 lanes of a in f64. */
@inline function low64(a: v128): v128 {
  return f64x2.promote_low_f32x4(a);
}

@inline function high64(a: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(a, a, 2, 3, 0, 1));
}

/**
 * x·Φ(x), GELU with the exact normal CDF Φ(x) = ½erfc(−x/√2), erfc by Numerical Recipes' erfcc: its
 * polynomial in f64, so that nothing cancels in f32, and the exponential in f32 from the f64 exponent
 * split in two. x·(1 − ½t·e^X) for x ≥ 0, ½x·t·e^X for x < 0. |x| is clamped to 16 (NaN kept).
 */
@inline export function geluv(x: v128): v128 {
  const a = f32x4.pmin(abs(x), c(GELU_CLAMP));
  const al = low64(a), ah = high64(a);
  const tl = erfcT(al), th = erfcT(ah);
  const negative = f32x4.lt(x, c(ZERO));
  // ½t·e^X, times x (clamped as |x|) where x < 0, inside the exponential's scaling so that a subnormal
  // result rounds once.
  const f = f32x4.mul(f32x4.mul(demote(tl, th), c(HALF)), v128.bitselect(signed(a, x), c(ONE), negative));
  const e = expOf64(erfcExponent(al, tl), erfcExponent(ah, th), f);
  // x·Φ(x) at x = −∞ is −∞·0 = NaN, as the formula gives it (and PyTorch): the clamp must not hide it.
  const y = v128.bitselect(e, f32x4.mul(x, f32x4.sub(c(ONE), e)), negative);
  return v128.bitselect(c(NAN), y, f32x4.eq(x, c(NEG_INF)));
}

/** d/dx x·Φ(x) = Φ(x) + x·φ(x), with φ(x) = e^(−x²/2)/√(2π) (−x²/2 exact in f64). */
@inline export function geluGradv(x: v128): v128 {
  const a = f32x4.pmin(abs(x), c(GELU_CLAMP));
  const al = low64(a), ah = high64(a);
  const tl = erfcT(al), th = erfcT(ah);
  const half = expOf64(erfcExponent(al, tl), erfcExponent(ah, th), f32x4.mul(demote(tl, th), c(HALF))); // Φ(−|x|)
  const cdf = v128.bitselect(half, f32x4.sub(c(ONE), half), f32x4.lt(x, c(ZERO)));
  // x·φ(x), the factor x/√(2π) inside the exponential's scaling (φ underflows first where x·φ does not).
  const d = f32x4.add(cdf, expOf64(minusHalfSq(al), minusHalfSq(ah), f32x4.mul(signed(a, x), c(INV_SQRT_2PI))));
  // At x = ±∞, x·φ(x) is ±∞·0 = NaN, as the formula gives it: the clamp must not hide it.
  return v128.bitselect(c(NAN), d, f32x4.eq(abs(x), c(INF)));
}
