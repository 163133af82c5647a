import { record, registerGradient } from '../tape.js';
import { Tensor } from '../tensor.js';
import { col2im, copyRows, gemm, im2col, sumRows, type Im2colShape } from '../../kernels/index.js';
import { outputLength, pair, type Pair } from './window.js';

export interface Conv2dOptions {
  stride?: Pair;
  /** Zeros on each side, or 'same' (stride 1: the output keeps the input's size) or 'valid' (none). */
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
}

/** im2col's window with all input channels `c`, the batch `n`, the output channels `o` and the groups. */
type Geometry = Im2colShape & { n: number; o: number; groups: number };

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

// How many samples one GEMM takes: enough for ~1024 columns (a GEMM of [O/g, K]·[K, 196] per 14×14
// sample packs its operands for little work), within 8 MB of columns so they stay in the caches. Measured
// at batch 128 (5×5 kernels, 1→32 channels on 28×28 and 32→64 on 14×14): 2 to 16 samples run within noise
// of each other and up to ~5% faster than one at a time; all 128 at once is ~30% slower.
const GEMM_COLUMNS = 1024;
const COLUMN_BYTES = 8 << 20;

function samplesPerGemm(g: Geometry): number {
  const hw = g.ho * g.wo;
  const k = (g.c / g.groups) * g.kh * g.kw;
  const byWork = Math.ceil(GEMM_COLUMNS / Math.max(hw, 1));
  const byMemory = Math.floor(COLUMN_BYTES / Math.max(4 * k * hw, 1));
  return Math.max(1, Math.min(g.n, byWork, byMemory));
}

/** The byte offset of element `i` of a tensor. */
const at = (t: Tensor, i: number): number => t.ptr + 4 * i;

function float32(t: Tensor, name: string): void {
  if (t.dtype !== 'float32') throw new TypeError(`conv2d: ${name} must be float32, got ${t.dtype}`);
}

/**
 * 2-D convolution (cross-correlation, as in PyTorch) of [N, C, H, W] with [O, C/groups, kH, kW] (+ bias [O]):
 * per group, the input windows of a few samples are unfolded into one matrix (im2col) and multiplied by the
 * weights in one GEMM, whose [O/groups, samples·HW] result is moved into place with the bias added.
 */
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, o: Conv2dOptions = {}): Tensor {
  const g = geometry(input, weight, o);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== g.o))
    throw new RangeError(`conv2d: bias must be [${g.o}], got [${bias.shape.join(', ')}]`);
  float32(input, 'input');
  float32(weight, 'weight');
  if (bias) float32(bias, 'bias');
  const cg = g.c / g.groups;
  const og = g.o / g.groups;
  const k = cg * g.kh * g.kw;
  const hw = g.ho * g.wo;
  const chunk = samplesPerGemm(g);
  // Everything is allocated before the kernels run (none of them allocates).
  const out = new Tensor([g.n, g.o, g.ho, g.wo]);
  const columns = new Tensor([k * chunk * hw]);
  const staging = chunk > 1 ? new Tensor([og * chunk * hw]) : null;
  const shape = { ...g, c: cg };
  for (let s = 0; s < g.n; s += chunk) {
    const ns = Math.min(chunk, g.n - s);
    for (let gi = 0; gi < g.groups; gi++) {
      im2col(at(input, (s * g.c + gi * cg) * g.h * g.w), columns.ptr, shape, ns, g.c * g.h * g.w);
      const dst = at(out, (s * g.o + gi * og) * hw);
      if (!staging) {
        gemm(false, false, og, hw, k, 1, at(weight, gi * og * k), k, columns.ptr, hw, 0, dst, hw);
        continue;
      }
      gemm(false, false, og, ns * hw, k, 1, at(weight, gi * og * k), k, columns.ptr, ns * hw, 0, staging.ptr, ns * hw);
      const layout = { outer: og, rows: ns, cols: hw, srcOuter: ns * hw, srcRow: hw, dstOuter: hw, dstRow: g.o * hw };
      copyRows(staging.ptr, dst, layout, bias ? at(bias, gi * og) : null);
    }
  }
  if (bias && !staging) {
    const layout = { outer: g.o, rows: g.n, cols: hw, srcOuter: hw, srcRow: g.o * hw, dstOuter: hw, dstRow: g.o * hw };
    copyRows(out.ptr, out.ptr, layout, bias.ptr);
  }
  columns.dispose();
  staging?.dispose();
  return record(out, 'conv2d', bias ? [input, weight, bias] : [input, weight], { g });
}

registerGradient('conv2d', (dy, { inputs: [input, weight, bias], saved }) => {
  const g = saved.g as Geometry;
  const cg = g.c / g.groups;
  const og = g.o / g.groups;
  const k = cg * g.kh * g.kw;
  const hw = g.ho * g.wo;
  const chunk = samplesPerGemm(g);
  // Only the gradients that flow somewhere are computed.
  const dx = input!.requiresGrad ? new Tensor(input!.shape) : null;
  const dw = weight!.requiresGrad ? new Tensor(weight!.shape) : null;
  const db = bias?.requiresGrad ? new Tensor(bias.shape) : null;
  const sums = db ? new Tensor([g.n * g.o]) : null;
  const columns = dx || dw ? new Tensor([k * chunk * hw]) : null;
  const staging = columns && chunk > 1 ? new Tensor([og * chunk * hw]) : null;
  dx?.data.fill(0);
  dw?.data.fill(0);
  const shape = { ...g, c: cg };
  for (let s = 0; columns && s < g.n; s += chunk) {
    const ns = Math.min(chunk, g.n - s);
    const cols = ns * hw;
    for (let gi = 0; gi < g.groups; gi++) {
      const xAt = (s * g.c + gi * cg) * g.h * g.w;
      // This group's rows of dY as an [O/groups, samples·HW] matrix.
      let d = at(dy, (s * g.o + gi * og) * hw);
      if (staging) {
        const layout = { outer: og, rows: ns, cols: hw, srcOuter: hw, srcRow: g.o * hw, dstOuter: cols, dstRow: hw };
        copyRows(d, staging.ptr, layout);
        d = staging.ptr;
      }
      if (dw) {
        // dW += dY·colᵀ, with col recomputed rather than kept from the forward pass.
        im2col(at(input!, xAt), columns.ptr, shape, ns, g.c * g.h * g.w);
        gemm(false, true, og, k, cols, 1, d, cols, columns.ptr, cols, 1, at(dw, gi * og * k), k);
      }
      if (dx) {
        // dX += col2im(Wᵀ·dY).
        gemm(true, false, k, cols, og, 1, at(weight!, gi * og * k), k, d, cols, 0, columns.ptr, cols);
        col2im(columns.ptr, at(dx, xAt), shape, ns, g.c * g.h * g.w);
      }
    }
  }
  if (db && sums) {
    // Σ over HW per (sample, channel), then over the samples.
    sumRows(dy.ptr, g.n * g.o, hw, sums.ptr);
    const [t, b] = [sums.data, db.data];
    for (let c = 0; c < g.o; c++) {
      let acc = 0;
      for (let s = 0; s < g.n; s++) acc += t[s * g.o + c]!;
      b[c] = acc;
    }
  }
  columns?.dispose();
  staging?.dispose();
  sums?.dispose();
  return [dx, dw, db];
});
