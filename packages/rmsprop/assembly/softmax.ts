// Softmax and log-softmax over the last axis of a row-major [rows, cols] matrix, and their gradients.
// Each row: its maximum, Σ e^(x − max) in f64 (x − max made exact by TwoSum), then the outputs. out may
// be x (in place); a gradient's out may be g or y.
import { addHigh, addLow, firstLanes, loadTail, storeTail, total } from './rows';
import { diffError, expDiffv, expv, logv } from './transcendental';

/**
 * The largest element of a row, in all lanes (bytes in whole groups, then the tail, −∞ past the row). A
 * NaN may be passed over: it makes the row's sum NaN, and so every output, as it should.
 */
@inline function rowMax(x: usize, whole: usize, tail: v128): v128 {
  let m0 = tail, m1 = tail;
  let i: usize = 0;
  for (; i + 32 <= whole; i += 32) {
    m0 = f32x4.pmax(m0, v128.load(x + i));
    m1 = f32x4.pmax(m1, v128.load(x + i, 16));
  }
  if (i < whole) m0 = f32x4.pmax(m0, v128.load(x + i));
  let m = f32x4.pmax(m0, m1);
  m = f32x4.pmax(m, v128.shuffle<f32>(m, m, 2, 3, 0, 1));
  m = f32x4.pmax(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2));
  return v128.shuffle<f32>(m, m, 0, 0, 0, 0);
}

/** (x − max) − ln Σ, adding the rounding error of x − max back last. */
@inline function logOf(x: v128, m: v128, c: v128): v128 {
  const d = f32x4.sub(x, m);
  return f32x4.add(f32x4.sub(d, c), diffError(x, m, d));
}

@inline function forward(log: bool, x: usize, rows: usize, cols: usize, out: usize): void {
  const whole = (cols & ~(3 as usize)) << 2, rowBytes = cols << 2, rem = cols & 3;
  const mask = firstLanes(rem);
  const ninf = f32x4.splat(-Infinity);
  for (let r: usize = 0; r < rows; r++, x += rowBytes, out += rowBytes) {
    const tx = rem ? loadTail(x + whole, rem) : ninf;
    const m = rowMax(x, whole, v128.bitselect(tx, ninf, mask));
    let lo = f64x2.splat(0), hi = f64x2.splat(0);
    for (let i: usize = 0; i < whole; i += 16) {
      const e = expDiffv(v128.load(x + i), m);
      if (!log) v128.store(out + i, e);
      lo = addLow(lo, e);
      hi = addHigh(hi, e);
    }
    let tail = v128.and(expDiffv(tx, m), mask);
    lo = addLow(lo, tail);
    hi = addHigh(hi, tail);
    const s = total(lo, hi);
    if (log) {
      // ln Σ of Σ rounded to f32 (Σ ≥ 1: an error below 2^-24, absolute).
      const c = v128.shuffle<f32>(logv(f32x4.splat(s as f32)), ninf, 0, 0, 0, 0);
      for (let i: usize = 0; i < whole; i += 16) v128.store(out + i, logOf(v128.load(x + i), m, c));
      tail = logOf(tx, m, c);
    } else {
      const inv = f32x4.splat((1 / s) as f32);
      for (let i: usize = 0; i < whole; i += 16) v128.store(out + i, f32x4.mul(v128.load(out + i), inv));
      tail = f32x4.mul(tail, inv);
    }
    if (rem) storeTail(out + whole, rem, tail);
  }
}

/** out[r, :] = softmax(x[r, :]) (`log` false) or log-softmax (`log` true), for each of `rows` rows. */
export function softmaxRows(x: usize, rows: usize, cols: usize, out: usize, log: bool): void {
  if (log) forward(true, x, rows, cols, out);
  else forward(false, x, rows, cols, out);
}

@inline function backward(log: bool, g: usize, y: usize, rows: usize, cols: usize, out: usize): void {
  const whole = (cols & ~(3 as usize)) << 2, rowBytes = cols << 2, rem = cols & 3;
  for (let r: usize = 0; r < rows; r++, g += rowBytes, y += rowBytes, out += rowBytes) {
    // Σ g (log-softmax) or Σ g·y (softmax), in f64; the tails are zero past the row.
    let lo = f64x2.splat(0), hi = f64x2.splat(0);
    for (let i: usize = 0; i < whole; i += 16) {
      const gv = v128.load(g + i);
      const v = log ? gv : f32x4.mul(gv, v128.load(y + i));
      lo = addLow(lo, v);
      hi = addHigh(hi, v);
    }
    let tg = f32x4.splat(0), ty = tg;
    if (rem) {
      tg = loadTail(g + whole, rem);
      ty = loadTail(y + whole, rem);
      const v = log ? tg : f32x4.mul(tg, ty);
      lo = addLow(lo, v);
      hi = addHigh(hi, v);
    }
    const s = f32x4.splat(total(lo, hi) as f32);
    // log-softmax: g − e^y·Σg; softmax: y·(g − Σ g·y).
    for (let i: usize = 0; i < whole; i += 16) {
      const gv = v128.load(g + i), yv = v128.load(y + i);
      v128.store(out + i, log ? f32x4.sub(gv, f32x4.mul(expv(yv), s)) : f32x4.mul(yv, f32x4.sub(gv, s)));
    }
    if (rem) {
      storeTail(out + whole, rem, log ? f32x4.sub(tg, f32x4.mul(expv(ty), s)) : f32x4.mul(ty, f32x4.sub(tg, s)));
    }
  }
}

/** The gradient of softmaxRows: out from the output's gradient g and the output y, row by row. */
export function softmaxRowsBackward(g: usize, y: usize, rows: usize, cols: usize, out: usize, log: bool): void {
  if (log) backward(true, g, y, rows, cols, out);
  else backward(false, g, y, rows, cols, out);
}
