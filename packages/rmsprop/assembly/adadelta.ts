import { CLIP, G_SCALE, hp, L2, P_DECAY, preprocess, stage, unstage, wholeBytes } from './tail';

// Hyper-parameters after the shared four (see tail.ts).
const DECAY = 4, ONE_MINUS_DECAY = 5, EPS = 6, LR = 7;
// Bits of `flags`. src/kernels/optimizer-steps.ts declares both lists too; a test compares them.
const SIMPLE = 1;

@inline function loop(simple: bool, p: usize, g: usize, sq: usize, acc: usize, bytes: usize): void {
  const gScale = hp(G_SCALE), clip = hp(CLIP), negClip = f32x4.neg(clip), l2 = hp(L2), pDecay = hp(P_DECAY);
  const decay = hp(DECAY), oneMinusDecay = hp(ONE_MINUS_DECAY), eps = hp(EPS), lr = hp(LR);
  for (let i: usize = 0; i < bytes; i += 16) {
    let pv = v128.load(p + i);
    let gv = v128.load(g + i);
    if (!simple) {
      gv = preprocess(gv, pv, gScale, clip, negClip, l2);
      pv = f32x4.mul(pv, pDecay);
    }
    const sv = f32x4.add(f32x4.mul(v128.load(sq + i), decay), f32x4.mul(f32x4.mul(gv, gv), oneMinusDecay));
    v128.store(sq + i, sv);
    const av = v128.load(acc + i);
    const delta = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(av, eps)), f32x4.sqrt(f32x4.add(sv, eps))), gv);
    v128.store(acc + i, f32x4.add(f32x4.mul(av, decay), f32x4.mul(f32x4.mul(delta, delta), oneMinusDecay)));
    v128.store(p + i, f32x4.sub(pv, f32x4.mul(delta, lr)));
  }
}

@inline function run(simple: bool, p: usize, g: usize, sq: usize, acc: usize, n: usize): void {
  loop(simple, p, g, sq, acc, wholeBytes(n));
  if (n & 3) {
    const tp = stage(0, p, n), tg = stage(1, g, n), ts = stage(2, sq, n), ta = stage(3, acc, n);
    loop(simple, tp, tg, ts, ta, 16);
    unstage(0, p, n);
    unstage(2, sq, n);
    unstage(3, acc, n);
  }
}

/** Adadelta: v ← ρ·v + (1−ρ)·g²; Δ = √(a + ε)/√(v + ε)·g; a ← ρ·a + (1−ρ)·Δ²; p ← p·pDecay − lr·Δ. Flags: SIMPLE. */
export function adadelta(p: usize, g: usize, sq: usize, acc: usize, n: usize, flags: i32): void {
  if (flags == SIMPLE) run(true, p, g, sq, acc, n);
  else run(false, p, g, sq, acc, n);
}
