import { preprocess, stage, unstage, wholeBytes } from './tail';

@inline function loop(
  p: usize, g: usize, sum: usize, bytes: usize,
  gScale: v128, clip: v128, l2: v128, pDecay: v128, epsIn: v128, epsOut: v128, lr: v128,
): void {
  const zero = f32x4.splat(0);
  for (let i: usize = 0; i < bytes; i += 16) {
    let pv = v128.load(p + i);
    const gv = preprocess(v128.load(g + i), pv, gScale, clip, l2);
    pv = f32x4.mul(pv, pDecay);
    const sv = f32x4.add(v128.load(sum + i), f32x4.mul(gv, gv));
    v128.store(sum + i, sv);
    const d = f32x4.add(f32x4.sqrt(f32x4.add(sv, epsIn)), epsOut);
    // With ε = 0 an untouched coordinate has 0/0; Optax defines its step as 0.
    const u = v128.and(f32x4.div(gv, d), f32x4.gt(d, zero));
    v128.store(p + i, f32x4.sub(pv, f32x4.mul(u, lr)));
  }
}

/** Adagrad: sum ← sum + g²; p ← p·pDecay − lr·g / (√(sum + epsIn) + epsOut). */
export function adagrad(
  p: usize, g: usize, sum: usize, n: usize,
  gScale: f32, clip: f32, l2: f32, pDecay: f32, epsIn: f32, epsOut: f32, lr: f32,
): void {
  const a = f32x4.splat(gScale), c = f32x4.splat(clip), l = f32x4.splat(l2), pd = f32x4.splat(pDecay);
  const ei = f32x4.splat(epsIn), eo = f32x4.splat(epsOut), r = f32x4.splat(lr);
  loop(p, g, sum, wholeBytes(n), a, c, l, pd, ei, eo, r);
  if (n & 3) {
    const tp = stage(0, p, n), tg = stage(1, g, n), ts = stage(2, sum, n);
    loop(tp, tg, ts, 16, a, c, l, pd, ei, eo, r);
    unstage(0, p, n);
    unstage(2, sum, n);
  }
}
