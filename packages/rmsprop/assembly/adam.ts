import { CLIP, G_SCALE, hp, L2, P_DECAY, preprocess, stage, unstage, wholeBytes } from './tail';

// Hyper-parameters after the shared four (see tail.ts).
const BETA1 = 4, ONE_MINUS_BETA1 = 5, BETA2 = 6, ONE_MINUS_BETA2 = 7, V_SCALE = 8, W_SCALE = 9;
const EPS_ROOT = 10, EPS = 11, M_SCALE = 12, G_MIX = 13, LR = 14;
// Bits of `flags`. src/kernels/optimizer-steps.ts declares both lists too; a test compares them.
const AMSGRAD = 1, SIMPLE = 2;

@inline function loop(amsgrad: bool, simple: bool, p: usize, g: usize, m: usize, v: usize, vmax: usize, bytes: usize): void {
  const gScale = hp(G_SCALE), clip = hp(CLIP), negClip = f32x4.neg(clip), l2 = hp(L2), pDecay = hp(P_DECAY);
  const b1 = hp(BETA1), ob1 = hp(ONE_MINUS_BETA1), b2 = hp(BETA2), ob2 = hp(ONE_MINUS_BETA2);
  const vScale = hp(V_SCALE), wScale = hp(W_SCALE), epsRoot = hp(EPS_ROOT), eps = hp(EPS);
  const mScale = hp(M_SCALE), gMix = hp(G_MIX), lr = hp(LR);
  for (let i: usize = 0; i < bytes; i += 16) {
    let pv = v128.load(p + i);
    let gv = v128.load(g + i);
    if (!simple) {
      gv = preprocess(gv, pv, gScale, clip, negClip, l2);
      pv = f32x4.mul(pv, pDecay);
    }
    const mv = f32x4.add(f32x4.mul(v128.load(m + i), b1), f32x4.mul(gv, ob1));
    v128.store(m + i, mv);
    const vv = f32x4.add(f32x4.mul(v128.load(v + i), b2), f32x4.mul(f32x4.mul(gv, gv), ob2));
    v128.store(v + i, vv);
    let w = f32x4.mul(vv, vScale);
    if (amsgrad) {
      w = f32x4.pmax(w, v128.load(vmax + i));
      v128.store(vmax + i, w);
    }
    const d = f32x4.add(f32x4.sqrt(f32x4.add(f32x4.mul(w, wScale), epsRoot)), eps);
    const num = f32x4.add(f32x4.mul(mv, mScale), f32x4.mul(gv, gMix));
    v128.store(p + i, f32x4.sub(pv, f32x4.mul(f32x4.div(num, d), lr)));
  }
}

@inline function run(amsgrad: bool, simple: bool, p: usize, g: usize, m: usize, v: usize, vmax: usize, n: usize): void {
  loop(amsgrad, simple, p, g, m, v, vmax, wholeBytes(n));
  if (n & 3) {
    const tp = stage(0, p, n), tg = stage(1, g, n), tm = stage(2, m, n), tv = stage(3, v, n), tx = stage(4, vmax, n);
    loop(amsgrad, simple, tp, tg, tm, tv, tx, 16);
    unstage(0, p, n);
    unstage(2, m, n);
    unstage(3, v, n);
    unstage(4, vmax, n);
  }
}

/**
 * Adam: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; w = v·vScale (AMSGrad: vmax ← max(vmax, w); w = vmax);
 * p ← p·pDecay − lr·(mScale·m + gMix·g) / (√(w·wScale + εroot) + ε). vScale/wScale put the bias
 * correction of v before or after the AMSGrad maximum; mScale carries that of m, and gMix Nesterov's
 * look-ahead term (Optax's `nesterov`, Dozat 2016). Flags: AMSGRAD, SIMPLE (no preprocessing).
 */
export function adam(p: usize, g: usize, m: usize, v: usize, vmax: usize, n: usize, flags: i32): void {
  switch (flags) {
    case 0: run(false, false, p, g, m, v, vmax, n); break;
    case AMSGRAD: run(true, false, p, g, m, v, vmax, n); break;
    case SIMPLE: run(false, true, p, g, m, v, vmax, n); break;
    default: run(true, true, p, g, m, v, vmax, n);
  }
}
