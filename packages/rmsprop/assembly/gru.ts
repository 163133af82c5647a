// One GRU time step, forward and backward, over n rows of `hidden` units, as PyTorch's GRU: gates in the
// order reset, update, new, each a block of `hidden` floats in a row of 3·hidden, and the reset gate scales
// the recurrent share of the new gate *with* its bias, n = tanh(x_n + r·(W_hn·h + b_hn)). Rows whose width
// is not a multiple of four end through tail.ts's staging rows, those of part `part` (the thread running
// these rows), so there is one definition of the arithmetic.
import { sigmoidv, tanhv } from './transcendental';
import { stage, unstage, wholeBytes } from './tail';

@inline function one(): v128 {
  return f32x4.splat(1);
}

/** Four lanes of a bias, or zeros for a layer without one (p = 0). */
@inline function bias(p: usize): v128 {
  return p ? v128.load(p) : f32x4.splat(0);
}

/** The address `b` bytes into a bias block, or 0 for none. */
@inline function at(p: usize, b: usize): usize {
  return p ? p + b : 0;
}

// x* hold the input's share of the gates (with b_ih) and receive the activated gates r, z, n; h* hold the
// recurrent share W_hh·h without its bias. hn receives W_hn·h + b_hn (the backward pass needs it), and
// h' = n + z·(h − n), which is (1 − z)·n + z·h as PyTorch's fused cell computes it.
@inline function forwardLanes(
  xr: usize, xz: usize, xn: usize, hr: usize, hz: usize, hh: usize, br: usize, bz: usize, bn: usize,
  hPrev: usize, h: usize, hn: usize,
): void {
  const r = sigmoidv(f32x4.add(v128.load(xr), f32x4.add(v128.load(hr), bias(br))));
  const z = sigmoidv(f32x4.add(v128.load(xz), f32x4.add(v128.load(hz), bias(bz))));
  const m = f32x4.add(v128.load(hh), bias(bn));
  const n = tanhv(f32x4.add(v128.load(xn), f32x4.mul(r, m)));
  const hp = v128.load(hPrev);
  v128.store(xr, r);
  v128.store(xz, z);
  v128.store(xn, n);
  v128.store(hn, m);
  v128.store(h, f32x4.add(n, f32x4.mul(z, f32x4.sub(hp, n))));
}

/**
 * x [n, 3·hidden] of the input's share of the gates (x·W_ihᵀ + b_ih) becomes the activated gates r, z, n
 * (in place); hh [n, 3·hidden] is h·W_hhᵀ, bhh [3·hidden] its bias (0 for none); hPrev, h and hn
 * [n, hidden]: the previous and the new hidden state, and W_hn·h + b_hn kept for the backward pass.
 */
export function gruCell(
  x: usize, hh: usize, bhh: usize, hPrev: usize, h: usize, hn: usize, n: usize, hidden: usize, part: usize,
): void {
  const hb = hidden << 2;
  const whole = wholeBytes(hidden);
  const br = bhh, bz = at(bhh, hb), bn = at(bhh, 2 * hb);
  for (let r: usize = 0; r < n; r++) {
    const xr = x + 3 * r * hb, xz = xr + hb, xn = xz + hb;
    const hr = hh + 3 * r * hb, hz = hr + hb, hm = hz + hb;
    const s = r * hb;
    for (let b: usize = 0; b < whole; b += 16) {
      forwardLanes(
        xr + b, xz + b, xn + b, hr + b, hz + b, hm + b, at(br, b), at(bz, b), at(bn, b),
        hPrev + s + b, h + s + b, hn + s + b,
      );
    }
    if (hidden & 3) {
      forwardLanes(
        stage(0, xr, hidden, part), stage(1, xz, hidden, part), stage(2, xn, hidden, part),
        stage(3, hr, hidden, part), stage(4, hz, hidden, part), stage(5, hm, hidden, part),
        stage(6, br, hidden, part), stage(7, bz, hidden, part), stage(8, bn, hidden, part),
        stage(9, hPrev + s, hidden, part), stage(10, 0, hidden, part), stage(11, 0, hidden, part),
      );
      unstage(0, xr, hidden, part);
      unstage(1, xz, hidden, part);
      unstage(2, xn, hidden, part);
      unstage(10, h + s, hidden, part);
      unstage(11, hn + s, hidden, part);
    }
  }
}

// From the gradient dh of h': the gradients of the input's share of the gates (dxr, dxz, dxn), of the
// recurrent share (dhr, dhz, dhn: the same but dhn = dxn·r) and h' = n + z·(h − n)'s direct share of the
// gradient of h, dhPrev = dh·z (may alias dh: dh is read first).
@inline function backwardLanes(
  r: usize, z: usize, n: usize, hn: usize, hPrev: usize, dh: usize,
  dxr: usize, dxz: usize, dxn: usize, dhr: usize, dhz: usize, dhn: usize, dhPrev: usize,
): void {
  const rv = v128.load(r), zv = v128.load(z), nv = v128.load(n), g = v128.load(dh);
  // tanh' = (1 − n)(1 + n) and σ' = s·(1 − s), from the activated gates.
  const dn = f32x4.mul(f32x4.mul(g, f32x4.sub(one(), zv)), f32x4.mul(f32x4.sub(one(), nv), f32x4.add(one(), nv)));
  const dz = f32x4.mul(f32x4.mul(g, f32x4.sub(v128.load(hPrev), nv)), f32x4.mul(zv, f32x4.sub(one(), zv)));
  const dr = f32x4.mul(f32x4.mul(dn, v128.load(hn)), f32x4.mul(rv, f32x4.sub(one(), rv)));
  v128.store(dxr, dr);
  v128.store(dxz, dz);
  v128.store(dxn, dn);
  v128.store(dhr, dr);
  v128.store(dhz, dz);
  v128.store(dhn, f32x4.mul(dn, rv));
  v128.store(dhPrev, f32x4.mul(g, zv));
}

/**
 * The gradient of gruCell: gates [n, 3·hidden] (activated, as gruCell left them), hn and hPrev [n, hidden],
 * dh the gradient of h' → dx and dhh [n, 3·hidden], the gradients of the input's and the recurrent share
 * of the gates (before the activations), and dhPrev = dh·z [n, hidden] (may be dh), the part of the
 * gradient of h that does not flow through W_hh.
 */
export function gruCellBackward(
  gates: usize, hn: usize, hPrev: usize, dh: usize, dx: usize, dhh: usize, dhPrev: usize, n: usize,
  hidden: usize, part: usize,
): void {
  const hb = hidden << 2;
  const whole = wholeBytes(hidden);
  for (let r: usize = 0; r < n; r++) {
    const gr = gates + 3 * r * hb, gz = gr + hb, gn = gz + hb;
    const xr = dx + 3 * r * hb, xz = xr + hb, xn = xz + hb;
    const hr = dhh + 3 * r * hb, hz = hr + hb, hm = hz + hb;
    const s = r * hb;
    for (let b: usize = 0; b < whole; b += 16) {
      backwardLanes(
        gr + b, gz + b, gn + b, hn + s + b, hPrev + s + b, dh + s + b,
        xr + b, xz + b, xn + b, hr + b, hz + b, hm + b, dhPrev + s + b,
      );
    }
    if (hidden & 3) {
      backwardLanes(
        stage(0, gr, hidden, part), stage(1, gz, hidden, part), stage(2, gn, hidden, part),
        stage(3, hn + s, hidden, part), stage(4, hPrev + s, hidden, part), stage(5, dh + s, hidden, part),
        stage(6, 0, hidden, part), stage(7, 0, hidden, part), stage(8, 0, hidden, part),
        stage(9, 0, hidden, part), stage(10, 0, hidden, part), stage(11, 0, hidden, part),
        stage(12, 0, hidden, part),
      );
      unstage(6, xr, hidden, part);
      unstage(7, xz, hidden, part);
      unstage(8, xn, hidden, part);
      unstage(9, hr, hidden, part);
      unstage(10, hz, hidden, part);
      unstage(11, hm, hidden, part);
      unstage(12, dhPrev + s, hidden, part);
    }
  }
}
