// One LSTM time step, forward and backward, over n rows of `hidden` units: the gate activations and the
// cell update in one pass instead of nine element-wise ops. Gates in PyTorch's order (input, forget,
// cell, output), each a block of `hidden` floats in a row of 4·hidden. Rows whose width is not a multiple
// of four end through tail.ts's staging rows, so there is one definition of the arithmetic; those of part
// `part`, the thread running this range of rows (the parts run at once).
import { sigmoidv, tanhv } from './transcendental';
import { stage, unstage, wholeBytes } from './tail';

@inline function one(): v128 {
  return f32x4.splat(1);
}

// z holds the pre-activations and receives the activated gates; c = f·cPrev + i·g, tc = tanh c, h = o·tc.
@inline function forwardLanes(i: usize, f: usize, g: usize, o: usize, cPrev: usize, c: usize, h: usize, tc: usize): void {
  const ig = sigmoidv(v128.load(i));
  const fg = sigmoidv(v128.load(f));
  const gg = tanhv(v128.load(g));
  const og = sigmoidv(v128.load(o));
  const cn = f32x4.add(f32x4.mul(fg, v128.load(cPrev)), f32x4.mul(ig, gg));
  const t = tanhv(cn);
  v128.store(i, ig);
  v128.store(f, fg);
  v128.store(g, gg);
  v128.store(o, og);
  v128.store(c, cn);
  v128.store(tc, t);
  v128.store(h, f32x4.mul(og, t));
}

/**
 * z [n, 4·hidden] pre-activations → activated gates (in place); cPrev, c, h, tc [n, hidden]: the new cell
 * state, the hidden state and tanh of the cell state (kept for the backward pass).
 */
export function lstmCell(
  z: usize, cPrev: usize, c: usize, h: usize, tc: usize, n: usize, hidden: usize, part: usize,
): void {
  const hb = hidden << 2;
  const whole = wholeBytes(hidden);
  for (let r: usize = 0; r < n; r++) {
    const zi = z + 4 * r * hb, zf = zi + hb, zg = zf + hb, zo = zg + hb;
    const s = r * hb;
    for (let b: usize = 0; b < whole; b += 16) {
      forwardLanes(zi + b, zf + b, zg + b, zo + b, cPrev + s + b, c + s + b, h + s + b, tc + s + b);
    }
    if (hidden & 3) {
      forwardLanes(
        stage(0, zi, hidden, part), stage(1, zf, hidden, part), stage(2, zg, hidden, part), stage(3, zo, hidden, part),
        stage(4, cPrev + s, hidden, part), stage(5, 0, hidden, part), stage(6, 0, hidden, part), stage(7, 0, hidden, part),
      );
      unstage(0, zi, hidden, part);
      unstage(1, zf, hidden, part);
      unstage(2, zg, hidden, part);
      unstage(3, zo, hidden, part);
      unstage(5, c + s, hidden, part);
      unstage(6, h + s, hidden, part);
      unstage(7, tc + s, hidden, part);
    }
  }
}

// From the gradients dh and dc of h and c: dcPrev (may alias dc) and the pre-activation gradients dz.
@inline function backwardLanes(
  i: usize, f: usize, g: usize, o: usize, cPrev: usize, tc: usize, dh: usize, dc: usize,
  di: usize, df: usize, dg: usize, dout: usize, dcPrev: usize,
): void {
  const ig = v128.load(i), fg = v128.load(f), gg = v128.load(g), og = v128.load(o);
  const t = v128.load(tc), gh = v128.load(dh);
  // d(loss)/dc: from the next step, and through h = o·tanh c with tanh' = (1 − t)(1 + t).
  const dct = f32x4.add(
    v128.load(dc),
    f32x4.mul(f32x4.mul(gh, og), f32x4.mul(f32x4.sub(one(), t), f32x4.add(one(), t))),
  );
  v128.store(di, f32x4.mul(f32x4.mul(dct, gg), f32x4.mul(ig, f32x4.sub(one(), ig))));
  v128.store(df, f32x4.mul(f32x4.mul(dct, v128.load(cPrev)), f32x4.mul(fg, f32x4.sub(one(), fg))));
  v128.store(dg, f32x4.mul(f32x4.mul(dct, ig), f32x4.mul(f32x4.sub(one(), gg), f32x4.add(one(), gg))));
  v128.store(dout, f32x4.mul(f32x4.mul(gh, t), f32x4.mul(og, f32x4.sub(one(), og))));
  v128.store(dcPrev, f32x4.mul(dct, fg));
}

/**
 * The gradient of lstmCell: gates [n, 4·hidden] (activated, as lstmCell left them), cPrev and tc
 * [n, hidden], dh and dc the gradients of h and c → dz [n, 4·hidden], dcPrev [n, hidden] (may be dc).
 */
export function lstmCellBackward(
  gates: usize, cPrev: usize, tc: usize, dh: usize, dc: usize, dz: usize, dcPrev: usize, n: usize, hidden: usize,
  part: usize,
): void {
  const hb = hidden << 2;
  const whole = wholeBytes(hidden);
  for (let r: usize = 0; r < n; r++) {
    const gi = gates + 4 * r * hb, gf = gi + hb, gg = gf + hb, go = gg + hb;
    const di = dz + 4 * r * hb, df = di + hb, dg = df + hb, dout = dg + hb;
    const s = r * hb;
    for (let b: usize = 0; b < whole; b += 16) {
      backwardLanes(
        gi + b, gf + b, gg + b, go + b, cPrev + s + b, tc + s + b, dh + s + b, dc + s + b,
        di + b, df + b, dg + b, dout + b, dcPrev + s + b,
      );
    }
    if (hidden & 3) {
      backwardLanes(
        stage(0, gi, hidden, part), stage(1, gf, hidden, part), stage(2, gg, hidden, part), stage(3, go, hidden, part),
        stage(4, cPrev + s, hidden, part), stage(5, tc + s, hidden, part), stage(6, dh + s, hidden, part), stage(7, dc + s, hidden, part),
        stage(8, 0, hidden, part), stage(9, 0, hidden, part), stage(10, 0, hidden, part), stage(11, 0, hidden, part), stage(12, 0, hidden, part),
      );
      unstage(8, di, hidden, part);
      unstage(9, df, hidden, part);
      unstage(10, dg, hidden, part);
      unstage(11, dout, hidden, part);
      unstage(12, dcPrev + s, hidden, part);
    }
  }
}
