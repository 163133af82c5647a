import { preprocess, stage, unstage, wholeBytes } from './tail';

@inline function loop(
  useMomentum: bool, p: usize, g: usize, buf: usize, bytes: usize,
  gScale: v128, clip: v128, l2: v128, pDecay: v128, momentum: v128, damp: v128,
  sIn: v128, k1: v128, k2: v128, pOut: v128,
): void {
  for (let i: usize = 0; i < bytes; i += 16) {
    let pv = v128.load(p + i);
    const gv = preprocess(v128.load(g + i), pv, gScale, clip, l2);
    pv = f32x4.mul(pv, pDecay);
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

@inline function run(
  useMomentum: bool, p: usize, g: usize, buf: usize, n: usize,
  gScale: f32, clip: f32, l2: f32, pDecay: f32, momentum: f32, damp: f32,
  sIn: f32, k1: f32, k2: f32, pOut: f32,
): void {
  const a = f32x4.splat(gScale), c = f32x4.splat(clip), l = f32x4.splat(l2), pd = f32x4.splat(pDecay);
  const mo = f32x4.splat(momentum), dm = f32x4.splat(damp), si = f32x4.splat(sIn);
  const q1 = f32x4.splat(k1), q2 = f32x4.splat(k2), po = f32x4.splat(pOut);
  loop(useMomentum, p, g, buf, wholeBytes(n), a, c, l, pd, mo, dm, si, q1, q2, po);
  if (n & 3) {
    const tp = stage(0, p, n), tg = stage(1, g, n), tb = stage(2, buf, n);
    loop(useMomentum, tp, tg, tb, 16, a, c, l, pd, mo, dm, si, q1, q2, po);
    unstage(0, p, n);
    unstage(2, buf, n);
  }
}

/**
 * SGD: without momentum p ← p·pDecay − pOut·g. With momentum b ← momentum·b + damp·sIn·g and
 * p ← p·pDecay − pOut·(k1·b + k2·sIn·g), the same placement of lr and choice of Nesterov as RMSProp.
 */
export function sgd(
  p: usize, g: usize, buf: usize, n: usize, useMomentum: bool,
  gScale: f32, clip: f32, l2: f32, pDecay: f32, momentum: f32, damp: f32,
  sIn: f32, k1: f32, k2: f32, pOut: f32,
): void {
  if (useMomentum) run(true, p, g, buf, n, gScale, clip, l2, pDecay, momentum, damp, sIn, k1, k2, pOut);
  else run(false, p, g, buf, n, gScale, clip, l2, pDecay, momentum, damp, sIn, k1, k2, pOut);
}
