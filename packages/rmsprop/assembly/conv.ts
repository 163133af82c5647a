// The data movement around convolution's GEMMs: im2col unfolds the input windows into the columns of
// a matrix, col2im adds such a matrix back into the input positions (the adjoint, for the gradient),
// and copyRows moves rows between the GEMM's [O, N·HW] layout and the tensors' [N, O, HW] one.
//
// A row of col (one channel c and kernel tap (i, j)) holds, for each sample and output row y, the input
// row iy = y·sh − top + i·dh read at columns ix = x·sw − left + j·dw. The output rows and columns for
// which iy and ix fall inside the input are a contiguous range, computed once per tap, so the inner loops
// have no bounds tests: zeros before and after, and between them a copy (a v128 loop at stride 1).

/** ⌈a / b⌉ for b > 0 and a of either sign. */
@inline function ceilDiv(a: i32, b: i32): i32 {
  return a >= 0 ? (a + b - 1) / b : -(-a / b);
}

@inline function clamp(v: i32, lo: i32, hi: i32): i32 {
  return v < lo ? lo : v > hi ? hi : v;
}

/** First output index o in [0, n) with o·s − pad + off ≥ 0. */
@inline export function firstInside(pad: i32, off: i32, s: i32, n: i32): i32 {
  return clamp(ceilDiv(pad - off, s), 0, n);
}

/** One past the last output index o in [from, n) with o·s − pad + off < size. */
@inline export function endInside(size: i32, pad: i32, off: i32, s: i32, from: i32, n: i32): i32 {
  return clamp(ceilDiv(size + pad - off, s), from, n);
}

@inline function zero(d: usize, n: usize): void {
  const bytes = n << 2;
  let k: usize = 0;
  for (; k + 16 <= bytes; k += 16) v128.store(d + k, i32x4.splat(0));
  for (; k < bytes; k += 4) store<f32>(d + k, 0);
}

/** d[k] = s[k·stride] for k < n (stride in floats). */
@inline function gather(d: usize, s: usize, n: usize, stride: usize): void {
  const bytes = n << 2;
  let k: usize = 0;
  if (stride == 1) {
    for (; k + 16 <= bytes; k += 16) v128.store(d + k, v128.load(s + k));
    for (; k < bytes; k += 4) store<f32>(d + k, load<f32>(s + k));
  } else {
    const step = stride << 2;
    for (; k < bytes; k += 4, s += step) store<f32>(d + k, load<f32>(s));
  }
}

/** d[k·stride] += s[k] for k < n. */
@inline function scatterAdd(d: usize, s: usize, n: usize, stride: usize): void {
  const bytes = n << 2;
  let k: usize = 0;
  if (stride == 1) {
    for (; k + 16 <= bytes; k += 16) v128.store(d + k, f32x4.add(v128.load(d + k), v128.load(s + k)));
    for (; k < bytes; k += 4) store<f32>(d + k, load<f32>(d + k) + load<f32>(s + k));
  } else {
    const step = stride << 2;
    for (; k < bytes; k += 4, d += step) store<f32>(d, load<f32>(d) + load<f32>(s + k));
  }
}

/**
 * Unfolds `samples` samples of a c × h × w input (sample s at x + s·xStride floats) into col, a
 * [c·kh·kw, samples·ho·wo] matrix whose rows start `colStride` floats apart (at least samples·ho·wo; more
 * when a thread fills some of the samples of a wider col): col[(ci·kh + i)·kw + j, (s·ho + y)·wo + x] =
 * input[s, ci, iy, ix] with iy = y·sh − top + i·dh and ix = x·sw − left + j·dw, 0 outside the input.
 */
export function im2col(
  x: usize, col: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  top: i32, left: i32, dh: i32, dw: i32, ho: i32, wo: i32, samples: i32, xStride: i32, colStride: i32,
): void {
  const rowBytes = (wo as usize) << 2;
  const step = sw as usize;
  const nextRow = ((colStride - samples * ho * wo) as usize) << 2;
  let d = col;
  for (let ci = 0; ci < c; ci++) {
    for (let i = 0; i < kh; i++) {
      const y0 = firstInside(top, i * dh, sh, ho), y1 = endInside(h, top, i * dh, sh, y0, ho);
      for (let j = 0; j < kw; j++) {
        const x0 = firstInside(left, j * dw, sw, wo), x1 = endInside(w, left, j * dw, sw, x0, wo);
        const n = (x1 - x0) as usize;
        // The input element read by output (y0, x0) of sample 0.
        const first = x + ((((ci * h + y0 * sh - top + i * dh) * w + x0 * sw - left + j * dw) as usize) << 2);
        for (let s = 0; s < samples; s++) {
          zero(d, (y0 * wo) as usize);
          d += ((y0 * wo) as usize) << 2;
          let src = first + ((s as usize) * (xStride as usize) << 2);
          for (let y = y0; y < y1; y++) {
            zero(d, x0 as usize);
            gather(d + ((x0 as usize) << 2), src, n, step);
            zero(d + ((x1 as usize) << 2), (wo - x1) as usize);
            d += rowBytes;
            src += ((sh * w) as usize) << 2;
          }
          zero(d, ((ho - y1) * wo) as usize);
          d += (((ho - y1) * wo) as usize) << 2;
        }
        d += nextRow;
      }
    }
  }
}

/** The adjoint of im2col: adds each element of col into the input position it was read from. */
export function col2im(
  col: usize, dx: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  top: i32, left: i32, dh: i32, dw: i32, ho: i32, wo: i32, samples: i32, xStride: i32, colStride: i32,
): void {
  const rowBytes = (wo as usize) << 2;
  const planeBytes = ((ho * wo) as usize) << 2;
  const nextRow = ((colStride - samples * ho * wo) as usize) << 2;
  const step = sw as usize;
  let r = col;
  for (let ci = 0; ci < c; ci++) {
    for (let i = 0; i < kh; i++) {
      const y0 = firstInside(top, i * dh, sh, ho), y1 = endInside(h, top, i * dh, sh, y0, ho);
      for (let j = 0; j < kw; j++) {
        const x0 = firstInside(left, j * dw, sw, wo), x1 = endInside(w, left, j * dw, sw, x0, wo);
        const n = (x1 - x0) as usize;
        const first = dx + ((((ci * h + y0 * sh - top + i * dh) * w + x0 * sw - left + j * dw) as usize) << 2);
        for (let s = 0; s < samples; s++) {
          let src = r + (((y0 * wo + x0) as usize) << 2);
          let dst = first + ((s as usize) * (xStride as usize) << 2);
          for (let y = y0; y < y1; y++) {
            scatterAdd(dst, src, n, step);
            src += rowBytes;
            dst += ((sh * w) as usize) << 2;
          }
          r += planeBytes;
        }
        r += nextRow;
      }
    }
  }
}

/**
 * Copies outer × rows rows of `cols` floats: row (o, r) from src + o·srcOuter + r·srcRow to
 * dst + o·dstOuter + r·dstRow (strides in floats), adding bias[o] when `bias` is not 0. src may equal
 * dst (an in-place bias), but the rows must not otherwise overlap.
 */
export function copyRows(
  src: usize, dst: usize, outer: i32, rows: i32, cols: i32,
  srcOuter: i32, srcRow: i32, dstOuter: i32, dstRow: i32, bias: usize,
): void {
  const bytes = (cols as usize) << 2;
  for (let o = 0; o < outer; o++) {
    let s = src + (((o as usize) * (srcOuter as usize)) << 2);
    let d = dst + (((o as usize) * (dstOuter as usize)) << 2);
    if (bias) {
      const b = load<f32>(bias + ((o as usize) << 2));
      const bv = f32x4.splat(b);
      for (let r = 0; r < rows; r++) {
        let k: usize = 0;
        for (; k + 16 <= bytes; k += 16) v128.store(d + k, f32x4.add(v128.load(s + k), bv));
        for (; k < bytes; k += 4) store<f32>(d + k, load<f32>(s + k) + b);
        s += (srcRow as usize) << 2;
        d += (dstRow as usize) << 2;
      }
    } else {
      for (let r = 0; r < rows; r++) {
        gather(d, s, cols as usize, 1);
        s += (srcRow as usize) << 2;
        d += (dstRow as usize) << 2;
      }
    }
  }
}
