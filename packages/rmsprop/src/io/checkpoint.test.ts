import { describe, expect, it } from 'vitest';
import { RMSprop, type OptimizerStateDict } from '../optim/index.js';
import { fromArray, Generator, Tensor } from '../tensor/index.js';
import { checkpointChecksum } from './checkpoint.js';
import {
  CheckpointError,
  decodeCheckpoint,
  decodeSafetensors,
  encodeCheckpoint,
  encodeSafetensors,
  SafetensorsError,
  type Checkpoint,
} from './index.js';

const bits = (a: Float32Array | Int32Array): number[] => Array.from(new Uint32Array(a.slice().buffer));

function trainedOptimizer(): { params: Record<string, Float32Array>; opt: RMSprop } {
  const params = { w: Float32Array.of(0.5, -1, 2), 'layer.0.b': Float32Array.of(0.1) };
  const opt = new RMSprop(params, { lr: 0.1, momentum: 0.9, centered: true });
  opt.step({ w: Float32Array.of(0.3, -0.2, 0.1), 'layer.0.b': Float32Array.of(-0.4) });
  opt.step({ w: Float32Array.of(0.1, 0.2, -0.3) });
  return { params, opt };
}

function sample(): Checkpoint {
  const g = new Generator(7);
  g.normal(); // leaves a spare normal in the state
  return {
    model: {
      w: fromArray([1, -0, NaN, 3.5, 1e-45, -2], [2, 3]),
      counts: fromArray([1, -2, 2147483647], [3], { dtype: 'int32' }),
      scale: fromArray([0.25], []),
      empty: fromArray([], [0, 4]),
      plain: Float32Array.of(9, 8),
    },
    optimizer: trainedOptimizer().opt.stateDict(),
    step: 12,
    rng: g.getState(),
    config: { model: { hidden: [16, 8] }, lr: 0.1, name: 'run ü', nothing: null, off: false },
  };
}

/** Re-encodes a decoded file after `change`, with a checksum that matches, as a buggy writer might. */
function rewrite(
  bytes: Uint8Array,
  change: (t: Record<string, unknown>, m: Record<string, string>) => void,
): Uint8Array {
  const { tensors, metadata } = decodeSafetensors(bytes);
  change(tensors, metadata);
  metadata['checksum'] = checkpointChecksum(tensors, metadata);
  return encodeSafetensors(tensors, metadata);
}

describe('encodeCheckpoint / decodeCheckpoint', () => {
  it('round-trip parameters, optimizer state, step, random state and configuration', () => {
    const saved = sample();
    const back = decodeCheckpoint(encodeCheckpoint(saved));
    expect(Object.keys(back.model).sort()).toEqual(['counts', 'empty', 'plain', 'scale', 'w']);
    for (const [name, p] of Object.entries(saved.model)) {
      const t = back.model[name]!;
      expect(t).toBeInstanceOf(Tensor);
      const want = p instanceof Tensor ? p : fromArray(p);
      expect([t.dtype, t.shape]).toEqual([want.dtype, want.shape]);
      expect(bits(t.dtype === 'float32' ? t.data : t.ints)).toEqual(
        bits(want.dtype === 'float32' ? want.data : want.ints),
      );
    }
    expect(back.step).toBe(12);
    expect(back.rng).toEqual(saved.rng);
    expect(Number.isNaN(back.rng![4])).toBe(false);
    expect(back.config).toEqual(saved.config);
    const sd = saved.optimizer!;
    expect({ ...back.optimizer, state: undefined }).toEqual({ ...sd, state: undefined });
    for (const [param, st] of Object.entries(sd.state)) {
      expect(back.optimizer!.state[param]!.step).toBe(st.step);
      expect(Object.keys(back.optimizer!.state[param]!.buffers).sort()).toEqual(Object.keys(st.buffers).sort());
      for (const [b, v] of Object.entries(st.buffers)) {
        expect(bits(back.optimizer!.state[param]!.buffers[b] as Float32Array)).toEqual(bits(v as Float32Array));
      }
    }
    // The loaded state dict restores an optimizer.
    const { params } = trainedOptimizer();
    const fresh = new RMSprop(params, { lr: 0.1, momentum: 0.9, centered: true });
    fresh.loadStateDict(back.optimizer as OptimizerStateDict);
    expect(fresh.stepCount).toBe(2);
  });

  it('keep NaN, ±Infinity and −0 in the random state, and leave out what was not given', () => {
    const back = decodeCheckpoint(encodeCheckpoint({ model: {}, step: 0, rng: [1, 2, 3, 4, NaN] }));
    expect(back.rng).toEqual([1, 2, 3, 4, NaN]);
    const odd = decodeCheckpoint(encodeCheckpoint({ model: {}, step: 0, rng: [Infinity, -Infinity, -0] })).rng!;
    expect(odd[0]).toBe(Infinity);
    expect(odd[1]).toBe(-Infinity);
    expect(Object.is(odd[2], -0)).toBe(true);
    expect(decodeCheckpoint(encodeCheckpoint({ model: {}, step: 3 }))).toEqual({ model: {}, step: 3 });
  });

  it('are readable as plain safetensors', () => {
    const { tensors, metadata } = decodeSafetensors(encodeCheckpoint(sample()));
    expect(Object.keys(tensors)).toContain('model.w');
    expect(Object.keys(tensors)).toContain('optimizer.state.layer.0.b.squareAvg');
    expect(metadata['format']).toBe('rmsprop-checkpoint/1');
    expect(JSON.parse(metadata['config']!)).toEqual(sample().config);
  });
});

describe('encodeCheckpoint refuses', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  const disposed = fromArray([1]);
  disposed.dispose();
  const cases: [string, () => Checkpoint, string][] = [
    ['a negative step', () => ({ model: {}, step: -1 }), 'step must be an integer ≥ 0, got -1'],
    ['a fractional step', () => ({ model: {}, step: 1.5 }), 'step must be an integer ≥ 0, got 1.5'],
    [
      'a parameter that is not a tensor',
      () => ({ model: { w: [1, 2] as unknown as Float32Array }, step: 0 }),
      "model parameter 'w' must be a Tensor or a Float32Array, got a Array",
    ],
    ['a disposed tensor', () => ({ model: { w: disposed }, step: 0 }), "model parameter 'w' was disposed"],
    [
      'a configuration with a function',
      () => ({ model: {}, step: 0, config: { lr: () => 1 } }),
      'config.lr is function () => 1, which JSON cannot hold',
    ],
    [
      'a configuration with NaN',
      () => ({ model: {}, step: 0, config: { decay: [0.9, NaN] } }),
      'config.decay[1] is NaN, which JSON cannot hold',
    ],
    [
      'a configuration with a Map',
      () => ({ model: {}, step: 0, config: { m: new Map() } }),
      'config.m is a Map, which JSON cannot hold',
    ],
    [
      'a configuration that refers to itself',
      () => ({ model: {}, step: 0, config: cyclic }),
      'config.self refers back to itself',
    ],
    [
      'a random state that is not numbers',
      () => ({ model: {}, step: 0, rng: ['a'] as unknown as number[] }),
      'rng must be a list of numbers (generator.getState()), got a Array',
    ],
    [
      'something that is not a state dict',
      () => ({ model: {}, step: 0, optimizer: { state: {} } as unknown as OptimizerStateDict }),
      "optimizer must be an optimizer's stateDict() (format rmsprop-optimizer/1)",
    ],
  ];
  it.each(cases)('%s', (_, make, message) => {
    const c = make();
    expect(() => encodeCheckpoint(c)).toThrow(CheckpointError);
    expect(() => encodeCheckpoint(c)).toThrow(`encodeCheckpoint: ${message}`);
  });
});

describe('decodeCheckpoint refuses', () => {
  const good = encodeCheckpoint(sample());
  const cases: [string, () => Uint8Array, string][] = [
    [
      'a safetensors file that is not a checkpoint',
      () => encodeSafetensors({ w: { dtype: 'F32', shape: [1], data: Float32Array.of(1) } }),
      'no format in __metadata__: a safetensors file, but not a checkpoint (read it with decodeSafetensors)',
    ],
    [
      'another format',
      () => encodeSafetensors({}, { format: 'rmsprop-checkpoint/2' }),
      'format is "rmsprop-checkpoint/2"; this library reads rmsprop-checkpoint/1',
    ],
    [
      'a file without a checksum',
      () => encodeSafetensors({}, { format: 'rmsprop-checkpoint/1', step: '1' }),
      'no checksum in __metadata__',
    ],
    [
      'a flipped bit in the data',
      () => {
        const b = good.slice();
        b[b.length - 1]! ^= 1;
        return b;
      },
      'the checksum does not match (stored crc32:',
    ],
    [
      'a changed digit in the metadata',
      () => {
        const b = good.slice();
        const i = new TextDecoder('latin1').decode(b).indexOf('"step":"12"');
        if (i < 0) throw new Error('test setup: no step in the header');
        b[i + 9] = '3'.charCodeAt(0);
        return b;
      },
      'the checksum does not match (stored crc32:',
    ],
    [
      'a step that is not a count',
      () => rewrite(good, (_, m) => (m['step'] = '1e3')),
      `__metadata__ 'step' must be an integer ≥ 0, got "1e3"`,
    ],
    [
      'a configuration that is not JSON',
      () => rewrite(good, (_, m) => (m['config'] = '{lr: 1}')),
      `__metadata__ 'config' is not valid JSON`,
    ],
    [
      'a missing optimizer buffer',
      () => rewrite(good, (t) => delete t['optimizer.state.w.squareAvg']),
      `optimizer buffer 'squareAvg' of 'w' is missing (no tensor 'optimizer.state.w.squareAvg')`,
    ],
    [
      'an int32 optimizer buffer',
      () =>
        rewrite(good, (t) => {
          t['optimizer.state.w.squareAvg'] = { dtype: 'I32', shape: [3], data: Int32Array.of(1, 2, 3) };
        }),
      `optimizer buffer 'squareAvg' of 'w' (tensor 'optimizer.state.w.squareAvg') is I32, expected F32`,
    ],
    [
      'an unexpected tensor',
      () =>
        rewrite(good, (t) => {
          t['extra'] = { dtype: 'F32', shape: [1], data: Float32Array.of(1) };
        }),
      "unexpected tensor 'extra': a checkpoint holds model.<name> and the optimizer's listed buffers",
    ],
  ];
  it.each(cases)('%s', (_, make, message) => {
    const bytes = make();
    expect(() => decodeCheckpoint(bytes)).toThrow(CheckpointError);
    expect(() => decodeCheckpoint(bytes)).toThrow(`decodeCheckpoint: ${message}`);
  });

  it('a truncated file, as a broken safetensors file', () => {
    const bytes = good.subarray(0, good.length - 4);
    expect(() => decodeCheckpoint(bytes)).toThrow(SafetensorsError);
    expect(() => decodeCheckpoint(bytes)).toThrow(/^decodeCheckpoint: tensor '.*': data_offsets .* \(truncated\?\)$/);
  });
});
