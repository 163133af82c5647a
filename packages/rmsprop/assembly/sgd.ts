import { CLIP, G_SCALE, hp, L2, P_DECAY, preprocess, stage, unstage, wholeBytes } from './tail';

// Hyper-parameters after the shared four (see tail.ts).
const MOMENTUM = 4, DAMP = 5, S_IN = 6, K1 = 7, K2 = 8, P_OUT = 9;
// Bits of `flags`. src/kernels/optimizer-steps.ts declares both lists too; a test compares them.
const USE_MOMENTUM = 1, SIMPLE = 2;

@inline function loop(useMomentum: bool, simple: bool, p: usize, g: usize, buf: usize, bytes: usize): void {
  const gScale = hp(G_SCALE), clip = hp(CLIP), negClip = f32x4.neg(clip), l2 = hp(L2), pDecay = hp(P_DECAY);
  const momentum = hp(MOMENTUM), damp = hp(DAMP), sIn = hp(S_IN), k1 = hp(K1), k2 = hp(K2), pOut = hp(P_OUT);
  for (let i: usize = 0; i < bytes; i += 16) {
    let pv = v128.load(p + i);
    let gv = v128.load(g + i);
    if (!simple) {
      gv = preprocess(gv, pv, gScale, clip, negClip, l2);
      pv = f32x4.mul(pv, pDecay);
    }
    if (useMomentum) {
      const s = f32x4.mul(gv, sIn);
      const bv = f32x4.add(f32x4.mul(v128.load(buf + i), momentum), f32x4.mul(s, damp));
      v128.store(buf + i, bv);
      pv = f32x4.sub(pv, f32x4.mul(f32x4.add(f32x4.mul(bv, k1), f32x4.mul(s, k2)), pOut));
    } else {
      pv = f32x4.sub(pv, f32x4.mul(gv, pOut));
    }
    v128.store(p + i, pv);
  }
}

@inline function run(useMomentum: bool, simple: bool, p: usize, g: usize, buf: usize, n: usize): void {
  loop(useMomentum, simple, p, g, buf, wholeBytes(n));
  if (n & 3) {
    const tp = stage(0, p, n), tg = stage(1, g, n), tb = stage(2, buf, n);
    loop(useMomentum, simple, tp, tg, tb, 16);
    unstage(0, p, n);
    unstage(2, buf, n);
  }
}

/**
 * SGD: without momentum p ← p·pDecay − pOut·g. With momentum b ← momentum·b + damp·sIn·g and
 * p ← p·pDecay − pOut·(k1·b + k2·sIn·g), the same placement of lr and choice of Nesterov as RMSProp.
 * Flags: USE_MOMENTUM, SIMPLE (no preprocessing).
 */
export function sgd(p: usize, g: usize, buf: usize, n: usize, flags: i32): void {
  switch (flags) {
    case 0: run(false, false, p, g, buf, n); break;
    case USE_MOMENTUM: run(true, false, p, g, buf, n); break;
    case SIMPLE: run(false, true, p, g, buf, n); break;
    default: run(true, true, p, g, buf, n);
  }
}
