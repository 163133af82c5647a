// 2-D pooling over planes of h × w floats (N·C of them, one after another), as PyTorch defines it.
//
// Max pooling keeps, for each window, the largest element and its index; a NaN wins over any number and a
// later NaN over an earlier one (PyTorch's `val > max || isnan(val)`), and ties keep the first. Where the
// whole window of four consecutive outputs lies inside the input along x and the stride is 1 or 2, the
// four run in the lanes of one v128 in the same order, so the result is the same as the scalar loop's.
import { endInside, firstInside } from './conv';

@inline function min(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

@inline function max(a: i32, b: i32): i32 {
  return a > b ? a : b;
}

/** The scalar loop for one output: the window's rows [i0, i1) and columns [j0, j1). */
@inline function maxOne(
  x: usize, y: usize, argmax: usize, out: usize, row: i32, i0: i32, i1: i32, j0: i32, j1: i32, rowStep: i32, dw: i32,
): void {
  let best: f32 = -Infinity;
  let at: i32 = -1;
  row += i0 * rowStep;
  for (let i = i0; i < i1; i++, row += rowStep) {
    for (let j = j0; j < j1; j++) {
      const idx = row + j * dw;
      const v = load<f32>(x + ((idx as usize) << 2));
      if (v > best || v != v) {
        best = v;
        at = idx;
      }
    }
  }
  store<f32>(y + (out << 2), best);
  store<i32>(argmax + (out << 2), at);
}

/**
 * Four outputs side by side whose windows lie inside the input along x, one per lane, at stride 1 or 2
 * (`two`): the same comparisons in the same order as maxOne.
 */
@inline function maxFour(
  two: bool, x: usize, y: usize, argmax: usize, out: usize, row: i32, i0: i32, i1: i32, kw: i32, rowStep: i32, dw: i32,
): void {
  const lanes = two ? i32x4(0, 2, 4, 6) : i32x4(0, 1, 2, 3);
  let best = f32x4.splat(-Infinity);
  let at = i32x4.splat(-1);
  row += i0 * rowStep;
  for (let i = i0; i < i1; i++, row += rowStep) {
    let idx = row;
    for (let j = 0; j < kw; j++, idx += dw) {
      const q = x + ((idx as usize) << 2);
      // At stride 2, elements 0, 2, 4, 6 from two loads that read no further than element 6.
      const v = two ? v128.shuffle<f32>(v128.load(q), v128.load(q, 12), 0, 2, 5, 7) : v128.load(q);
      const take = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
      best = v128.bitselect(v, best, take);
      at = v128.bitselect(i32x4.add(i32x4.splat(idx), lanes), at, take);
    }
  }
  v128.store(y + (out << 2), best);
  v128.store(argmax + (out << 2), at);
}

/** mode 0: scalar only; 1: SIMD at stride 1; 2: SIMD at stride 2 (a constant after inlining). */
@inline function maxPoolRun(
  mode: i32, x: usize, y: usize, argmax: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, ho: i32, wo: i32, first: i32,
): void {
  // Outputs [xa, xb) have their whole window inside the input along x.
  const xa = firstInside(pw, 0, sw, wo);
  const last = w - 1 + pw - (kw - 1) * dw;
  const xb = mode == 0 || last < 0 ? xa : max(xa, min(wo, last / sw + 1));
  const rowStep = dh * w;
  let out = (first as usize) * ((ho * wo) as usize);
  for (let p = first; p < first + planes; p++) {
    const base = p * h * w;
    for (let oy = 0; oy < ho; oy++) {
      const i0 = firstInside(ph, oy * sh, dh, kh), i1 = endInside(h, ph, oy * sh, dh, i0, kh);
      // The index of (iy = oy·sh − ph, ix = ox·sw − pw) for ox = 0.
      const row = base + (oy * sh - ph) * w - pw;
      let ox = 0;
      for (; ox < xa; ox++, out++) {
        const j0 = firstInside(pw, ox * sw, dw, kw), j1 = endInside(w, pw, ox * sw, dw, j0, kw);
        maxOne(x, y, argmax, out, row + ox * sw, i0, i1, j0, j1, rowStep, dw);
      }
      if (mode != 0 && xb - ox >= 4) {
        for (; ox + 4 <= xb; ox += 4, out += 4) {
          maxFour(mode == 2, x, y, argmax, out, row + ox * sw, i0, i1, kw, rowStep, dw);
        }
        // The last one to three: four ending at xb, recomputing some (to the same values).
        if (ox < xb) {
          const back = xb - 4 - ox;
          maxFour(mode == 2, x, y, argmax, out + back, row + (xb - 4) * sw, i0, i1, kw, rowStep, dw);
          out += xb - ox;
          ox = xb;
        }
      }
      // Windows inside the input along x need no clipping of j.
      for (; ox < xb; ox++, out++) maxOne(x, y, argmax, out, row + ox * sw, i0, i1, 0, kw, rowStep, dw);
      for (; ox < wo; ox++, out++) {
        const j0 = firstInside(pw, ox * sw, dw, kw), j1 = endInside(w, pw, ox * sw, dw, j0, kw);
        maxOne(x, y, argmax, out, row + ox * sw, i0, i1, j0, j1, rowStep, dw);
      }
    }
  }
}

/**
 * y[p, oy, ox] = max over the window of output (oy, ox) in plane p, argmax[p, oy, ox] = its index in x
 * (p·h·w + iy·w + ix), −1 and −∞ for a window with no element inside the input. The window reads
 * iy = oy·sh − ph + i·dh, ix = ox·sw − pw + j·dw for i < kh, j < kw. Only planes [first, first + planes)
 * are computed (a thread's share); x, y and argmax are those of plane 0.
 */
export function maxPool(
  x: usize, y: usize, argmax: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, ho: i32, wo: i32, first: i32,
): void {
  if (sw == 1) maxPoolRun(1, x, y, argmax, planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, ho, wo, first);
  else if (sw == 2) maxPoolRun(2, x, y, argmax, planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, ho, wo, first);
  else maxPoolRun(0, x, y, argmax, planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, ho, wo, first);
}

/**
 * dx[argmax[k]] += dy[k] for the `outputs` outputs k of each plane p in [first, first + planes), skipping
 * indices outside that plane's `inputs` elements (−1 marks an empty window): so that threads given
 * different planes never add to the same element. dy, argmax and dx are those of plane 0.
 */
export function maxPoolBackward(
  dy: usize, argmax: usize, dx: usize, planes: i32, outputs: i32, inputs: i32, first: i32,
): void {
  for (let p = first; p < first + planes; p++) {
    const lo = p * inputs;
    for (let k = (p as usize) * (outputs as usize), end = k + (outputs as usize); k < end; k++) {
      const at = load<i32>(argmax + (k << 2));
      if (((at - lo) as u32) < (inputs as u32)) {
        const q = dx + ((at as usize) << 2);
        store<f32>(q, load<f32>(q) + load<f32>(dy + (k << 2)));
      }
    }
  }
}

/**
 * Visits the windows of average pooling: f(output index, first input index of the clipped window's
 * first row, rows, columns, divisor). PyTorch's divisor is the window clipped to the padded input when
 * padding counts (`include`), else clipped to the input; windows overhanging in ceil mode never count
 * the overhang.
 */
@inline function eachWindow(
  planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, ho: i32, wo: i32,
  include: bool, a: usize, b: usize, backward: bool,
): void {
  let out: usize = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let oy = 0; oy < ho; oy++) {
      const y0 = oy * sh - ph;
      const y1 = min(y0 + kh, h + ph);
      const ya = max(y0, 0), yb = min(y1, h);
      for (let ox = 0; ox < wo; ox++, out++) {
        const x0 = ox * sw - pw;
        const x1 = min(x0 + kw, w + pw);
        const xa = max(x0, 0), xb = min(x1, w);
        const divisor = include ? (y1 - y0) * (x1 - x0) : (yb - ya) * (xb - xa);
        if (backward) {
          // a = dy, b = dx
          const v = load<f32>(a + (out << 2)) / (divisor as f32);
          for (let iy = ya; iy < yb; iy++) {
            const row = b + (((base + iy * w) as usize) << 2);
            for (let ix = xa; ix < xb; ix++) {
              const q = row + ((ix as usize) << 2);
              store<f32>(q, load<f32>(q) + v);
            }
          }
        } else {
          // a = x, b = y
          let s: f32 = 0;
          for (let iy = ya; iy < yb; iy++) {
            const row = a + (((base + iy * w) as usize) << 2);
            for (let ix = xa; ix < xb; ix++) s += load<f32>(row + ((ix as usize) << 2));
          }
          store<f32>(b + (out << 2), s / (divisor as f32));
        }
      }
    }
  }
}

/** y[p, oy, ox] = the window's sum (in f32, row by row) divided by PyTorch's divisor. */
export function avgPool(
  x: usize, y: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, ho: i32, wo: i32, include: bool,
): void {
  eachWindow(planes, h, w, kh, kw, sh, sw, ph, pw, ho, wo, include, x, y, false);
}

/** dx[window of (oy, ox)] += dy[oy, ox] / divisor; dx is not cleared first. */
export function avgPoolBackward(
  dy: usize, dx: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, ho: i32, wo: i32, include: bool,
): void {
  eachWindow(planes, h, w, kh, kw, sh, sw, ph, pw, ho, wo, include, dy, dx, true);
}
