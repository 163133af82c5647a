// Forward and backward of conv2d, pooling, cross-entropy and friends against PyTorch on odd shapes:
// fixtures `rmsprop-op/1` made by tools/golden/pytorch_ops.py.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  avgPool2d,
  backward,
  bceWithLogits,
  conv2d,
  crossEntropy,
  embedding,
  fromArray,
  logSoftmax,
  maxPool2d,
  mseLoss,
  scope,
  softmax,
  type Tensor,
} from '../index.js';
import type { Reduction } from './loss.js';
import type { Pair } from './window.js';

interface Data {
  shape: number[];
  dtype?: 'float32' | 'int32';
  data: number[];
}
interface OpFixture {
  format: 'rmsprop-op/1';
  name: string;
  op: string;
  options: TorchKw;
  inputs: Record<string, Data>;
  output: Data;
  grad_output: Data;
  grads: Record<string, Data>;
  tolerance: { rel: number; abs: number };
}

type Inputs = Record<string, Tensor>;
/** The keyword arguments the fixtures use, as torch.nn.functional names them. */
interface TorchKw {
  stride?: Pair | null;
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
  kernel_size: Pair;
  ceil_mode?: boolean;
  count_include_pad?: boolean;
  reduction?: Reduction;
  label_smoothing?: number;
  ignore_index?: number;
  dim?: number;
  padding_idx?: number | null;
}
// PyTorch's functional names and keyword arguments, in ours.
const ops: Record<string, (i: Inputs, o: TorchKw) => Tensor> = {
  conv2d: (i, o) => conv2d(i.input!, i.weight!, i.bias ?? null, { ...o, stride: o.stride ?? 1 }),
  max_pool2d: (i, o) =>
    maxPool2d(i.input!, {
      kernel: o.kernel_size,
      stride: o.stride ?? undefined,
      padding: o.padding as Pair | undefined,
      dilation: o.dilation,
      ceilMode: o.ceil_mode,
    }),
  avg_pool2d: (i, o) =>
    avgPool2d(i.input!, {
      kernel: o.kernel_size,
      stride: o.stride ?? undefined,
      padding: o.padding as Pair | undefined,
      ceilMode: o.ceil_mode,
      countIncludePad: o.count_include_pad,
    }),
  cross_entropy: (i, o) =>
    crossEntropy(i.input!, i.target!, {
      reduction: o.reduction,
      labelSmoothing: o.label_smoothing,
      ignoreIndex: o.ignore_index,
    }),
  log_softmax: (i, o) => logSoftmax(i.input!, o.dim),
  softmax: (i, o) => softmax(i.input!, o.dim),
  mse_loss: (i, o) => mseLoss(i.input!, i.target!, o.reduction),
  binary_cross_entropy_with_logits: (i, o) =>
    bceWithLogits(i.input!, i.target!, { reduction: o.reduction, posWeight: i.pos_weight }),
  embedding: (i, o) => embedding(i.input!, i.weight!, o.padding_idx ?? null),
};

const dir = new URL('../../../fixtures/ops/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as OpFixture);

function close(actual: number[], expected: Data, tol: OpFixture['tolerance'], what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.data.length);
  expected.data.forEach((e, i) => {
    expect(Math.abs(actual[i]! - e), `${what}[${i}]: expected ${e}, got ${actual[i]}`).toBeLessThanOrEqual(
      tol.abs + tol.rel * Math.abs(e),
    );
  });
}

describe('PyTorch fixtures', () => {
  it('cover conv2d, both poolings and cross-entropy', () => {
    const seen = new Set(fixtures.map((f) => f.op));
    for (const op of ['conv2d', 'max_pool2d', 'avg_pool2d', 'cross_entropy']) expect(seen).toContain(op);
  });
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_, f) => {
    scope(() => {
      const run = ops[f.op];
      if (!run) throw new Error(`no mapping for op '${f.op}'`);
      const inputs = Object.fromEntries(
        Object.entries(f.inputs).map(([k, v]) => [
          k,
          fromArray(v.data, v.shape, { dtype: v.dtype ?? 'float32', requiresGrad: k in f.grads }),
        ]),
      );
      const out = run(inputs, f.options);
      expect(out.shape).toEqual(f.output.shape);
      close(out.toArray(), f.output, f.tolerance, 'output');
      backward(out, fromArray(f.grad_output.data, f.grad_output.shape));
      for (const [k, g] of Object.entries(f.grads)) close(inputs[k]!.grad!.toArray(), g, f.tolerance, `grad of ${k}`);
    });
  });
});
