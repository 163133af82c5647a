import { CLIP, G_SCALE, hp, L2, P_DECAY, preprocess, stage, unstage, wholeBytes } from './tail';

// Hyper-parameters after the shared four (see tail.ts).
const DECAY = 4, ONE_MINUS_DECAY = 5, V_SCALE = 6, EPS = 7, MOMENTUM = 8, S_IN = 9, K1 = 10, K2 = 11, P_OUT = 12;
// Bits of `flags`. src/kernels/optimizer-steps.ts declares both lists too; a test compares them.
const CENTERED = 1, USE_MOMENTUM = 2, SIMPLE = 4, EPS_IN_SQRT = 8;

// The flags are constants after inlining, so each combination compiles to its own branch-free loop:
// sqrt and div bound this loop, and every operation the simple cases skip shows in the throughput.
@inline function loop(
  centered: bool, useMomentum: bool, simple: bool, epsInSqrt: bool,
  p: usize, g: usize, v: usize, mg: usize, buf: usize, bytes: usize,
): void {
  const gScale = hp(G_SCALE), clip = hp(CLIP), negClip = f32x4.neg(clip), l2 = hp(L2), pDecay = hp(P_DECAY);
  const decay = hp(DECAY), oneMinusDecay = hp(ONE_MINUS_DECAY), vScale = hp(V_SCALE);
  const eps = hp(EPS), momentum = hp(MOMENTUM), sIn = hp(S_IN), k1 = hp(K1), k2 = hp(K2), pOut = hp(P_OUT);
  for (let i: usize = 0; i < bytes; i += 16) {
    let pv = v128.load(p + i);
    let gv = v128.load(g + i);
    if (!simple) {
      gv = preprocess(gv, pv, gScale, clip, negClip, l2);
      pv = f32x4.mul(pv, pDecay);
    }
    const vv = f32x4.add(f32x4.mul(v128.load(v + i), decay), f32x4.mul(f32x4.mul(gv, gv), oneMinusDecay));
    v128.store(v + i, vv);
    let w = simple ? vv : f32x4.mul(vv, vScale);
    if (centered) {
      const mv = f32x4.add(f32x4.mul(v128.load(mg + i), decay), f32x4.mul(gv, oneMinusDecay));
      v128.store(mg + i, mv);
      const mh = simple ? mv : f32x4.mul(mv, vScale);
      // Round-off can make v − ḡ² slightly negative; clamp so the root is never NaN.
      w = f32x4.pmax(f32x4.sub(w, f32x4.mul(mh, mh)), f32x4.splat(0));
    }
    const d = epsInSqrt ? f32x4.sqrt(f32x4.add(w, eps)) : f32x4.add(f32x4.sqrt(w), eps);
    const u = f32x4.div(gv, d);
    if (useMomentum) {
      const s = f32x4.mul(u, sIn);
      const bv = f32x4.add(f32x4.mul(v128.load(buf + i), momentum), s);
      v128.store(buf + i, bv);
      pv = f32x4.sub(pv, f32x4.mul(f32x4.add(f32x4.mul(bv, k1), f32x4.mul(s, k2)), pOut));
    } else {
      pv = f32x4.sub(pv, f32x4.mul(u, pOut));
    }
    v128.store(p + i, pv);
  }
}

@inline function run(
  centered: bool, useMomentum: bool, simple: bool, epsInSqrt: bool,
  p: usize, g: usize, v: usize, mg: usize, buf: usize, n: usize,
): void {
  loop(centered, useMomentum, simple, epsInSqrt, p, g, v, mg, buf, wholeBytes(n));
  if (n & 3) {
    const tp = stage(0, p, n), tg = stage(1, g, n), tv = stage(2, v, n), tm = stage(3, mg, n), tb = stage(4, buf, n);
    loop(centered, useMomentum, simple, epsInSqrt, tp, tg, tv, tm, tb, 16);
    unstage(0, p, n);
    unstage(2, v, n);
    unstage(3, mg, n);
    unstage(4, buf, n);
  }
}

/**
 * RMSProp: v ← decay·v + (1−decay)·g²; u = g / d with d = √(w + ε) or √w + ε, w = v·vScale, centered
 * w = v·vScale − (ḡ·vScale)² ≥ 0. Without momentum p ← p·pDecay − pOut·u. With momentum
 * b ← momentum·b + sIn·u and p ← p·pDecay − pOut·(k1·b + k2·sIn·u): sIn/pOut place the learning rate
 * inside or outside the buffer, k1/k2 choose plain (1, 0) or Nesterov (momentum, 1) momentum.
 * Flags: CENTERED, USE_MOMENTUM, SIMPLE (no preprocessing, vScale 1), EPS_IN_SQRT (ε inside the root).
 */
export function rmsprop(p: usize, g: usize, v: usize, mg: usize, buf: usize, n: usize, flags: i32): void {
  switch (flags) {
    case 0: run(false, false, false, false, p, g, v, mg, buf, n); break;
    case CENTERED: run(true, false, false, false, p, g, v, mg, buf, n); break;
    case USE_MOMENTUM: run(false, true, false, false, p, g, v, mg, buf, n); break;
    case CENTERED | USE_MOMENTUM: run(true, true, false, false, p, g, v, mg, buf, n); break;
    case SIMPLE: run(false, false, true, false, p, g, v, mg, buf, n); break;
    case CENTERED | SIMPLE: run(true, false, true, false, p, g, v, mg, buf, n); break;
    case USE_MOMENTUM | SIMPLE: run(false, true, true, false, p, g, v, mg, buf, n); break;
    case CENTERED | USE_MOMENTUM | SIMPLE: run(true, true, true, false, p, g, v, mg, buf, n); break;
    case EPS_IN_SQRT: run(false, false, false, true, p, g, v, mg, buf, n); break;
    case CENTERED | EPS_IN_SQRT: run(true, false, false, true, p, g, v, mg, buf, n); break;
    case USE_MOMENTUM | EPS_IN_SQRT: run(false, true, false, true, p, g, v, mg, buf, n); break;
    case CENTERED | USE_MOMENTUM | EPS_IN_SQRT: run(true, true, false, true, p, g, v, mg, buf, n); break;
    case SIMPLE | EPS_IN_SQRT: run(false, false, true, true, p, g, v, mg, buf, n); break;
    case CENTERED | SIMPLE | EPS_IN_SQRT: run(true, false, true, true, p, g, v, mg, buf, n); break;
    case USE_MOMENTUM | SIMPLE | EPS_IN_SQRT: run(false, true, true, true, p, g, v, mg, buf, n); break;
    default: run(true, true, true, true, p, g, v, mg, buf, n);
  }
}
