// The maximum over the last axis of a row-major [rows, cols] matrix, as Math.max folds it (NaN if any
// element is NaN, +0 above −0, −∞ for an empty row), and its gradient, shared equally among tied maxima.
import { firstLanes, loadTail, storeTail } from './rows';

/** out[r] = max_c x[r, c]. */
export function maxRows(x: usize, rows: usize, cols: usize, out: usize): void {
  const whole = (cols & ~(3 as usize)) << 2, rowBytes = cols << 2, rem = cols & 3;
  const mask = firstLanes(rem);
  const ninf = f32x4.splat(-Infinity);
  for (let r: usize = 0; r < rows; r++, x += rowBytes) {
    // f32x4.max, not pmax: it has Math.max's rules for NaN and ±0, and the cost is small beside the load.
    let m0 = rem ? v128.bitselect(loadTail(x + whole, rem), ninf, mask) : ninf, m1 = ninf;
    let i: usize = 0;
    for (; i + 32 <= whole; i += 32) {
      m0 = f32x4.max(m0, v128.load(x + i));
      m1 = f32x4.max(m1, v128.load(x + i, 16));
    }
    if (i < whole) m0 = f32x4.max(m0, v128.load(x + i));
    let m = f32x4.max(m0, m1);
    m = f32x4.max(m, v128.shuffle<f32>(m, m, 2, 3, 0, 1));
    m = f32x4.max(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2));
    store<f32>(out + (r << 2), f32x4.extract_lane(m, 0));
  }
}

/** out[r, c] = g[r] / ties where x[r, c] = y[r] (ties: how many do in the row), else 0. */
export function maxRowsBackward(g: usize, x: usize, y: usize, rows: usize, cols: usize, out: usize): void {
  const whole = (cols & ~(3 as usize)) << 2, rowBytes = cols << 2, rem = cols & 3;
  const mask = firstLanes(rem);
  for (let r: usize = 0; r < rows; r++, x += rowBytes, out += rowBytes) {
    const yv = f32x4.splat(load<f32>(y + (r << 2)));
    // Count the ties: each equal lane is −1.
    const tailEq = rem ? v128.and(f32x4.eq(loadTail(x + whole, rem), yv), mask) : i32x4.splat(0);
    let c = tailEq;
    for (let i: usize = 0; i < whole; i += 16) c = i32x4.add(c, f32x4.eq(v128.load(x + i), yv));
    const ties = -(i32x4.extract_lane(c, 0) + i32x4.extract_lane(c, 1) + i32x4.extract_lane(c, 2) + i32x4.extract_lane(c, 3));
    // With no tie (y or the whole row NaN) every lane is masked to 0 and the quotient is never used.
    const v = f32x4.splat(load<f32>(g + (r << 2)) / (ties as f32));
    for (let i: usize = 0; i < whole; i += 16) v128.store(out + i, v128.and(v, f32x4.eq(v128.load(x + i), yv)));
    if (rem) storeTail(out + whole, rem, v128.and(v, tailEq));
  }
}
