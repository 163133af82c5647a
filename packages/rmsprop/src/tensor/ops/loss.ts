import { record, registerGradient } from '../tape.js';
import { Tensor } from '../tensor.js';
import { broadcastShapes, forEachBroadcast } from './broadcast.js';
import { mul, sub } from './elementwise.js';
import { mean, sum } from './reduce.js';
import { forEachLine } from './softmax.js';

export type Reduction = 'mean' | 'sum' | 'none';

function checkReduction(op: string, r: unknown): asserts r is Reduction {
  if (r !== 'mean' && r !== 'sum' && r !== 'none')
    throw new RangeError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(r)}`);
}

export interface CrossEntropyOptions {
  reduction?: Reduction;
  /** Targets equal to this contribute nothing, and are not counted by the mean. */
  ignoreIndex?: number;
  /** Mixes the one-hot target with the uniform distribution (Szegedy et al. 2016). */
  labelSmoothing?: number;
}

/**
 * Softmax cross-entropy of logits [N, C] (or [N, C, d…]) against int32 class indices [N] (or [N, d…]),
 * fused so the gradient is softmax − target in one pass; PyTorch's `cross_entropy`.
 */
export function crossEntropy(logits: Tensor, target: Tensor, o: CrossEntropyOptions = {}): Tensor {
  const { reduction = 'mean', ignoreIndex = -100, labelSmoothing = 0 } = o;
  checkReduction('crossEntropy', reduction);
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
    throw new RangeError(`crossEntropy: labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  if (target.dtype !== 'int32')
    throw new TypeError(`crossEntropy: targets must be int32 class indices, got ${target.dtype}`);
  const expected = [logits.shape[0], ...logits.shape.slice(2)];
  if (logits.ndim < 2 || target.ndim !== expected.length || target.shape.some((d, i) => d !== expected[i])) {
    throw new RangeError(
      `crossEntropy: logits [${logits.shape.join(', ')}] need targets of shape [${expected.join(', ')}], got [${target.shape.join(', ')}]`,
    );
  }
  const classes = logits.shape[1]!;
  const probs = new Tensor(logits.shape); // softmax, kept for the gradient
  const [t, x, p] = [target.ints, logits.data, probs.data];
  const labels = Int32Array.from(t);
  const losses = new Float32Array(target.size);
  let line = 0;
  let counted = 0;
  forEachLine(logits.shape, 1, (base, stride, n) => {
    const k = line;
    // forEachLine walks [N, C, d…] in the order of the targets' [N, d…] elements.
    line++;
    const label = t[k]!;
    if (label === ignoreIndex) {
      for (let j = 0; j < n; j++) p[base + j * stride] = 0;
      return;
    }
    if (!(label >= 0 && label < classes))
      throw new RangeError(`crossEntropy: target ${label} at position ${k} is outside [0, ${classes})`);
    let m = -Infinity;
    for (let j = 0; j < n; j++) m = Math.max(m, x[base + j * stride]!);
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(x[base + j * stride]! - m);
    const lse = m + Math.log(s);
    let all = 0;
    for (let j = 0; j < n; j++) {
      all += lse - x[base + j * stride]!;
      p[base + j * stride] = Math.exp(x[base + j * stride]! - lse);
    }
    losses[k] = (1 - labelSmoothing) * (lse - x[base + label * stride]!) + (labelSmoothing * all) / classes;
    counted++;
  });
  let out: Tensor;
  if (reduction === 'none') {
    out = new Tensor(target.shape);
    out.data.set(losses);
  } else {
    out = new Tensor([]);
    const total = losses.reduce((a, b) => a + b, 0);
    out.data[0] = reduction === 'sum' ? total : total / counted;
  }
  return record(out, 'crossEntropy', [logits], {
    probs,
    labels,
    reduction,
    ignoreIndex,
    labelSmoothing,
    counted,
  });
}
registerGradient('crossEntropy', (g, { inputs: [logits], saved }) => {
  const { probs, labels, reduction, ignoreIndex, labelSmoothing, counted } = saved as {
    probs: Tensor;
    labels: Int32Array;
    reduction: Reduction;
    ignoreIndex: number;
    labelSmoothing: number;
    counted: number;
  };
  const classes = logits!.shape[1]!;
  const out = new Tensor(logits!.shape);
  const [p, o, gd] = [probs.data, out.data, g.data];
  let line = 0;
  forEachLine(logits!.shape, 1, (base, stride, n) => {
    const k = line++;
    const label = labels[k]!;
    const scale = reduction === 'none' ? gd[k]! : reduction === 'sum' ? gd[0]! : gd[0]! / counted;
    for (let j = 0; j < n; j++) {
      const target = label === ignoreIndex ? 0 : (j === label ? 1 - labelSmoothing : 0) + labelSmoothing / classes;
      o[base + j * stride] = label === ignoreIndex ? 0 : (p[base + j * stride]! - target) * scale;
    }
  });
  return [out];
});

/** Mean squared error (PyTorch's `mse_loss`). */
export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkReduction('mseLoss', reduction);
  broadcastShapes('mseLoss', input.shape, target.shape);
  const d = sub(input, target);
  const sq = mul(d, d);
  return reduction === 'mean' ? mean(sq) : reduction === 'sum' ? sum(sq) : sq;
}

/**
 * Binary cross-entropy on logits, in the stable form max(x, 0) − x·y + log(1 + e^(−|x|)); `posWeight`
 * (broadcast to the input, e.g. one per class) weights the positive term (PyTorch's
 * `binary_cross_entropy_with_logits`).
 */
export function bceWithLogits(
  input: Tensor,
  target: Tensor,
  o: { reduction?: Reduction; posWeight?: Tensor } = {},
): Tensor {
  const { reduction = 'mean', posWeight } = o;
  checkReduction('bceWithLogits', reduction);
  if (input.shape.length !== target.shape.length || input.shape.some((d, i) => d !== target.shape[i])) {
    throw new RangeError(
      `bceWithLogits: input [${input.shape.join(', ')}] and target [${target.shape.join(', ')}] must have one shape`,
    );
  }
  const pw = posWeight ? broadcastTo(posWeight, input.shape) : null;
  const out = new Tensor(input.shape);
  const [x, y, l] = [input.data, target.data, out.data];
  for (let i = 0; i < l.length; i++) {
    const w = pw ? 1 + (pw[i]! - 1) * y[i]! : 1;
    l[i] = (1 - y[i]!) * x[i]! + w * (Math.log1p(Math.exp(-Math.abs(x[i]!))) + Math.max(-x[i]!, 0));
  }
  const elementwise = record(out, 'bceWithLogits', [input], { target, posWeight: pw });
  return reduction === 'mean' ? mean(elementwise) : reduction === 'sum' ? sum(elementwise) : elementwise;
}
registerGradient('bceWithLogits', (g, { inputs: [input], saved }) => {
  const { target, posWeight } = saved as { target: Tensor; posWeight: Float32Array | null };
  const out = new Tensor(input!.shape);
  const [x, y, gd, o] = [input!.data, target.data, g.data, out.data];
  for (let i = 0; i < o.length; i++) {
    const w = posWeight ? 1 + (posWeight[i]! - 1) * y[i]! : 1;
    o[i] = gd[i]! * (1 - y[i]! - w / (1 + Math.exp(x[i]!)));
  }
  return [out];
});

function broadcastTo(t: Tensor, shape: readonly number[]): Float32Array {
  // posWeight broadcasts to the input as in PyTorch: per class ([C]), per sample ([N, 1]), …; the index
  // i % size would misplace any weight of more than one dimension, such as [N, 1].
  const full = broadcastShapes('bceWithLogits', t.shape, shape);
  if (full.length !== shape.length || full.some((d, i) => d !== shape[i])) {
    throw new RangeError(
      `bceWithLogits: posWeight [${t.shape.join(', ')}] does not broadcast to the input [${shape.join(', ')}]`,
    );
  }
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const d = t.data;
  forEachBroadcast(t.shape, shape, shape, (i, iw) => (out[i] = d[iw]!));
  return out;
}
