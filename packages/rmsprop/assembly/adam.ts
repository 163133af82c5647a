import { preprocess, stage, unstage, wholeBytes } from './tail';

@inline function loop(
  amsgrad: bool, p: usize, g: usize, m: usize, v: usize, vmax: usize, bytes: usize,
  gScale: v128, clip: v128, l2: v128, pDecay: v128, b1: v128, ob1: v128, b2: v128, ob2: v128,
  vScale: v128, wScale: v128, epsIn: v128, epsOut: v128, mScale: v128, gMix: v128, lr: v128,
): void {
  for (let i: usize = 0; i < bytes; i += 16) {
    let pv = v128.load(p + i);
    const gv = preprocess(v128.load(g + i), pv, gScale, clip, l2);
    pv = f32x4.mul(pv, pDecay);
    const mv = f32x4.add(f32x4.mul(v128.load(m + i), b1), f32x4.mul(gv, ob1));
    v128.store(m + i, mv);
    const vv = f32x4.add(f32x4.mul(v128.load(v + i), b2), f32x4.mul(f32x4.mul(gv, gv), ob2));
    v128.store(v + i, vv);
    let w = f32x4.mul(vv, vScale);
    if (amsgrad) {
      w = f32x4.max(v128.load(vmax + i), w);
      v128.store(vmax + i, w);
    }
    const d = f32x4.add(f32x4.sqrt(f32x4.add(f32x4.mul(w, wScale), epsIn)), epsOut);
    const num = f32x4.add(f32x4.mul(mv, mScale), f32x4.mul(gv, gMix));
    v128.store(p + i, f32x4.sub(pv, f32x4.mul(f32x4.div(num, d), lr)));
  }
}

@inline function run(
  amsgrad: bool, p: usize, g: usize, m: usize, v: usize, vmax: usize, n: usize,
  gScale: f32, clip: f32, l2: f32, pDecay: f32, beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32,
  vScale: f32, wScale: f32, epsIn: f32, epsOut: f32, mScale: f32, gMix: f32, lr: f32,
): void {
  const a = f32x4.splat(gScale), c = f32x4.splat(clip), l = f32x4.splat(l2), pd = f32x4.splat(pDecay);
  const b1 = f32x4.splat(beta1), ob1 = f32x4.splat(oneMinusBeta1);
  const b2 = f32x4.splat(beta2), ob2 = f32x4.splat(oneMinusBeta2);
  const vs = f32x4.splat(vScale), ws = f32x4.splat(wScale), ei = f32x4.splat(epsIn), eo = f32x4.splat(epsOut);
  const ms = f32x4.splat(mScale), gm = f32x4.splat(gMix), r = f32x4.splat(lr);
  loop(amsgrad, p, g, m, v, vmax, wholeBytes(n), a, c, l, pd, b1, ob1, b2, ob2, vs, ws, ei, eo, ms, gm, r);
  if (n & 3) {
    const tp = stage(0, p, n), tg = stage(1, g, n), tm = stage(2, m, n), tv = stage(3, v, n), tx = stage(4, vmax, n);
    loop(amsgrad, tp, tg, tm, tv, tx, 16, a, c, l, pd, b1, ob1, b2, ob2, vs, ws, ei, eo, ms, gm, r);
    unstage(0, p, n);
    unstage(2, m, n);
    unstage(3, v, n);
    unstage(4, vmax, n);
  }
}

/**
 * Adam: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; w = v·vScale (AMSGrad: vmax ← max(vmax, w); w = vmax);
 * p ← p·pDecay − lr·(mScale·m + gMix·g) / (√(w·wScale + epsIn) + epsOut). vScale/wScale put the bias
 * correction of v before or after the AMSGrad maximum; mScale carries that of m, and gMix Nesterov's
 * look-ahead term (Optax's `nesterov`, Dozat 2016).
 */
export function adam(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: usize, amsgrad: bool,
  gScale: f32, clip: f32, l2: f32, pDecay: f32, beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32,
  vScale: f32, wScale: f32, epsIn: f32, epsOut: f32, mScale: f32, gMix: f32, lr: f32,
): void {
  if (amsgrad) run(true, p, g, m, v, vmax, n, gScale, clip, l2, pDecay, beta1, oneMinusBeta1, beta2, oneMinusBeta2, vScale, wScale, epsIn, epsOut, mScale, gMix, lr);
  else run(false, p, g, m, v, vmax, n, gScale, clip, l2, pDecay, beta1, oneMinusBeta1, beta2, oneMinusBeta2, vScale, wScale, epsIn, epsOut, mScale, gMix, lr);
}
