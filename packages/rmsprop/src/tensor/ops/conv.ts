import { record, registerGradient } from '../tape.js';
import { Tensor } from '../tensor.js';
import { gemm } from './gemm.js';
import { outputLength, pair, type Pair } from './window.js';

export interface Conv2dOptions {
  stride?: Pair;
  /** Zeros on each side, or 'same' (stride 1: the output keeps the input's size) or 'valid' (none). */
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
}

interface Geometry {
  n: number;
  c: number;
  h: number;
  w: number;
  o: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  top: number;
  left: number;
  dh: number;
  dw: number;
  groups: number;
  ho: number;
  wo: number;
}

/** Unfolds one group of one sample into col [c·kh·kw, ho·wo] (zeros where the window leaves the input). */
function im2col(x: Float32Array, base: number, cg: number, g: Geometry, col: Float32Array): void {
  const { h, w, kh, kw, sh, sw, top, left, dh, dw, ho, wo } = g;
  let r = 0;
  for (let c = 0; c < cg; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++, r++) {
        const row = r * ho * wo;
        for (let y = 0; y < ho; y++) {
          const iy = y * sh - top + i * dh;
          for (let xo = 0; xo < wo; xo++) {
            const ix = xo * sw - left + j * dw;
            col[row + y * wo + xo] = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[base + (c * h + iy) * w + ix]! : 0;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: adds col back into the input positions it was read from. */
function col2im(col: Float32Array, cg: number, g: Geometry, dx: Float32Array, base: number): void {
  const { h, w, kh, kw, sh, sw, top, left, dh, dw, ho, wo } = g;
  let r = 0;
  for (let c = 0; c < cg; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++, r++) {
        const row = r * ho * wo;
        for (let y = 0; y < ho; y++) {
          const iy = y * sh - top + i * dh;
          if (iy < 0 || iy >= h) continue;
          for (let xo = 0; xo < wo; xo++) {
            const ix = xo * sw - left + j * dw;
            if (ix >= 0 && ix < w) dx[base + (c * h + iy) * w + ix]! += col[row + y * wo + xo]!;
          }
        }
      }
    }
  }
}

function geometry(input: Tensor, weight: Tensor, o: Conv2dOptions): Geometry {
  if (input.ndim !== 4) throw new RangeError(`conv2d: input must be [N, C, H, W], got [${input.shape.join(', ')}]`);
  if (weight.ndim !== 4)
    throw new RangeError(`conv2d: weight must be [O, C/groups, kH, kW], got [${weight.shape.join(', ')}]`);
  const [n, c, h, w] = input.shape as [number, number, number, number];
  const [out, cg, kh, kw] = weight.shape as [number, number, number, number];
  const groups = o.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0 || out % groups !== 0) {
    throw new RangeError(
      `conv2d: groups must be an integer ≥ 1 dividing both ${c} input and ${out} output channels, got ${groups}`,
    );
  }
  if (cg * groups !== c) {
    throw new RangeError(
      `conv2d: weight [${weight.shape.join(', ')}] expects ${cg * groups} input channels with ${groups} groups, the input has ${c}`,
    );
  }
  const [sh, sw] = pair('conv2d', 'stride', o.stride ?? 1, 1);
  const [dh, dw] = pair('conv2d', 'dilation', o.dilation ?? 1, 1);
  let top: number, left: number, bottom: number, right: number;
  if (o.padding === 'same') {
    if (sh !== 1 || sw !== 1) throw new RangeError("conv2d: padding 'same' needs stride 1");
    // PyTorch puts the odd pixel of padding at the bottom and right.
    [top, left] = [Math.floor((dh * (kh - 1)) / 2), Math.floor((dw * (kw - 1)) / 2)];
    [bottom, right] = [dh * (kh - 1) - top, dw * (kw - 1) - left];
  } else {
    [top, left] = o.padding === 'valid' ? [0, 0] : pair('conv2d', 'padding', o.padding ?? 0, 0);
    [bottom, right] = [top, left];
  }
  const ho = outputLength('conv2d', h, kh, sh, top, bottom, dh);
  const wo = outputLength('conv2d', w, kw, sw, left, right, dw);
  return { n, c, h, w, o: out, kh, kw, sh, sw, top, left, dh, dw, groups, ho, wo };
}

/** 2-D convolution (cross-correlation, as in PyTorch) of [N, C, H, W] with [O, C/groups, kH, kW] (+ bias [O]). */
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, o: Conv2dOptions = {}): Tensor {
  const g = geometry(input, weight, o);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== g.o))
    throw new RangeError(`conv2d: bias must be [${g.o}], got [${bias.shape.join(', ')}]`);
  const out = new Tensor([g.n, g.o, g.ho, g.wo]);
  const cg = g.c / g.groups;
  const og = g.o / g.groups;
  const k = cg * g.kh * g.kw;
  const hw = g.ho * g.wo;
  // Allocate before taking views: a growth of the memory would detach them.
  const columns = new Tensor([k, hw]);
  const [x, wt, y, col] = [input.data, weight.data, out.data, columns.data];
  for (let s = 0; s < g.n; s++) {
    for (let gi = 0; gi < g.groups; gi++) {
      im2col(x, (s * g.c + gi * cg) * g.h * g.w, cg, g, col);
      gemm(false, false, og, hw, k, 1, wt, gi * og * k, k, col, 0, hw, 0, y, (s * g.o + gi * og) * hw, hw);
    }
    if (bias) for (let c = 0; c < g.o; c++) for (let p = 0; p < hw; p++) y[(s * g.o + c) * hw + p]! += bias.data[c]!;
  }
  columns.dispose();
  return record(out, 'conv2d', bias ? [input, weight, bias] : [input, weight], { g });
}

registerGradient('conv2d', (dy, { inputs: [input, weight, bias], saved }) => {
  const g = saved.g as Geometry;
  const cg = g.c / g.groups;
  const og = g.o / g.groups;
  const k = cg * g.kh * g.kw;
  const hw = g.ho * g.wo;
  const dx = new Tensor(input!.shape);
  const dw = new Tensor(weight!.shape);
  const db = bias ? new Tensor(bias.shape) : null;
  const columns = new Tensor([k, hw]);
  dx.data.fill(0);
  dw.data.fill(0);
  const [x, wt, d, col] = [input!.data, weight!.data, dy.data, columns.data];
  for (let s = 0; s < g.n; s++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const xBase = (s * g.c + gi * cg) * g.h * g.w;
      const dyOff = (s * g.o + gi * og) * hw;
      // dW += dY·colᵀ, with col recomputed rather than kept from the forward pass.
      im2col(x, xBase, cg, g, col);
      gemm(false, true, og, k, hw, 1, d, dyOff, hw, col, 0, hw, 1, dw.data, gi * og * k, k);
      // dX += col2im(Wᵀ·dY).
      gemm(true, false, k, hw, og, 1, wt, gi * og * k, k, d, dyOff, hw, 0, col, 0, hw);
      col2im(col, cg, g, dx.data, xBase);
    }
  }
  columns.dispose();
  if (db) {
    db.data.fill(0);
    for (let s = 0; s < g.n; s++)
      for (let c = 0; c < g.o; c++) for (let p = 0; p < hw; p++) db.data[c]! += d[(s * g.o + c) * hw + p]!;
  }
  return db ? [dx, dw, db] : [dx, dw];
});
