import { CLIP, G_SCALE, hp, L2, P_DECAY, preprocess, stage, unstage, wholeBytes } from './tail';

// Hyper-parameters after the shared four (see tail.ts).
const EPS = 4, LR = 5;
// Bits of `flags`. src/kernels/optimizer-steps.ts declares both lists too; a test compares them.
const SIMPLE = 1, EPS_IN_SQRT = 2;

@inline function loop(simple: bool, epsInSqrt: bool, p: usize, g: usize, sum: usize, bytes: usize): void {
  const gScale = hp(G_SCALE), clip = hp(CLIP), negClip = f32x4.neg(clip), l2 = hp(L2), pDecay = hp(P_DECAY);
  const eps = hp(EPS), lr = hp(LR), zero = f32x4.splat(0);
  for (let i: usize = 0; i < bytes; i += 16) {
    let pv = v128.load(p + i);
    let gv = v128.load(g + i);
    if (!simple) {
      gv = preprocess(gv, pv, gScale, clip, negClip, l2);
      pv = f32x4.mul(pv, pDecay);
    }
    const sv = f32x4.add(v128.load(sum + i), f32x4.mul(gv, gv));
    v128.store(sum + i, sv);
    const d = epsInSqrt ? f32x4.sqrt(f32x4.add(sv, eps)) : f32x4.add(f32x4.sqrt(sv), eps);
    // With ε = 0 an untouched coordinate has 0/0; Optax defines its step as 0.
    const u = v128.and(f32x4.div(gv, d), f32x4.gt(d, zero));
    v128.store(p + i, f32x4.sub(pv, f32x4.mul(u, lr)));
  }
}

@inline function run(simple: bool, epsInSqrt: bool, p: usize, g: usize, sum: usize, n: usize): void {
  loop(simple, epsInSqrt, p, g, sum, wholeBytes(n));
  if (n & 3) {
    const tp = stage(0, p, n), tg = stage(1, g, n), ts = stage(2, sum, n);
    loop(simple, epsInSqrt, tp, tg, ts, 16);
    unstage(0, p, n);
    unstage(2, sum, n);
  }
}

/** Adagrad: sum ← sum + g²; p ← p·pDecay − lr·g / d, d = √(sum + ε) or √sum + ε. Flags: SIMPLE, EPS_IN_SQRT. */
export function adagrad(p: usize, g: usize, sum: usize, n: usize, flags: i32): void {
  switch (flags) {
    case 0: run(false, false, p, g, sum, n); break;
    case SIMPLE: run(true, false, p, g, sum, n); break;
    case EPS_IN_SQRT: run(false, true, p, g, sum, n); break;
    default: run(true, true, p, g, sum, n);
  }
}
