import { preprocess, stage, unstage, wholeBytes } from './tail';

// One pass over memory per parameter. `centered` and `useMomentum` are constants after inlining,
// so each of the four combinations compiles to its own branch-free loop.
@inline function loop(
  centered: bool, useMomentum: bool,
  p: usize, g: usize, v: usize, mg: usize, buf: usize, bytes: usize,
  gScale: v128, clip: v128, l2: v128, pDecay: v128, decay: v128, oneMinusDecay: v128, vScale: v128,
  epsIn: v128, epsOut: v128, momentum: v128, sIn: v128, k1: v128, k2: v128, pOut: v128,
): void {
  for (let i: usize = 0; i < bytes; i += 16) {
    let pv = v128.load(p + i);
    const gv = preprocess(v128.load(g + i), pv, gScale, clip, l2);
    pv = f32x4.mul(pv, pDecay);
    const vv = f32x4.add(f32x4.mul(v128.load(v + i), decay), f32x4.mul(f32x4.mul(gv, gv), oneMinusDecay));
    v128.store(v + i, vv);
    let w = f32x4.mul(vv, vScale);
    if (centered) {
      const mv = f32x4.add(f32x4.mul(v128.load(mg + i), decay), f32x4.mul(gv, oneMinusDecay));
      v128.store(mg + i, mv);
      const mh = f32x4.mul(mv, vScale);
      // Round-off can make v − ḡ² slightly negative; clamp so the root is never NaN.
      w = f32x4.max(f32x4.sub(w, f32x4.mul(mh, mh)), f32x4.splat(0));
    }
    const u = f32x4.div(gv, f32x4.add(f32x4.sqrt(f32x4.add(w, epsIn)), epsOut));
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
  centered: bool, useMomentum: bool,
  p: usize, g: usize, v: usize, mg: usize, buf: usize, n: usize,
  gScale: f32, clip: f32, l2: f32, pDecay: f32, decay: f32, oneMinusDecay: f32, vScale: f32,
  epsIn: f32, epsOut: f32, momentum: f32, sIn: f32, k1: f32, k2: f32, pOut: f32,
): void {
  const a = f32x4.splat(gScale), c = f32x4.splat(clip), l = f32x4.splat(l2), pd = f32x4.splat(pDecay);
  const d = f32x4.splat(decay), od = f32x4.splat(oneMinusDecay), vs = f32x4.splat(vScale);
  const ei = f32x4.splat(epsIn), eo = f32x4.splat(epsOut), mo = f32x4.splat(momentum);
  const si = f32x4.splat(sIn), q1 = f32x4.splat(k1), q2 = f32x4.splat(k2), po = f32x4.splat(pOut);
  loop(centered, useMomentum, p, g, v, mg, buf, wholeBytes(n), a, c, l, pd, d, od, vs, ei, eo, mo, si, q1, q2, po);
  if (n & 3) {
    const tp = stage(0, p, n), tg = stage(1, g, n), tv = stage(2, v, n);
    const tm = stage(3, mg, n), tb = stage(4, buf, n);
    loop(centered, useMomentum, tp, tg, tv, tm, tb, 16, a, c, l, pd, d, od, vs, ei, eo, mo, si, q1, q2, po);
    unstage(0, p, n);
    unstage(2, v, n);
    unstage(3, mg, n);
    unstage(4, buf, n);
  }
}

/**
 * RMSProp: v ← decay·v + (1−decay)·g²; u = g / (√(v·vScale − centered·(ḡ·vScale)² + epsIn) + epsOut).
 * Without momentum p ← p·pDecay − pOut·u. With momentum b ← momentum·b + sIn·u and
 * p ← p·pDecay − pOut·(k1·b + k2·sIn·u): sIn/pOut place the learning rate inside or outside the
 * buffer, k1/k2 choose plain (1, 0) or Nesterov (momentum, 1) momentum.
 */
export function rmsprop(
  p: usize, g: usize, v: usize, mg: usize, buf: usize, n: usize, centered: bool, useMomentum: bool,
  gScale: f32, clip: f32, l2: f32, pDecay: f32, decay: f32, oneMinusDecay: f32, vScale: f32,
  epsIn: f32, epsOut: f32, momentum: f32, sIn: f32, k1: f32, k2: f32, pOut: f32,
): void {
  if (centered) {
    if (useMomentum) run(true, true, p, g, v, mg, buf, n, gScale, clip, l2, pDecay, decay, oneMinusDecay, vScale, epsIn, epsOut, momentum, sIn, k1, k2, pOut);
    else run(true, false, p, g, v, mg, buf, n, gScale, clip, l2, pDecay, decay, oneMinusDecay, vScale, epsIn, epsOut, momentum, sIn, k1, k2, pOut);
  } else {
    if (useMomentum) run(false, true, p, g, v, mg, buf, n, gScale, clip, l2, pDecay, decay, oneMinusDecay, vScale, epsIn, epsOut, momentum, sIn, k1, k2, pOut);
    else run(false, false, p, g, v, mg, buf, n, gScale, clip, l2, pDecay, decay, oneMinusDecay, vScale, epsIn, epsOut, momentum, sIn, k1, k2, pOut);
  }
}
