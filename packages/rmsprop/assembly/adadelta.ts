import { preprocess, stage, unstage, wholeBytes } from './tail';

@inline function loop(
  p: usize, g: usize, sq: usize, acc: usize, bytes: usize,
  gScale: v128, clip: v128, l2: v128, pDecay: v128, decay: v128, oneMinusDecay: v128, eps: v128, lr: v128,
): void {
  for (let i: usize = 0; i < bytes; i += 16) {
    let pv = v128.load(p + i);
    const gv = preprocess(v128.load(g + i), pv, gScale, clip, l2);
    pv = f32x4.mul(pv, pDecay);
    const sv = f32x4.add(f32x4.mul(v128.load(sq + i), decay), f32x4.mul(f32x4.mul(gv, gv), oneMinusDecay));
    v128.store(sq + i, sv);
    const av = v128.load(acc + i);
    const delta = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(av, eps)), f32x4.sqrt(f32x4.add(sv, eps))), gv);
    v128.store(acc + i, f32x4.add(f32x4.mul(av, decay), f32x4.mul(f32x4.mul(delta, delta), oneMinusDecay)));
    v128.store(p + i, f32x4.sub(pv, f32x4.mul(delta, lr)));
  }
}

/** Adadelta: v ← ρ·v + (1−ρ)·g²; Δ = √(a + ε)/√(v + ε)·g; a ← ρ·a + (1−ρ)·Δ²; p ← p·pDecay − lr·Δ. */
export function adadelta(
  p: usize, g: usize, sq: usize, acc: usize, n: usize,
  gScale: f32, clip: f32, l2: f32, pDecay: f32, decay: f32, oneMinusDecay: f32, eps: f32, lr: f32,
): void {
  const a = f32x4.splat(gScale), c = f32x4.splat(clip), l = f32x4.splat(l2), pd = f32x4.splat(pDecay);
  const d = f32x4.splat(decay), od = f32x4.splat(oneMinusDecay), e = f32x4.splat(eps), r = f32x4.splat(lr);
  loop(p, g, sq, acc, wholeBytes(n), a, c, l, pd, d, od, e, r);
  if (n & 3) {
    const tp = stage(0, p, n), tg = stage(1, g, n), ts = stage(2, sq, n), ta = stage(3, acc, n);
    loop(tp, tg, ts, ta, 16, a, c, l, pd, d, od, e, r);
    unstage(0, p, n);
    unstage(2, sq, n);
    unstage(3, acc, n);
  }
}
