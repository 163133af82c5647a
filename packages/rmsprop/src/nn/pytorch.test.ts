// Layers against PyTorch modules on odd shapes: PyTorch's state dict is loaded by name, then the forward
// (and BatchNorm's running statistics) and the gradients of the input and of every parameter are compared.
// Fixtures `rmsprop-layer/1` made by tools/golden/pytorch_layers.py.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backward, fromArray, scope, type Tensor } from '../tensor/index.js';
import { BatchNorm1d, BatchNorm2d, Conv2d, Embedding, GRU, LSTM, Linear, Module, RNN } from './index.js';

interface Data {
  shape: number[];
  dtype?: 'float32' | 'int32';
  data: number[];
}
type Pair = number | [number, number];
/** Constructor arguments as torch.nn names them. */
interface TorchArgs {
  in_features?: number;
  out_features?: number;
  bias?: boolean;
  in_channels?: number;
  out_channels?: number;
  kernel_size?: Pair;
  stride?: Pair;
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
  num_features?: number;
  eps?: number;
  momentum?: number;
  num_embeddings?: number;
  embedding_dim?: number;
  padding_idx?: number | null;
  input_size?: number;
  hidden_size?: number;
  num_layers?: number;
  batch_first?: boolean;
  nonlinearity?: 'tanh' | 'relu';
}
interface LayerFixture {
  format: 'rmsprop-layer/1';
  name: string;
  layer: string;
  args: TorchArgs;
  mode: 'train' | 'eval';
  state_dict: Record<string, Data>;
  inputs: { x: Data; h0?: Data; c0?: Data };
  outputs: Record<'output' | 'h_n' | 'c_n' | 'running_mean' | 'running_var', Data | undefined>;
  grad_output: Data;
  grads: Record<string, Data>;
  tolerance: { rel: number; abs: number };
}

// PyTorch's constructors, in ours. PyTorch's recurrent layers default to batch_first=False, ours to true.
const recurrent = (a: TorchArgs) => ({ layers: a.num_layers, batchFirst: a.batch_first ?? false, bias: a.bias });
const layers: Record<string, (a: TorchArgs) => Module> = {
  Linear: (a) => new Linear(a.in_features!, a.out_features!, { bias: a.bias }),
  Conv2d: (a) =>
    new Conv2d(a.in_channels!, a.out_channels!, a.kernel_size!, {
      stride: a.stride,
      padding: a.padding,
      dilation: a.dilation,
      groups: a.groups,
      bias: a.bias,
    }),
  BatchNorm1d: (a) => new BatchNorm1d(a.num_features!, { eps: a.eps, momentum: a.momentum }),
  BatchNorm2d: (a) => new BatchNorm2d(a.num_features!, { eps: a.eps, momentum: a.momentum }),
  Embedding: (a) => new Embedding(a.num_embeddings!, a.embedding_dim!, a.padding_idx ?? null),
  RNN: (a) => new RNN(a.input_size!, a.hidden_size!, { ...recurrent(a), nonlinearity: a.nonlinearity }),
  LSTM: (a) => new LSTM(a.input_size!, a.hidden_size!, recurrent(a)),
  GRU: (a) => new GRU(a.input_size!, a.hidden_size!, recurrent(a)),
};

const dir = new URL('../../fixtures/layers/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as LayerFixture);

function close(actual: number[], expected: Data, tol: LayerFixture['tolerance'], what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.data.length);
  expected.data.forEach((e, i) => {
    expect(Math.abs(actual[i]! - e), `${what}[${i}]: expected ${e}, got ${actual[i]}`).toBeLessThanOrEqual(
      tol.abs + tol.rel * Math.abs(e),
    );
  });
}

describe('PyTorch layer fixtures', () => {
  it('cover every layer, both modes of BatchNorm, and initial states', () => {
    const seen = new Set(fixtures.map((f) => `${f.layer}/${f.mode}`));
    for (const l of ['Linear', 'Conv2d', 'BatchNorm1d', 'BatchNorm2d', 'Embedding', 'RNN', 'LSTM', 'GRU'])
      expect(seen).toContain(`${l}/train`);
    expect(seen).toContain('BatchNorm1d/eval');
    // Each recurrent layer (the RNN with each activation): one and two layers, with and without an initial
    // state; the GRU and the RNNs also without bias.
    const kind = (f: LayerFixture) => (f.layer === 'RNN' ? `RNN/${f.args.nonlinearity ?? 'tanh'}` : f.layer);
    for (const k of ['LSTM', 'GRU', 'RNN/tanh', 'RNN/relu']) {
      const of = fixtures.filter((f) => kind(f) === k);
      expect(new Set(of.map((f) => f.args.num_layers)), k).toEqual(new Set([1, 2]));
      expect(new Set(of.map((f) => f.inputs.h0 !== undefined)), k).toEqual(new Set([true, false]));
      if (k !== 'LSTM') expect(new Set(of.map((f) => f.args.bias !== false)), k).toEqual(new Set([true, false]));
    }
    expect(fixtures.some((f) => f.layer === 'LSTM' && f.inputs.c0)).toBe(true);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_, f) => {
    const make = layers[f.layer];
    if (!make) throw new Error(`no mapping for layer '${f.layer}'`);
    const m = make(f.args);
    // Names and sizes must match PyTorch's exactly (loadStateDict checks both ways).
    m.loadStateDict(Object.fromEntries(Object.entries(f.state_dict).map(([k, v]) => [k, v.data])));
    m.train(f.mode === 'train');
    const params = Object.fromEntries(m.namedParameters());
    expect(Object.keys(params).sort()).toEqual(
      Object.keys(f.grads)
        .filter((k) => !(k in f.inputs))
        .sort(),
    );
    for (const [k, v] of Object.entries(f.state_dict)) {
      const t = params[k] ?? Object.fromEntries(m.namedBuffers())[k];
      expect(t?.shape, `shape of ${k}`).toEqual(v.shape);
    }
    scope(() => {
      const inputs = Object.fromEntries(
        Object.entries(f.inputs).map(([k, v]) => [
          k,
          fromArray(v.data, v.shape, { dtype: v.dtype ?? 'float32', requiresGrad: k in f.grads }),
        ]),
      ) as Record<string, Tensor>;
      const outs: Record<string, Tensor | undefined> = {};
      if (m instanceof RNN || m instanceof LSTM || m instanceof GRU) {
        const r = m.run(inputs.x!, inputs.h0, inputs.c0);
        Object.assign(outs, { output: r.output, h_n: r.h, c_n: r.c });
      } else {
        outs.output = m.forward(inputs.x!);
      }
      for (const [k, want] of Object.entries(f.outputs)) {
        if (!want) continue;
        if (k === 'running_mean' || k === 'running_var') {
          const got = Object.fromEntries(m.namedBuffers())[k];
          expect(got, `buffer ${k}`).toBeDefined();
          close(got!.toArray(), want, f.tolerance, k);
          continue;
        }
        const got = outs[k];
        expect(got, `output ${k}`).toBeDefined();
        expect(got!.shape, `shape of ${k}`).toEqual(want.shape);
        close(got!.toArray(), want, f.tolerance, k);
      }
      backward(outs.output!, fromArray(f.grad_output.data, f.grad_output.shape));
      for (const [k, want] of Object.entries(f.grads)) {
        const t = inputs[k] ?? params[k];
        expect(t?.grad, `grad of ${k}`).toBeTruthy();
        close(t!.grad!.toArray(), want, f.tolerance, `grad of ${k}`);
      }
    });
  });
});
